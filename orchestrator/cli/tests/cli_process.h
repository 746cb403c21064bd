#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <string>

namespace cyrange::cli::testing {

/// What a `cyrange` child process printed and how it exited.
struct Outcome {
  int status = -1;  ///< exit status; -1 if it did not exit normally
  std::string out;
};

/// Runs `cyrange ARGS` (the built binary, CYRANGE_CLI) from `cwd` through /bin/sh; stderr is
/// discarded unless `with_stderr`, which merges it into `out`.
inline Outcome run_cyrange(const std::string& args, const std::filesystem::path& cwd,
                           bool with_stderr = false) {
  const std::string command = "cd '" + cwd.string() + "' && exec '" + std::string(CYRANGE_CLI) +
                              "' " + args + (with_stderr ? " 2>&1" : " 2>/dev/null");
  Outcome run;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return run;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
    run.out.append(buffer, n);
  const int status = ::pclose(pipe);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

}  // namespace cyrange::cli::testing
