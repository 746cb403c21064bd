#pragma once

// The terminal echo benchmark's measuring loop, shared by its two paths: a key goes into
// the guest's serial console, the guest's shell echoes it, a libvterm screen shows it.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <client-qt/terminal/terminal_surface.h>
#include <orchestrator/common/expected.h>
#include <orchestrator/range/hypervisor.h>

namespace cyrange::bench {

using EchoClock = std::chrono::steady_clock;

/// The keys the loop presses.
enum class EchoKey {
  enter,  ///< Return: asks the shell for a fresh prompt
  text,   ///< the measured key, a letter that echoes as itself
  erase,  ///< Backspace: takes the measured key back off the line
};

/// One way into the guest's console: keys go in, a libvterm screen shows what came back.
class EchoPath {
 public:
  virtual ~EchoPath() = default;
  /// The screen as this path shows it now.
  virtual const terminal::TerminalSurface& screen() const = 0;
  /// Sends one key; the moment it left.
  virtual EchoClock::time_point press(EchoKey key) = 0;
  /// Runs until the screen satisfies `shown`; the moment it was shown (received for the
  /// console, painted for the widget), or nothing after `budget`.
  virtual std::optional<EchoClock::time_point> wait_shown(
      const std::function<bool(const terminal::TerminalSurface&)>& shown,
      std::chrono::milliseconds budget) = 0;
  /// Takes in whatever the guest says until it has been quiet for `quiet`.
  virtual void settle(std::chrono::milliseconds quiet) = 0;
};

/// The byte a terminal sends for `key`.
char key_byte(EchoKey key);

/// Echo times in ms of `keys` measured keys on `path`, one at a time: each waits for its
/// echo, then Backspace erases it and waits for the line to be as before, so the line
/// never grows. A few warm-up keys go first, uncounted. `each` runs after every counted
/// key. An error names the key that got no echo and shows the screen.
Expected<std::vector<double>> type_keys(EchoPath& path, int keys,
                                        const std::function<void()>& each = {});

/// The value below which `percent` of `samples` lie (nearest rank); 0 for none.
double percentile(std::vector<double> samples, double percent);

/// Milliseconds from `from` to `to`.
double ms_between(EchoClock::time_point from, EchoClock::time_point to);

/// The baseline: a guest's console read straight through libvirt, as cyranged itself
/// reads it (range::open_libvirt_console), with no gRPC and no daemon in between. The
/// echo counts as shown when the byte arrives on libvirt's event thread.
class DirectConsole final : public EchoPath {
 public:
  DirectConsole() = default;
  /// Closes the console; no callback runs after that, so the members may go.
  ~DirectConsole() override;

  /// Opens `domain`'s console on `hv`, taking it over from whoever had it.
  Status open(range::Hypervisor& hv, const std::string& domain);

  const terminal::TerminalSurface& screen() const override { return screen_; }
  EchoClock::time_point press(EchoKey key) override;
  std::optional<EchoClock::time_point> wait_shown(
      const std::function<bool(const terminal::TerminalSurface&)>& shown,
      std::chrono::milliseconds budget) override;
  void settle(std::chrono::milliseconds quiet) override;

 private:
  struct Chunk {
    EchoClock::time_point arrived;
    std::string bytes;
  };
  /// Moves what arrived into taken_, waiting until `deadline` for the first chunk;
  /// false when nothing came.
  bool take_until(EchoClock::time_point deadline);

  std::unique_ptr<range::ConsoleStream> console_;
  terminal::TerminalSurface screen_{24, 80};
  std::mutex mu_;
  std::condition_variable arrived_;
  std::deque<Chunk> chunks_;  ///< arrived, under mu_
  std::deque<Chunk> taken_;   ///< taken from chunks_, not yet fed; the caller's thread only
};

}  // namespace cyrange::bench
