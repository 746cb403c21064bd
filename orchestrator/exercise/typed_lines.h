#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cyrange::exercise {

/// Turns the keystrokes sent to a terminal into the command lines the trainee typed:
/// a line ends at Enter (CR or LF; CR LF counts once), Backspace/DEL removes the last
/// character, Ctrl-U and Ctrl-C drop the line, escape sequences (arrow keys) and other
/// control bytes are ignored. Tab completion and history recall happen in the guest's
/// shell, so a line recalled with the arrow keys is not seen. Not thread-safe: one per
/// terminal, fed from its input path.
class TypedLines {
 public:
  /// Feeds `bytes`; returns the lines completed by them, without surrounding spaces
  /// and never empty.
  std::vector<std::string> feed(std::string_view bytes);

 private:
  enum class Escape { none, start, csi, ss3 };
  std::string line_;
  Escape escape_ = Escape::none;
  bool after_cr_ = false;
};

/// True when `line` typed in a trainee terminal matches the TEXT of an `on_event`
/// trigger "command:TEXT": after trimming both and collapsing runs of spaces and tabs to
/// one space, TEXT occurs in the line (case-sensitive substring, no regular expression).
bool command_matches(std::string_view line, std::string_view text);

}  // namespace cyrange::exercise
