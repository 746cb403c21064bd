#pragma once

#include <chrono>
#include <mutex>
#include <optional>

#include <orchestrator/common/expected.h>

namespace cyrange::timeline {

/// Wall time, injectable so that tests drive the clock by hand. system_clock and
/// not steady_clock: the clock state is persisted and must mean the same after a
/// restart of the process.
class TimeSource {
 public:
  virtual ~TimeSource() = default;
  /// The current wall time.
  virtual std::chrono::system_clock::time_point now() const = 0;
};

/// The real wall clock.
class SystemTimeSource : public TimeSource {
 public:
  std::chrono::system_clock::time_point now() const override;
};

/// A wall clock that moves only when the test says so. Thread-safe.
class ManualTimeSource : public TimeSource {
 public:
  /// Starts at an arbitrary fixed instant.
  ManualTimeSource();
  std::chrono::system_clock::time_point now() const override;
  /// Moves wall time forward by `seconds` (fractions allowed).
  void advance(double seconds);

 private:
  mutable std::mutex mutex_;
  std::chrono::system_clock::time_point now_;
};

/// The persisted state of an exercise clock. Exercise time is `accumulated`
/// plus, unless paused, (wall now - segment_started_at) * speed: every pause,
/// resume or speed change folds the running segment into `accumulated`.
struct ClockState {
  std::optional<std::chrono::system_clock::time_point> started_at;  ///< unset: not started
  std::chrono::system_clock::time_point segment_started_at{};
  double accumulated = 0;  ///< exercise seconds before the current segment
  double speed = 1;        ///< exercise seconds per wall second, > 0
  bool paused = false;
};

/// The exercise clock: start, pause, resume and speed factor over a TimeSource.
/// Transport- and storage-free; the owner persists state() after each change.
/// Not thread-safe: the owning timeline serialises access.
class ExerciseClock {
 public:
  /// `source` must outlive the clock.
  ExerciseClock(const TimeSource& source, ClockState state = {});

  /// Exercise seconds now; 0 before start, frozen while paused.
  double now() const;
  /// Starts the clock at exercise time 0; failed_precondition when already started.
  Status start();
  /// Freezes exercise time; failed_precondition when not running.
  Status pause();
  /// Continues after pause(); failed_precondition when not paused.
  Status resume();
  /// Changes the speed factor from now on; invalid_argument unless 0 < speed <= 10000.
  Status set_speed(double speed);
  /// True once started.
  bool started() const { return state_.started_at.has_value(); }
  /// True while paused.
  bool paused() const { return state_.paused; }
  /// Puts back a state returned by state(), e.g. when persisting a change failed.
  void restore(const ClockState& state) { state_ = state; }
  /// The state to persist.
  const ClockState& state() const { return state_; }

 private:
  void fold();
  const TimeSource& source_;
  ClockState state_;
};

}  // namespace cyrange::timeline
