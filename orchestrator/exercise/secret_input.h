#pragma once

#include <mutex>
#include <string>
#include <string_view>

namespace cyrange::exercise {

/// Keeps what a trainee types at a password prompt out of terminal recordings. A
/// serial console does not tell the server when the guest turned echo off, so the
/// prompt is recognised in the output ("Password:", "Passphrase for …:",
/// "パスワード：", …); the next line of input is then recorded as "[redacted]"
/// (neither its text nor its length) while the guest still receives every byte.
/// Thread-safe: output and input arrive on different threads.
class SecretInputFilter {
 public:
  /// Notes guest output; a line ending in a password prompt arms the filter.
  void saw_output(std::string_view bytes);
  /// What may be recorded of `bytes` typed now.
  std::string recordable_input(std::string_view bytes);

 private:
  std::mutex mutex_;
  std::string last_line_;  // the output since the last newline, without escape codes
  bool secret_ = false;    // the next input line is a secret
  bool typed_ = false;     // some of it was typed already
};

}  // namespace cyrange::exercise
