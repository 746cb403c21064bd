#include <orchestrator/exercise/secret_input.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace cyrange::exercise {
namespace {

constexpr std::size_t kMaxSecretLine = 256;
constexpr std::string_view kRedacted = "[redacted]";

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

/// True when `line` ends in a prompt for a secret: a keyword, then ':' (ASCII or
/// full width) and nothing but spaces.
bool is_secret_prompt(std::string_view line) {
  while (!line.empty() && line.back() == ' ') line.remove_suffix(1);
  const bool colon = line.ends_with(":") || line.ends_with("\xef\xbc\x9a");  // ':' or '：'
  if (!colon) return false;
  static constexpr std::array<std::string_view, 5> kWords = {"password", "passphrase", "passwd",
                                                             "パスワード", "暗証番号"};
  const std::string text = lower(line);
  return std::any_of(kWords.begin(), kWords.end(),
                     [&](std::string_view w) { return text.find(w) != std::string::npos; });
}

}  // namespace

void SecretInputFilter::saw_output(std::string_view bytes) {
  std::lock_guard lock(mutex_);
  bool in_escape = false;
  for (char c : bytes) {
    if (in_escape) {  // CSI sequences end with a letter
      in_escape = !std::isalpha(static_cast<unsigned char>(c));
      continue;
    }
    if (c == '\x1b') {
      in_escape = true;
    } else if (c == '\n') {
      last_line_.clear();
    } else if (c != '\r' && last_line_.size() < kMaxSecretLine) {
      last_line_ += c;
    }
  }
  if (is_secret_prompt(last_line_)) secret_ = true;
}

std::string SecretInputFilter::recordable_input(std::string_view bytes) {
  std::lock_guard lock(mutex_);
  std::string out;
  for (char c : bytes) {
    const bool enter = c == '\r' || c == '\n';
    if (!secret_) {
      out += c;
      continue;
    }
    if (enter) {
      if (typed_) out += kRedacted;
      out += c;
      secret_ = typed_ = false;
      last_line_.clear();
    } else {
      typed_ = true;
    }
  }
  return out;
}

}  // namespace cyrange::exercise
