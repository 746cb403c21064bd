#include <orchestrator/exercise/typed_lines.h>

namespace cyrange::exercise {
namespace {

// A typed line longer than this is cut: nobody types a longer command, and a paste of
// a whole file must not grow memory.
constexpr std::size_t kMaxTypedLine = 4096;

std::string collapse_spaces(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// Removes the last UTF-8 character (its continuation bytes and its lead byte).
void erase_last_char(std::string& line) {
  while (!line.empty() && (static_cast<unsigned char>(line.back()) & 0xC0) == 0x80) line.pop_back();
  if (!line.empty()) line.pop_back();
}

}  // namespace

std::vector<std::string> TypedLines::feed(std::string_view bytes) {
  std::vector<std::string> lines;
  for (char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    const bool was_cr = after_cr_;
    after_cr_ = false;
    switch (escape_) {
      case Escape::start:
        escape_ = c == '[' ? Escape::csi : c == 'O' ? Escape::ss3 : Escape::none;
        continue;
      case Escape::csi:  // parameters and intermediates, then a final byte 0x40-0x7E
        if (u >= 0x40 && u <= 0x7E) escape_ = Escape::none;
        continue;
      case Escape::ss3:
        escape_ = Escape::none;
        continue;
      case Escape::none:
        break;
    }
    if (c == '\r' || c == '\n') {
      if (c == '\n' && was_cr) continue;  // CR LF is one Enter
      after_cr_ = c == '\r';
      std::string line = collapse_spaces(line_);
      line_.clear();
      if (!line.empty()) lines.push_back(std::move(line));
    } else if (c == '\x7f' || c == '\b') {
      erase_last_char(line_);
    } else if (c == '\x15' || c == '\x03') {  // Ctrl-U, Ctrl-C
      line_.clear();
    } else if (c == '\x1b') {
      escape_ = Escape::start;
    } else if ((u >= 0x20 || c == '\t') && line_.size() < kMaxTypedLine) {
      line_ += c;
    }
  }
  return lines;
}

bool command_matches(std::string_view line, std::string_view text) {
  const std::string needle = collapse_spaces(text);
  if (needle.empty()) return false;
  return collapse_spaces(line).find(needle) != std::string::npos;
}

}  // namespace cyrange::exercise
