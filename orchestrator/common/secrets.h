#pragma once

#include <string>
#include <vector>

namespace cyrange {

/// The environment for a program cyrange or cyranged starts (cyranged, a recipe's build.sh):
/// this process's, as NAME=VALUE, without the variables that carry a secret
/// ($CYRANGE_TOKEN, $PGPASSWORD), which such a program never needs.
std::vector<std::string> child_environment();

/// Pointers into `environment` ending in nullptr, for execve and posix_spawn; valid while
/// `environment` is.
std::vector<char*> environment_pointers(std::vector<std::string>& environment);

/// Overwrites, in the process's own argument strings, the value of every `--token VALUE` and
/// `--token=VALUE` with 'x', so that other users of this machine do not read it in `ps` or
/// /proc/PID/cmdline while the command runs. Parse a copy of the arguments made before.
void hide_secret_arguments(int argc, char** argv);

}  // namespace cyrange
