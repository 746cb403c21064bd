#!/usr/bin/env python3
"""Measures what the unity build saves on one target, side by side in one run.

    scripts/measure-unity.py BUILD_DIR TARGET [BATCH]

Compiles every source of TARGET alone with the flags of BUILD_DIR/compile_commands.json,
then the same sources in batches of BATCH (default 8) the way CMake's unity build joins
them, and prints the user CPU seconds of both and their ratio. Objects go to a temporary
folder; the build tree is not touched. Configure BUILD_DIR with -DCYRANGE_UNITY_BUILD=OFF
so that compile_commands.json lists the sources one by one.
"""
import json
import os
import resource
import shlex
import subprocess
import sys
import tempfile


def compile_command(entry, source, output):
    args, skip = [], False
    for arg in shlex.split(entry["command"]):
        if skip:
            skip = False
        elif arg in ("-o", "-MF", "-MT"):
            skip = True
        elif arg != "-MD" and arg != entry["file"]:
            args.append(arg)
    return args + ["-o", output, source]


def user_seconds(command, cwd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit("compile failed: " + done.stderr[:2000])
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - before


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    build, target = sys.argv[1], sys.argv[2]
    batch = int(sys.argv[3]) if len(sys.argv) == 4 else 8
    with open(os.path.join(build, "compile_commands.json")) as f:
        entries = [e for e in json.load(f)
                   if f"/CMakeFiles/{target}.dir/" in (e.get("output") or e["command"])]
    if not entries:
        sys.exit(f"no sources of {target} in {build}/compile_commands.json")
    with tempfile.TemporaryDirectory() as tmp:
        alone = sum(user_seconds(compile_command(e, e["file"], f"{tmp}/alone.o"), e["directory"])
                    for e in entries)
        batched = 0.0
        for start in range(0, len(entries), batch):
            unit = f"{tmp}/unity_{start}.cpp"
            with open(unit, "w") as f:
                f.writelines(f'#include "{e["file"]}"\n' for e in entries[start:start + batch])
            first = entries[0]
            batched += user_seconds(compile_command(first, unit, f"{tmp}/unity.o"),
                                    first["directory"])
    print(f"unity: target={target} sources={len(entries)} alone_s={alone:.1f} "
          f"batches_of_{batch}_s={batched:.1f} ratio={batched / alone:.2f}")


if __name__ == "__main__":
    main()
