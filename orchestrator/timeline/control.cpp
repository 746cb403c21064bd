#include <orchestrator/timeline/control.h>

namespace cyrange::timeline {
namespace {

// What a trainee may know of a delivered item: its text and, for decisions, the
// options; never targets, parameters or techniques of the attack.
Execution for_trainee(const Execution& e) {
  Execution out;
  out.id = e.id;
  out.exercise = e.exercise;
  out.team = e.team;
  out.item.id = e.item.id;
  out.item.kind = e.item.kind;
  out.item.category = e.item.category == "decision" ? "decision" : "";
  out.item.text_ja = e.item.text_ja;
  out.item.text_en = e.item.text_en;
  out.item.options = e.item.options;
  out.item.seq = e.item.seq;
  out.state = e.state;
  out.finished_at = e.finished_at;
  out.choice = e.choice;
  return out;
}

}  // namespace

bool is_staff(const identity::Identity& caller) {
  return caller.role == identity::Role::admin || caller.role == identity::Role::instructor;
}

TimelineControl::TimelineControl(TimelineHub& hub) : hub_(hub) {}

Status TimelineControl::require_staff(const identity::Identity& caller, const std::string& exercise,
                                      const std::string& what) const {
  if (is_staff(caller)) return identity::check_exercise_scope(caller, exercise);
  return make_error(ErrorCode::permission_denied,
                    "User '" + caller.name + "' is " +
                        std::string(identity::to_string(caller.role)) + " and may not " + what +
                        "; ask an instructor. "
                        "この操作は指導者（instructor）または管理者のみが行えます。");
}

Status TimelineControl::require_member(const identity::Identity& caller,
                                       const std::string& exercise, const std::string& team,
                                       const std::string& what) const {
  if (Status scope = identity::check_exercise_scope(caller, exercise); !scope) return scope;
  if (is_staff(caller)) return Status::success();
  const auto denied =
      make_error(ErrorCode::permission_denied, "User '" + caller.name + "' may not " + what +
                                                   " of team '" + team +
                                                   "': trainees see only their own team. "
                                                   "受講者は自チームの情報のみ参照できます。");
  if (caller.role != identity::Role::trainee || !caller.team_id) return denied;
  auto name = hub_.store().team_name(*caller.team_id);
  if (!name) return name.error();
  if (!name->has_value() || **name != team) return denied;
  return Status::success();
}

Expected<TeamTimelineView> TimelineControl::list(const identity::Identity& caller,
                                                 const std::string& exercise,
                                                 const std::string& team) const {
  if (Status st = require_member(caller, exercise, team, "see the timeline"); !st)
    return st.error();
  auto timeline = hub_.find(exercise);
  if (!timeline) return timeline.error();
  auto executions = (*timeline)->executions(team);
  if (!executions) return executions.error();
  TeamTimelineView view;
  view.clock = (*timeline)->clock_state();
  view.now = (*timeline)->now();
  for (const auto& e : *executions) {
    if (is_staff(caller)) {
      view.executions.push_back(e);
    } else if (e.state == ExecState::done && visible_to_trainees(e.item)) {
      view.executions.push_back(for_trainee(e));
    }
  }
  return view;
}

Status TimelineControl::fire(const identity::Identity& caller, const std::string& exercise,
                             const std::string& team, const std::string& item) {
  if (Status st = require_staff(caller, exercise, "fire timeline steps"); !st) return st;
  auto timeline = hub_.find(exercise);
  if (!timeline) return timeline.error();
  return (*timeline)->fire(team, item);
}

Status TimelineControl::skip(const identity::Identity& caller, const std::string& exercise,
                             const std::string& team, const std::string& item,
                             const std::string& reason) {
  if (Status st = require_staff(caller, exercise, "skip timeline steps"); !st) return st;
  auto timeline = hub_.find(exercise);
  if (!timeline) return timeline.error();
  return (*timeline)->skip(team, item, reason);
}

Status TimelineControl::choose(const identity::Identity& caller, const std::string& exercise,
                               const std::string& team, const std::string& decision,
                               const std::string& option) {
  if (caller.role == identity::Role::designer) {
    return require_staff(caller, exercise, "answer decisions");
  }
  if (Status st = require_member(caller, exercise, team, "answer the decisions"); !st) return st;
  auto timeline = hub_.find(exercise);
  if (!timeline) return timeline.error();
  return (*timeline)->choose(team, decision, option);
}

Expected<ClockState> TimelineControl::clock(const identity::Identity& caller,
                                            const std::string& exercise, ClockOp op, double speed) {
  if (Status st = require_staff(caller, exercise, "control the exercise clock"); !st)
    return st.error();
  auto timeline = hub_.find(exercise);
  if (!timeline) return timeline.error();
  ExerciseTimeline& t = **timeline;
  Status st;
  switch (op) {
    case ClockOp::start:
      st = t.start();
      break;
    case ClockOp::pause:
      st = t.pause();
      break;
    case ClockOp::resume:
      st = t.resume();
      break;
    case ClockOp::set_speed:
      st = t.set_speed(speed);
      break;
  }
  if (!st) return st.error();
  return t.clock_state();
}

Status TimelineControl::authorize_watch(const identity::Identity& caller,
                                        const std::string& exercise,
                                        const std::string& team) const {
  if (team.empty()) {
    if (Status st = require_staff(caller, exercise, "watch every team"); !st) return st;
  } else if (Status st = require_member(caller, exercise, team, "watch the timeline"); !st) {
    return st;
  }
  auto timeline = hub_.find(exercise);
  if (!timeline) return timeline.error();
  return Status::success();
}

bool TimelineControl::should_deliver(const identity::Identity& caller, const std::string& exercise,
                                     const std::string& team, const TimelineEvent& event) {
  if (event.exercise != exercise) return false;
  if (!team.empty() && event.team != team) return false;
  return is_staff(caller) || event.trainee_visible;
}

}  // namespace cyrange::timeline
