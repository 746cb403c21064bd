#pragma once

// Runs the shell scripts a step sends to a guest on this machine instead, with the
// marker and evidence-log folders moved under a scratch folder, so unit tests check what the
// scripts really do (awk CIDR matching, decoy encryption) without a hypervisor.
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <orchestrator/inject/guest_runner.h>
#include <orchestrator/inject/step_kit.h>

namespace cyrange::inject::testing {

inline std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size())
    s.replace(p, from.size(), to);
  return s;
}

/// Executes /bin/sh -c scripts locally; `env` is prefixed (e.g. "REMOTE_ADDR=1.2.3.4").
inline GuestResult run_local(const std::vector<std::string>& argv, const std::string& scratch,
                             const std::string& env = "") {
  if (argv.size() < 3 || argv[0] != "/bin/sh") return {0, "", ""};
  const std::string script = scratch + "/script.sh";
  std::ofstream(script) << replace_all(replace_all(argv[2], kMarkerDir, scratch + "/steps"),
                                       "/var/log/cyrange-sim", scratch + "/log");
  // The guests' tools are busybox applets (e.g. awk without a math library): use them here too.
  const std::string bin = scratch + "/busybox-bin";
  if (!std::filesystem::exists(bin)) {
    std::filesystem::create_directories(bin);
    for (const char* applet :
         {"awk", "sed", "tr", "base64", "date", "head", "od", "grep", "cat", "ls", "mkdir", "rm"}) {
      std::filesystem::create_symlink("/bin/busybox", bin + "/" + applet);
    }
  }
  std::string cmd = "PATH=" + bin + ":$PATH " + env + " /bin/busybox sh " + shell_quote(script);
  for (std::size_t i = 4; i < argv.size(); ++i) cmd += " " + shell_quote(argv[i]);
  cmd += " 2>&1";
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf{};
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  const int rc = pclose(p);
  return {WEXITSTATUS(rc), out, ""};
}

}  // namespace cyrange::inject::testing
