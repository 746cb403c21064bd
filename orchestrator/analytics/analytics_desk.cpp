#include <orchestrator/analytics/analytics_desk.h>

#include <algorithm>
#include <utility>

namespace cyrange::analytics {

AnalyticsDesk::AnalyticsDesk(std::shared_ptr<AnalyticsSource> source,
                             std::shared_ptr<privacy::PgAuditLog> audit)
    : source_(std::move(source)), audit_(std::move(audit)) {}

Expected<std::string> AnalyticsDesk::scope_of(const identity::Identity& caller,
                                              const std::string& exercise,
                                              const std::string& team) {
  using identity::Role;
  if (exercise.empty()) {
    return make_error(ErrorCode::invalid_argument,
                      "No exercise was named; analytics are per exercise, so pass its id. "
                      "演習 ID を指定してください。");
  }
  if (Status bound = identity::check_exercise_scope(caller, exercise); !bound) return bound.error();
  std::string scope = team;
  if (caller.role == Role::trainee) {
    if (!caller.team_id) {
      return make_error(ErrorCode::permission_denied,
                        "Trainee '" + caller.name +
                            "' belongs to no team, so has no analytics "
                            "to see. チームに所属していません。");
    }
    auto own = source_->team_name(*caller.team_id);
    if (!own) return own.error();
    if (!team.empty() && team != *own) {
      return make_error(ErrorCode::permission_denied,
                        "Trainee '" + caller.name + "' plays in team '" + *own +
                            "' and cannot see the analytics of team '" + team +
                            "'. 他のチームの分析は見られません。");
    }
    scope = *own;
  } else if (caller.role != Role::instructor && caller.role != Role::admin) {
    return make_error(ErrorCode::permission_denied,
                      "Only instructors, admins and trainees (their own team) see analytics; '" +
                          caller.name + "' is " + std::string(identity::to_string(caller.role)) +
                          ". 分析を見る権限がありません。");
  }
  return scope;
}

Expected<ExerciseAnalytics> AnalyticsDesk::report(const identity::Identity& caller,
                                                  const std::string& exercise,
                                                  const std::string& team) {
  using identity::Role;
  auto scoped = scope_of(caller, exercise, team);
  if (!scoped) return scoped.error();
  const std::string& scope = *scoped;
  auto input = source_->load(exercise, scope);
  if (!input) return input.error();
  // Another team's exercise or none at all: the trainee hears the same of both.
  if (caller.role == Role::trainee && input->teams.empty())
    return identity::exercise_not_found(caller, exercise);
  ExerciseAnalytics result = compute_analytics(*input);
  if (caller.role == Role::trainee) {
    // Their team's row and their own: a teammate's numbers are for staff only.
    auto own = source_->pseudonym_of(caller.user_id, exercise);
    if (!own) return own.error();
    std::erase_if(result.trainees,
                  [&](const ActorAnalytics& row) { return own->empty() || row.trainee != *own; });
  }
  if (audit_) {
    auto audited = audit_->append(
        {privacy::actor_of(caller),
         "analytics.view",
         "exercise:" + exercise,
         {{"team", scope.empty() ? "*" : scope}, {"trainees", result.trainees.size()}}});
    if (!audited) return audited.error();  // no unaudited view of recordings
  }
  return result;
}

Expected<TeamActivity> AnalyticsDesk::activity(const identity::Identity& caller,
                                               const std::string& exercise, const std::string& team,
                                               std::size_t limit) {
  auto scope = scope_of(caller, exercise, team);
  if (!scope) return scope.error();
  if (scope->empty())
    return make_error(ErrorCode::invalid_argument,
                      "Name the team whose activity to list; activity is per team.",
                      "活動を表示するチームを指定してください。");
  constexpr std::size_t kDefault = 500, kMost = 5000;
  // A trainee sees their own recorded actions and the team's ledger, not a teammate's lines.
  std::optional<std::string> only_trainee;
  if (caller.role == identity::Role::trainee) {
    auto own = source_->pseudonym_of(caller.user_id, exercise);
    if (!own) return own.error();
    only_trainee = *own;
  }
  auto activity = source_->activity(exercise, *scope,
                                    limit == 0 ? kDefault : std::min(limit, kMost), only_trainee);
  if (!activity && caller.role == identity::Role::trainee &&
      activity.error().code == ErrorCode::not_found)
    return identity::exercise_not_found(caller, exercise);
  if (!activity) return activity.error();
  if (audit_) {
    auto audited = audit_->append({privacy::actor_of(caller),
                                   "analytics.activity",
                                   "exercise:" + exercise,
                                   {{"team", *scope}, {"entries", activity->entries.size()}}});
    if (!audited) return audited.error();  // no unaudited view of recordings
  }
  return activity;
}

}  // namespace cyrange::analytics
