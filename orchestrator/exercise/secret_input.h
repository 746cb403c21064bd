#pragma once

#include <mutex>
#include <string>
#include <string_view>

namespace cyrange::exercise {

/// Secrets on a command line replaced by "[redacted]": `--password=X`, `--password X`,
/// `-pX` of the MySQL tools, `-u user:X` and `--user user:X`, `-U user%X`, `sshpass -p X`,
/// `pass:X`, `PASSWORD=X` and the like, `scheme://user:X@host`.
std::string redact_command_line(std::string_view line);

/// Keeps what a trainee types as a secret out of terminal recordings and typed lines. A
/// serial console does not tell the server when the guest turned echo off, so the prompt
/// is recognised in the output ("Password:", "Passphrase for …:", "パスワード：", …); the
/// next line of input is then recorded as "[redacted]" (neither its text nor its length)
/// while the guest still receives every byte. A line typed ahead, after a command that may
/// ask for a password (sudo, su, ssh, mysql, …) and before the guest showed its prompt or the
/// shell's, is a secret too; and every line is recorded once it ends, with the secrets of
/// its command line redacted (redact_command_line). Thread-safe: output and input arrive on
/// different threads.
class SecretInputFilter {
 public:
  /// Notes guest output; a line ending in a password prompt arms the filter.
  void saw_output(std::string_view bytes);
  /// What may be recorded of `bytes` typed now: a line's bytes come when it ends (Enter,
  /// Ctrl-C, Ctrl-D, Ctrl-U, or a long line without one).
  std::string recordable_input(std::string_view bytes);

 private:
  std::string end_line(char end);

  std::mutex mutex_;
  std::string last_line_;     // the output since the last newline, without escape codes
  std::string line_;          // the input line being typed, not recorded yet
  bool secret_ = false;       // the next input line is a secret
  bool awaiting_ = false;     // a command that may ask for a password has not asked yet
  bool ahead_ = false;        // a line typed ahead was taken for its secret: its prompt is due
  bool output_line_ = false;  // the guest printed a newline since awaiting_ was set
};

}  // namespace cyrange::exercise
