#include <bench/trainee/echo_path.h>

#include <algorithm>
#include <utility>

namespace cyrange::bench {
namespace {

using namespace std::chrono_literals;
using terminal::TerminalSurface;

constexpr int kWarmupKeys = 10;    // not counted: the first touches of every hop
constexpr auto kEchoBudget = 10s;  // one key's echo; longer means the path is broken
constexpr char kLetter = 'x';      // echoes as itself at the shell's prompt

// Whether the screen shows the letter at `at` (the cell the cursor was on before it).
bool shows_letter(const TerminalSurface& screen, terminal::Cursor at) {
  return screen.cell(at.row, at.col).text == std::string(1, kLetter);
}

// Whether the letter at `at` was erased again: the cursor is back and the cell blank.
bool erased(const TerminalSurface& screen, terminal::Cursor at) {
  const auto cursor = screen.cursor();
  const std::string text = screen.cell(at.row, at.col).text;
  return cursor.row == at.row && cursor.col == at.col && (text.empty() || text == " ");
}

// Whether the cursor stands right after the guest shell's prompt ("$ ", see the tiny image).
bool at_prompt(const TerminalSurface& screen) {
  const auto cursor = screen.cursor();
  return cursor.col >= 2 && screen.cell(cursor.row, cursor.col - 2).text == "$";
}

// The screen's rows as text, for an error message.
std::string screen_text(const TerminalSurface& screen) {
  const int first = static_cast<int>(screen.scrollback_size());
  return screen.text({{first, 0}, {first + screen.rows() - 1, screen.cols() - 1}});
}

// Presses Return until the shell shows its prompt (the guest may still be booting).
bool reach_prompt(EchoPath& path, std::chrono::seconds budget) {
  const auto deadline = EchoClock::now() + budget;
  while (EchoClock::now() < deadline) {
    path.press(EchoKey::enter);
    if (path.wait_shown(at_prompt, 2s)) {
      path.settle(1s);  // the answers to earlier Returns, if the shell was slow
      if (at_prompt(path.screen())) return true;
    }
  }
  return false;
}

Error stuck(const std::string& what, const TerminalSurface& screen) {
  return make_error(ErrorCode::unavailable, what + "; the screen shows:\n" + screen_text(screen));
}

}  // namespace

char key_byte(EchoKey key) {
  switch (key) {
    case EchoKey::enter:
      return '\r';
    case EchoKey::text:
      return kLetter;
    case EchoKey::erase:
      return '\x7f';
  }
  return '\r';
}

Expected<std::vector<double>> type_keys(EchoPath& path, int keys,
                                        const std::function<void()>& each) {
  if (!reach_prompt(path, 180s))
    return stuck("The guest's shell showed no prompt within 180 s", path.screen());
  const terminal::Cursor home = path.screen().cursor();
  std::vector<double> echo_ms;
  for (int i = 0; i < kWarmupKeys + keys; ++i) {
    const auto sent = path.press(EchoKey::text);
    const auto echoed = path.wait_shown(
        [&](const TerminalSurface& screen) { return shows_letter(screen, home); }, kEchoBudget);
    if (!echoed)
      return stuck("Key " + std::to_string(i) + " was not echoed within 10 s", path.screen());
    if (i >= kWarmupKeys) {
      echo_ms.push_back(ms_between(sent, *echoed));
      if (each) each();
    }
    path.press(EchoKey::erase);
    if (!path.wait_shown([&](const TerminalSurface& screen) { return erased(screen, home); },
                         kEchoBudget))
      return stuck("Key " + std::to_string(i) + " was not erased within 10 s", path.screen());
  }
  return echo_ms;
}

double percentile(std::vector<double> samples, double percent) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  const auto rank = static_cast<std::size_t>(percent / 100.0 * static_cast<double>(samples.size()));
  return samples[std::min(samples.size() - 1, rank)];
}

double ms_between(EchoClock::time_point from, EchoClock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

DirectConsole::~DirectConsole() {
  if (console_) console_->close();
}

Status DirectConsole::open(range::Hypervisor& hv, const std::string& domain) {
  auto console = hv.open_console(
      domain,
      [this](std::string_view bytes) {
        std::lock_guard lock(mu_);
        chunks_.push_back({EchoClock::now(), std::string(bytes)});
        arrived_.notify_one();
      },
      [](const std::string&) {});  // a closed console shows as keys without an echo
  if (!console) return console.error();
  console_ = std::move(*console);
  return Status::success();
}

EchoClock::time_point DirectConsole::press(EchoKey key) {
  const auto sent = EchoClock::now();
  (void)console_->write(std::string(1, key_byte(key)));  // a failed write shows as no echo
  return sent;
}

std::optional<EchoClock::time_point> DirectConsole::wait_shown(
    const std::function<bool(const TerminalSurface&)>& shown, std::chrono::milliseconds budget) {
  const auto deadline = EchoClock::now() + budget;
  do {
    // Fed outside the lock, so libvirt's event thread never waits for libvterm.
    while (!taken_.empty()) {
      const Chunk chunk = std::move(taken_.front());
      taken_.pop_front();
      screen_.feed(chunk.bytes);
      if (shown(screen_)) return chunk.arrived;
    }
  } while (take_until(deadline));
  return {};
}

void DirectConsole::settle(std::chrono::milliseconds quiet) {
  do {
    for (const Chunk& chunk : std::exchange(taken_, {})) screen_.feed(chunk.bytes);
  } while (take_until(EchoClock::now() + quiet));
}

bool DirectConsole::take_until(EchoClock::time_point deadline) {
  std::unique_lock lock(mu_);
  arrived_.wait_until(lock, deadline, [&] { return !chunks_.empty(); });
  for (Chunk& chunk : chunks_) taken_.push_back(std::move(chunk));
  chunks_.clear();
  return !taken_.empty();
}

}  // namespace cyrange::bench
