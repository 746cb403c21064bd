#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

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
///
/// The guest echoes what is typed, so a recording takes its output through output() and
/// input(): output is held back while a line is being typed (and, after a line that held a
/// secret, until the guest has echoed its end), then recorded with that line's secrets taken
/// out of the echo: a line typed ahead of its prompt wherever it shows, a command line's
/// secrets as redact_command_line() does. Held output stays in its order, at its times.
class SecretInputFilter {
 public:
  /// Where output() and input() record: offset from the start, 'o' or 'i', the bytes.
  using Sink = std::function<void(std::int64_t at_us, char direction, std::string_view bytes)>;

  /// Notes guest output; a line ending in a password prompt arms the filter.
  void saw_output(std::string_view bytes);
  /// What may be recorded of `bytes` typed now: a line's bytes come when it ends (Enter,
  /// Ctrl-C, Ctrl-D, Ctrl-U, or a long line without one).
  std::string recordable_input(std::string_view bytes);

  /// Guest output seen at `at_us`: noted as saw_output() does, recorded through `record` now
  /// or once the line being typed has ended (calls `record` under the filter's lock).
  void output(std::int64_t at_us, std::string_view bytes, const Sink& record);
  /// Keystrokes typed at `at_us`: recorded as recordable_input() says, after the output held
  /// back for the lines they end, scrubbed of those lines' secrets.
  void input(std::int64_t at_us, std::string_view bytes, const Sink& record);
  /// The terminal closes: records what is still held, scrubbed of what is known.
  void finish(const Sink& record);

 private:
  struct Held {
    std::int64_t at_us;
    std::string bytes;
  };

  void note_output(std::string_view bytes);
  std::string take_input(std::string_view bytes);
  std::string end_line(char end);
  /// Records the held output, without the secrets of the lines that ended, when nothing is
  /// being typed and the last such line's echo has ended (or too much is held).
  void release(const Sink& record, bool force);

  std::vector<Held> held_;           // output not recorded yet
  std::size_t held_bytes_ = 0;       //
  std::vector<std::string> echoed_;  // secret lines whose echo the held output may show
  bool scrub_commands_ = false;      // a command line with secrets ended: its echo is held
  bool echo_ended_ = true;           // the guest printed a newline since that line ended

  std::mutex mutex_;
  std::string last_line_;     // the output since the last newline, without escape codes
  std::string line_;          // the input line being typed, not recorded yet
  bool secret_ = false;       // the next input line is a secret
  bool awaiting_ = false;     // a command that may ask for a password has not asked yet
  bool ahead_ = false;        // a line typed ahead was taken for its secret: its prompt is due
  bool output_line_ = false;  // the guest printed a newline since awaiting_ was set
};

}  // namespace cyrange::exercise
