#include <orchestrator/exercise/secret_input.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <regex>

namespace cyrange::exercise {
namespace {

constexpr std::size_t kMaxSecretLine = 256;
// Input held back longer than this is recorded without waiting for its line's end (an
// editor's keystrokes); a command line is shorter.
constexpr std::size_t kMaxHeldInput = 4096;
constexpr std::string_view kRedacted = "[redacted]";
// Output held back for one line's echo; beyond it, it is recorded with what is known.
constexpr std::size_t kMaxHeldOutput = 64 * 1024;

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

/// True when `line` ends in a shell's prompt ("ws01:~# ", "user@host:~$ ", "> ").
bool is_shell_prompt(std::string_view line) {
  while (!line.empty() && line.back() == ' ') line.remove_suffix(1);
  return !line.empty() &&
         (line.back() == '#' || line.back() == '$' || line.back() == '>' || line.back() == '%');
}

/// True when a word of `line` is a command that may ask for a password on the terminal.
bool may_ask_for_password(std::string_view line) {
  static const std::regex command(
      R"((^|[\s;&|(`])(sudo|su|doas|ssh|scp|sftp|passwd|mysql|mariadb|mysqladmin|mysqldump|psql|login|kinit|smbclient|ftp|telnet|gpg|htpasswd|openssl)(\s|$))");
  return std::regex_search(line.begin(), line.end(), command);
}

}  // namespace

std::string redact_command_line(std::string_view line) {
  // Each: what stays (group 1), then the secret (group 2).
  static const std::array<std::regex, 8> kSecrets = {
      std::regex(R"((--(?:password|passwd|pass|passphrase|token|secret|api-key|apikey)[= ])(\S+))",
                 std::regex::icase),
      std::regex(R"(((?:^|\s)(?:-u|--user)\s*[^\s:]+:)(\S+))"),
      std::regex(R"(((?:^|\s)-U\s*[^\s%]+%)(\S+))"),
      std::regex(R"((sshpass\s+-p\s*)(\S+))"),
      std::regex(R"((\bpass:)(\S+))"),
      std::regex(R"((\b[A-Za-z_]*(?:PASSWORD|PASSWD|PASS|_PWD|TOKEN|SECRET|API_KEY)=)(\S+))"),
      std::regex(R"((://[^\s/:@]+:)([^\s/@]+)(?=@))"),
      // -pSECRET of the MySQL tools (elsewhere -p is a port or "parents").
      std::regex(R"(((?:^|[\s;&|(])(?:mysql|mariadb|mysqladmin|mysqldump)\b.*?\s-p)(\S+))"),
  };
  std::string text(line);
  for (const auto& secret : kSecrets)
    text = std::regex_replace(text, secret, "$1" + std::string(kRedacted));
  return text;
}

void SecretInputFilter::saw_output(std::string_view bytes) {
  std::lock_guard lock(mutex_);
  note_output(bytes);
}

void SecretInputFilter::note_output(std::string_view bytes) {
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
      output_line_ = true;
    } else if (c != '\r' && last_line_.size() < kMaxSecretLine) {
      last_line_ += c;
    }
  }
  if (is_secret_prompt(last_line_)) {
    awaiting_ = false;
    if (ahead_) {
      ahead_ = false;  // the line typed ahead answers this prompt
      last_line_.clear();
    } else {
      secret_ = true;
    }
  } else if (awaiting_ && output_line_ && is_shell_prompt(last_line_)) {
    awaiting_ = false;  // the command ended without asking
  }
}

std::string SecretInputFilter::end_line(char end) {
  std::string out;
  if (secret_ || awaiting_) {
    // Typed at a password prompt, or typed ahead of one (then its prompt is still due).
    if (!line_.empty()) out += kRedacted;
    // Echo is off at a prompt, but a line typed ahead of it was echoed.
    if (awaiting_ && !line_.empty()) {
      echoed_.push_back(line_);
      echo_ended_ = false;
    }
    ahead_ = awaiting_ && !secret_ && !line_.empty();
    secret_ = awaiting_ = false;
    last_line_.clear();
  } else {
    out = redact_command_line(line_);
    if (out != line_) {
      scrub_commands_ = true;
      echo_ended_ = false;
    }
    ahead_ = false;
    awaiting_ = (end == '\r' || end == '\n') && may_ask_for_password(line_);
    output_line_ = false;
  }
  line_.clear();
  if (end != 0) out += end;
  return out;
}

std::string SecretInputFilter::recordable_input(std::string_view bytes) {
  std::lock_guard lock(mutex_);
  return take_input(bytes);
}

std::string SecretInputFilter::take_input(std::string_view bytes) {
  std::string out;
  for (char c : bytes) {
    const bool ends = c == '\r' || c == '\n' || c == '\x03' || c == '\x04' || c == '\x15';
    if (c == '\x15' && (secret_ || awaiting_)) {
      line_.clear();  // Ctrl-U at a password prompt: the secret is typed again
    } else if (ends) {
      out += end_line(c);
    } else {
      line_ += c;
      if (line_.size() >= kMaxHeldInput) out += end_line(0);
    }
  }
  return out;
}

void SecretInputFilter::output(std::int64_t at_us, std::string_view bytes, const Sink& record) {
  std::lock_guard lock(mutex_);
  note_output(bytes);
  if (!echo_ended_ && bytes.find('\n') != std::string_view::npos) echo_ended_ = true;
  held_.push_back({at_us, std::string(bytes)});
  held_bytes_ += bytes.size();
  release(record, held_bytes_ > kMaxHeldOutput);
}

void SecretInputFilter::input(std::int64_t at_us, std::string_view bytes, const Sink& record) {
  std::lock_guard lock(mutex_);
  const std::string recordable = take_input(bytes);
  // The echo of what was typed before these keys is older than the line they end.
  release(record, false);
  if (!recordable.empty()) record(at_us, 'i', recordable);
}

void SecretInputFilter::finish(const Sink& record) {
  std::lock_guard lock(mutex_);
  echo_ended_ = true;
  release(record, true);
}

void SecretInputFilter::release(const Sink& record, bool force) {
  if (held_.empty() || (!force && (!line_.empty() || !echo_ended_))) return;
  if (echoed_.empty() && !scrub_commands_) {
    for (const auto& h : held_) record(h.at_us, 'o', h.bytes);
  } else {
    // Echo and secret may be split over chunks: they are recorded as one, when it ended.
    std::string text;
    for (const auto& h : held_) text += h.bytes;
    for (const auto& secret : echoed_) {
      for (auto at = text.find(secret); at != std::string::npos;
           at = text.find(secret, at + kRedacted.size()))
        text.replace(at, secret.size(), kRedacted);
    }
    if (scrub_commands_) text = redact_command_line(text);
    record(held_.back().at_us, 'o', text);
  }
  held_.clear();
  held_bytes_ = 0;
  if (echo_ended_) {
    echoed_.clear();
    scrub_commands_ = false;
  }
}

}  // namespace cyrange::exercise
