#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <client-core/call.h>
#include <client-core/connection.h>
#include <client-core/localized_text.h>
#include <client-core/subscription.h>
#include <orchestrator/common/expected.h>

namespace cyrange::client {

/// The exercise clock as the server reports it.
struct TimelineClock {
  bool started = false;
  bool paused = false;
  double speed = 1;        ///< exercise seconds per wall second
  double now_seconds = 0;  ///< exercise time when the server answered
};

/// What a timeline item is.
enum class ItemKind { unknown, message, step, objective };

/// Where a timeline item stands for one team.
enum class ItemState { unknown, pending, due, firing, done, failed, skipped };

/// One item of a team's timeline. Trainees receive only id, kind, state, text,
/// options, choice and finished_at; staff everything.
struct TimelineItemView {
  std::int64_t execution_id = 0;
  std::string item_id;
  ItemKind kind = ItemKind::unknown;
  ItemState state = ItemState::unknown;
  std::string category, type, technique, target, trigger;
  std::optional<double> due_at, fired_at, finished_at;  ///< exercise seconds
  int attempts = 0;
  LocalizedText text;
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

/// What ControlClock does.
enum class ClockAction { start, pause, resume, set_speed };

/// TimelineService, Qt-free; asynchronous calls follow call.h, streams subscription.h.
class TimelineClient {
 public:
  /// Uses (and shares) `connection`.
  explicit TimelineClient(Connection connection);

  /// One team's timeline (a trainee: its own team, delivered items only).
  Call<TimelineListing> list_async(const std::string& exercise, const std::string& team) const;
  /// Fires an item now (instructors).
  Call<Unit> fire_async(const std::string& exercise, const std::string& team,
                        const std::string& item) const;
  /// Skips an item that has not run (instructors).
  Call<Unit> skip_async(const std::string& exercise, const std::string& team,
                        const std::string& item, const std::string& reason) const;
  /// Answers a presented decision.
  Call<Unit> choose_async(const std::string& exercise, const std::string& team,
                          const std::string& decision, const std::string& option) const;
  /// Starts, pauses, resumes or re-speeds the clock (instructors); `speed` for set_speed.
  Call<TimelineClock> control_clock_async(const std::string& exercise, ClockAction action,
                                          double speed = 0) const;

  /// Blocking forms of the calls above.
  Expected<TimelineListing> list(const std::string& exercise, const std::string& team) const;
  Status fire(const std::string& exercise, const std::string& team, const std::string& item) const;
  Status skip(const std::string& exercise, const std::string& team, const std::string& item,
              const std::string& reason) const;
  Status choose(const std::string& exercise, const std::string& team, const std::string& decision,
                const std::string& option) const;
  Expected<TimelineClock> control_clock(const std::string& exercise, ClockAction action,
                                        double speed = 0) const;

  /// Streams the timeline of `team` (empty: every team, staff only): the snapshot
  /// items, then every change; after a lost link a new snapshot (items are keyed by
  /// execution id, so applying it again is harmless).
  Subscription watch(const std::string& exercise, const std::string& team,
                     std::function<void(const TimelineChange&)> on_change,
                     std::function<void(const StreamEnd&)> on_end = {}) const;

 private:
  Connection connection_;
};

}  // namespace cyrange::client
