#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <client-core/connection.h>
#include <client-core/range_client.h>
#include <orchestrator/common/expected.h>

namespace cyrange::client {

// Commands typed into a range host's serial console as a person would, with their
// output read back. The console echoes what is typed and mixes in prompts, CR and
// escape sequences, so every command is framed by two markers that the shell
// prints but the echo never shows verbatim:
//   echo "__cyr""_b_ID__"; COMMAND; echo "__cyr""_e_ID__:$?"
// The output is what lies between "__cyr_b_ID__\n" and "__cyr_e_ID__:STATUS".

/// What a command printed (stdout and stderr, as the console shows them) and its exit status.
struct ConsoleOutput {
  std::string text;  ///< without CR and terminal escape sequences
  int exit_status = 0;
};

/// The line to type for `command` with markers `id` (no trailing Enter).
std::string framed_command_line(std::string_view command, std::string_view id);

/// Console bytes with CR and ANSI/VT escape sequences (CSI, OSC, two-byte) removed.
std::string plain_console_text(std::string_view bytes);

/// The framed output of command `id` in `transcript` (the raw console bytes received
/// since the line was typed); empty until the end marker has arrived.
std::optional<ConsoleOutput> find_framed_output(std::string_view transcript, std::string_view id);

/// A shell on one host's console through RangeService.Terminal; one command at a
/// time. The terminal stays open (and recorded by the server) until close().
class ConsoleShell {
 public:
  /// Opens the terminal to `target`; errors as TerminalClient::open.
  static Expected<std::unique_ptr<ConsoleShell>> open(const Connection& connection,
                                                      const TerminalTarget& target);
  ~ConsoleShell();
  ConsoleShell(const ConsoleShell&) = delete;
  ConsoleShell& operator=(const ConsoleShell&) = delete;

  /// Types `command` (one line) and waits up to `timeout` for its output. On timeout
  /// the command is interrupted with Ctrl-C and the error names host and command.
  Expected<ConsoleOutput> run(const std::string& command, std::chrono::milliseconds timeout);
  /// Closes the terminal; safe to call twice.
  void close();
  /// The host this console reaches.
  const std::string& host() const { return host_; }

 private:
  ConsoleShell() = default;

  std::string host_;
  std::unique_ptr<TerminalClient> terminal_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::string received_;  // raw bytes since the current command was typed
  bool ended_ = false;
  std::string end_reason_;
  unsigned next_id_ = 1;
  std::string salt_;  // keeps markers unique across sessions on the same console
};

}  // namespace cyrange::client
