#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/range/hypervisor.h>

namespace cyrange::range {

/// Result of a command run inside a guest.
struct ExecResult {
  int exit_code = -1;
  std::string out;  ///< decoded stdout
  std::string err;  ///< decoded stderr
};

/// True when the domain's guest agent answers guest-ping.
bool guest_ping(Hypervisor& hv, const std::string& domain);

/// Runs argv in the guest (guest-exec), polls guest-exec-status until it exits or the timeout.
Expected<ExecResult> guest_exec(Hypervisor& hv, const std::string& domain,
                                const std::vector<std::string>& argv,
                                std::chrono::milliseconds timeout = std::chrono::seconds(30));

/// Standard base64 (the agent's encoding of command output).
std::string base64_encode(const std::string& data);
/// Decodes standard base64; stops at the first character outside the alphabet.
std::string base64_decode(const std::string& text);

}  // namespace cyrange::range
