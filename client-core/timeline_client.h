#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <client-core/connection.h>
#include <orchestrator/common/expected.h>

namespace cyrange::client {

/// The exercise clock as the server reports it.
struct TimelineClock {
  bool started = false;
  bool paused = false;
  double speed = 1;        ///< exercise seconds per wall second
  double now_seconds = 0;  ///< exercise time when the server answered
};

/// One item of a team's timeline. Trainees receive only id, kind, state, text,
/// options, choice and finished_at; staff everything.
struct TimelineItemView {
  std::int64_t execution_id = 0;
  std::string item_id;
  std::string kind;   ///< message, step or objective
  std::string state;  ///< pending, due, firing, done, failed or skipped
  std::string category, type, technique, target, trigger;
  std::optional<double> due_at, fired_at, finished_at;  ///< exercise seconds
  int attempts = 0;
  std::string text_ja, text_en;
  std::vector<std::string> options;
  std::string choice, detail;
  std::map<std::string, std::string> params;
};

/// ListTimeline's answer.
struct TimelineListing {
  TimelineClock clock;
  std::vector<TimelineItemView> items;
};

/// One message of WatchTimeline: the initial state (snapshot) or a change.
struct TimelineChange {
  std::string exercise, team;
  TimelineItemView item;
  double exercise_time = 0;
  bool snapshot = false;
};

/// A running WatchTimeline stream; destroying it cancels the stream.
class TimelineWatch {
 public:
  virtual ~TimelineWatch() = default;
  /// Cancels the stream and waits until its callbacks have stopped.
  virtual void stop() = 0;
};

/// What ControlClock does.
enum class ClockAction { start, pause, resume, set_speed };

/// TimelineService calls with domain results. Unary calls block; watch() calls back
/// on its own thread.
class TimelineClient {
 public:
  /// Uses (and shares) `connection`.
  explicit TimelineClient(Connection connection);

  /// One team's timeline (a trainee: its own team, delivered items only).
  Expected<TimelineListing> list(const std::string& exercise, const std::string& team) const;
  /// Fires an item now (instructors).
  Status fire(const std::string& exercise, const std::string& team, const std::string& item) const;
  /// Skips an item that has not run (instructors).
  Status skip(const std::string& exercise, const std::string& team, const std::string& item,
              const std::string& reason) const;
  /// Answers a presented decision.
  Status choose(const std::string& exercise, const std::string& team, const std::string& decision,
                const std::string& option) const;
  /// Starts, pauses, resumes or re-speeds the clock (instructors); `speed` for set_speed.
  Expected<TimelineClock> control_clock(const std::string& exercise, ClockAction action,
                                        double speed = 0) const;
  /// Streams the timeline of `team` (empty: every team, staff only): `on_change` for
  /// the snapshot items and every change, then `on_end` once with why the stream ended
  /// (cancelled after stop()). Both run on the watch's thread and must not block long.
  std::unique_ptr<TimelineWatch> watch(const std::string& exercise, const std::string& team,
                                       std::function<void(const TimelineChange&)> on_change,
                                       std::function<void(const Error&)> on_end) const;

 private:
  Connection connection_;
};

}  // namespace cyrange::client
