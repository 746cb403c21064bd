#pragma once

#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/identity/identity.h>
#include <orchestrator/timeline/hub.h>

namespace cyrange::timeline {

/// One team's timeline as a caller may see it.
struct TeamTimelineView {
  ClockState clock;
  double now = 0;
  std::vector<Execution> executions;  ///< trainees: delivered visible items only, stripped
};

/// Who may do what with timelines; transport-free so the rules are unit-tested
/// without gRPC. Instructors and admins see and steer everything. A trainee sees
/// only the delivered messages, decisions and objectives of their own team, and
/// may answer their own team's decisions. Designers have no part in a running
/// exercise.
class TimelineControl {
 public:
  /// `hub` must outlive the control.
  explicit TimelineControl(TimelineHub& hub);

  /// One team's timeline, filtered for the caller.
  Expected<TeamTimelineView> list(const identity::Identity& caller, const std::string& exercise,
                                  const std::string& team) const;
  /// Instructor/admin: fires an item now.
  Status fire(const identity::Identity& caller, const std::string& exercise,
              const std::string& team, const std::string& item);
  /// Instructor/admin: skips an item.
  Status skip(const identity::Identity& caller, const std::string& exercise,
              const std::string& team, const std::string& item, const std::string& reason);
  /// Instructor/admin, or a trainee of `team`: chooses a decision's option.
  Status choose(const identity::Identity& caller, const std::string& exercise,
                const std::string& team, const std::string& decision, const std::string& option);
  /// What a clock call does.
  enum class ClockOp { start, pause, resume, set_speed };
  /// Instructor/admin: starts, pauses, resumes or re-speeds the exercise clock.
  Expected<ClockState> clock(const identity::Identity& caller, const std::string& exercise,
                             ClockOp op, double speed = 1);
  /// Checks that `caller` may watch `team` of `exercise` (empty team: every team,
  /// staff only).
  Status authorize_watch(const identity::Identity& caller, const std::string& exercise,
                         const std::string& team) const;
  /// Whether a watcher of `team` (empty: all) who is `caller` receives `event`.
  static bool should_deliver(const identity::Identity& caller, const std::string& exercise,
                             const std::string& team, const TimelineEvent& event);

 private:
  // Staff (admin, instructor) whose scope covers `exercise`.
  Status require_staff(const identity::Identity& caller, const std::string& exercise,
                       const std::string& what) const;
  Status require_member(const identity::Identity& caller, const std::string& exercise,
                        const std::string& team, const std::string& what) const;
  TimelineHub& hub_;
};

/// True for the roles that run exercises: admin and instructor.
bool is_staff(const identity::Identity& caller);

}  // namespace cyrange::timeline
