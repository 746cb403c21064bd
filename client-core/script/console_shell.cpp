#include <client-core/script/console_shell.h>

#include <cctype>
#include <cstdio>
#include <random>

namespace cyrange::client {
namespace {

constexpr std::size_t kMaxOutputBytes = 8u << 20;

std::string random_salt() {
  std::random_device device;
  std::uniform_int_distribution<unsigned> pick(0, 0xFFFFFF);
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%06x", pick(device));
  return buffer;
}

}  // namespace

std::string framed_command_line(std::string_view command, std::string_view id) {
  // The quotes split each marker in the echoed line, so only the shell's output
  // contains it verbatim.
  const std::string marker(id);
  return "echo \"__cyr\"\"_b_" + marker + "__\"; " + std::string(command) +
         "; echo \"__cyr\"\"_e_" + marker + "__:$?\"";
}

std::string plain_console_text(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const char c = bytes[i];
    if (c == '\r' || c == '\a') continue;
    if (c != '\x1b') {
      out += c;
      continue;
    }
    if (i + 1 >= bytes.size()) break;  // an escape cut off at the end: the rest comes later
    const char kind = bytes[i + 1];
    if (kind == '[') {  // CSI: parameters and intermediates, then one final byte
      std::size_t j = i + 2;
      while (j < bytes.size() && (static_cast<unsigned char>(bytes[j]) < 0x40 ||
                                  static_cast<unsigned char>(bytes[j]) > 0x7E)) {
        ++j;
      }
      i = j;
    } else if (kind == ']') {  // OSC: up to BEL or ESC backslash
      std::size_t j = i + 2;
      while (j < bytes.size() && bytes[j] != '\a' &&
             !(bytes[j] == '\x1b' && j + 1 < bytes.size() && bytes[j + 1] == '\\')) {
        ++j;
      }
      i = (j < bytes.size() && bytes[j] == '\x1b') ? j + 1 : j;
    } else if (kind == '(' || kind == ')' || kind == '*' || kind == '+') {
      i += 2;  // character set designation: one more byte
    } else {
      i += 1;  // two-byte sequence such as ESC = or ESC 7
    }
  }
  return out;
}

std::optional<ConsoleOutput> find_framed_output(std::string_view transcript, std::string_view id) {
  const std::string plain = plain_console_text(transcript);
  const std::string begin = "__cyr_b_" + std::string(id) + "__\n";
  const std::string end = "__cyr_e_" + std::string(id) + "__:";
  const auto b = plain.find(begin);
  if (b == std::string::npos) return std::nullopt;
  const auto start = b + begin.size();
  const auto e = plain.find(end, start);
  if (e == std::string::npos) return std::nullopt;
  std::size_t digits = e + end.size();
  int status = 0;
  for (; digits < plain.size() && std::isdigit(static_cast<unsigned char>(plain[digits]));
       ++digits) {
    status = status * 10 + (plain[digits] - '0');
  }
  if (digits >= plain.size() || plain[digits] != '\n') return std::nullopt;  // still arriving
  return ConsoleOutput{plain.substr(start, e - start), status};
}

Expected<std::unique_ptr<ConsoleShell>> ConsoleShell::open(const Connection& connection,
                                                           const TerminalTarget& target) {
  std::unique_ptr<ConsoleShell> shell(new ConsoleShell());
  shell->host_ = target.host;
  shell->salt_ = random_salt();
  ConsoleShell* self = shell.get();  // the terminal is closed before the shell goes away
  auto terminal = TerminalClient::open(
      connection, target,
      [self](std::string_view bytes) {
        std::lock_guard lock(self->mu_);
        if (self->received_.size() < kMaxOutputBytes) self->received_.append(bytes);
        self->cv_.notify_all();
      },
      [self](const Status& why) {
        std::lock_guard lock(self->mu_);
        self->ended_ = true;
        self->end_reason_ = why.ok() ? "the server closed it" : why.error().message;
        self->cv_.notify_all();
      });
  if (!terminal) return terminal.error();
  shell->terminal_ = std::move(terminal).value();
  return shell;
}

ConsoleShell::~ConsoleShell() { close(); }

void ConsoleShell::close() {
  if (terminal_) terminal_->close();
}

Expected<ConsoleOutput> ConsoleShell::run(const std::string& command,
                                          std::chrono::milliseconds timeout) {
  if (command.find('\n') != std::string::npos || command.find('\r') != std::string::npos) {
    return make_error(ErrorCode::invalid_argument,
                      "The command for '" + host_ + "' spans several lines; type one line.");
  }
  const std::string id = std::to_string(next_id_++) + "_" + salt_;
  {
    std::lock_guard lock(mu_);
    received_.clear();
  }
  // Enter on a terminal sends CR; the console's line discipline makes it a newline.
  if (Status sent = terminal_->send_keys(framed_command_line(command, id) + "\r"); !sent) {
    return sent.error();
  }
  std::unique_lock lock(mu_);
  std::optional<ConsoleOutput> output;
  const bool finished = cv_.wait_for(lock, timeout, [&] {
    output = find_framed_output(received_, id);
    return output.has_value() || ended_ || received_.size() >= kMaxOutputBytes;
  });
  if (output) return *output;
  if (ended_) {
    return make_error(ErrorCode::unavailable, "The terminal to '" + host_ + "' ended (" +
                                                  end_reason_ + ") while '" + command +
                                                  "' ran; open it again.");
  }
  lock.unlock();
  (void)terminal_->send_keys("\x03");  // interrupt, so the next command finds a prompt
  if (finished) {
    return make_error(ErrorCode::failed_precondition,
                      "The command '" + command + "' on '" + host_ + "' printed more than " +
                          std::to_string(kMaxOutputBytes >> 20) +
                          " MiB; filter its output (grep, head, tail).");
  }
  return make_error(ErrorCode::unavailable,
                    "The command '" + command + "' on '" + host_ + "' did not finish within " +
                        std::to_string(timeout.count() / 1000) +
                        " s; make it shorter or give the action a longer timeout_seconds.");
}

}  // namespace cyrange::client
