#pragma once

#include <chrono>
#include <optional>

#include <client-qt/recording/pending_input.h>

namespace cyrange::qt::recording {

/// Coalesces raw mouse moves into at most one sample per interval (rrweb samples every
/// 50 ms): a window opens at a move's input time and takes every move until one arrives
/// `interval` or more later (or earlier than the window: a clock jump), which closes it.
/// A sample is the window's last move (position and clocks) with `count` = moves merged.
/// Not thread-safe; the recording worker owns it.
class MoveSampler {
 public:
  /// Windows of `interval` (at least 1 ms).
  explicit MoveSampler(std::chrono::milliseconds interval);

  /// Adds one raw move; returns the previous window's sample when this move closes it.
  std::optional<PendingInput> add(const PendingInput& move);
  /// Closes the open window now (idle, another event, shutdown): its sample, if any.
  std::optional<PendingInput> take();
  /// True while a window holds moves.
  bool holding() const { return window_.has_value(); }

 private:
  std::int64_t interval_ms_;
  std::int64_t window_start_ms_ = 0;
  std::optional<PendingInput> window_;
};

}  // namespace cyrange::qt::recording
