#include <orchestrator/analytics/analytics_desk.h>

#include <utility>

namespace cyrange::analytics {

AnalyticsDesk::AnalyticsDesk(std::shared_ptr<AnalyticsSource> source,
                             std::shared_ptr<privacy::PgAuditLog> audit)
    : source_(std::move(source)), audit_(std::move(audit)) {}

Expected<ExerciseAnalytics> AnalyticsDesk::report(const identity::Identity& caller,
                                                  const std::string& exercise,
                                                  const std::string& team) {
  using identity::Role;
  if (exercise.empty()) {
    return make_error(ErrorCode::invalid_argument,
                      "No exercise was named; analytics are per exercise, so pass its id. "
                      "演習 ID を指定してください。");
  }
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
  auto input = source_->load(exercise, scope);
  if (!input) return input.error();
  if (caller.role == Role::trainee && input->teams.empty()) {
    return make_error(ErrorCode::permission_denied,
                      "Exercise '" + exercise + "' does not include team '" + scope +
                          "' of trainee '" + caller.name +
                          "'; a trainee sees the analytics of their own exercises only. "
                          "自分のチームの演習の分析のみ見られます。");
  }
  ExerciseAnalytics result = compute_analytics(*input);
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

}  // namespace cyrange::analytics
