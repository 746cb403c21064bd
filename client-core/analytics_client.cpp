#include <client-core/analytics_client.h>

#include <utility>

#include <cyrange/v1/analytics.grpc.pb.h>

#include <client-core/internal/unary_call.h>

namespace cyrange::client {

namespace v1 = cyrange::v1;

namespace {

ActorAnalyticsView from_proto(const v1::ActorAnalytics& in) {
  ActorAnalyticsView out;
  out.team = in.team();
  out.trainee = in.trainee();
  if (in.has_first_action()) out.first_action_s = in.first_action_s();
  for (const auto& o : in.objectives())
    out.objectives.push_back({o.objective(), o.solved_after_s(), o.commands()});
  out.commands = in.commands();
  out.hints = in.hints();
  out.idle_s = in.idle_s();
  return out;
}

}  // namespace

Call<ExerciseAnalyticsView> get_analytics_async(const Connection& connection,
                                                const std::string& exercise,
                                                const std::string& team) {
  v1::GetAnalyticsRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  return start_call<ExerciseAnalyticsView, v1::AnalyticsService>(
      connection, &v1::AnalyticsService::StubInterface::async_interface::GetAnalytics,
      std::move(request), [](const v1::GetAnalyticsResponse& response) {
        ExerciseAnalyticsView out;
        out.exercise = response.exercise_id();
        out.start_unix_us = response.start_unix_us();
        for (const auto& t : response.teams()) out.teams.push_back(from_proto(t));
        for (const auto& t : response.trainees()) out.trainees.push_back(from_proto(t));
        return out;
      });
}

Expected<ExerciseAnalyticsView> get_analytics(const Connection& connection,
                                              const std::string& exercise,
                                              const std::string& team) {
  return get_analytics_async(connection, exercise, team).wait();
}

Call<TeamActivityView> list_activity_async(const Connection& connection,
                                           const std::string& exercise, const std::string& team,
                                           std::uint32_t limit) {
  v1::ListActivityRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  request.set_limit(limit);
  return start_call<TeamActivityView, v1::AnalyticsService>(
      connection, &v1::AnalyticsService::StubInterface::async_interface::ListActivity,
      std::move(request), [](const v1::ListActivityResponse& response) {
        TeamActivityView out;
        out.start_unix_us = response.start_unix_us();
        out.truncated = response.truncated();
        for (const auto& e : response.entries())
          out.entries.push_back(
              {e.at_s(), e.trainee(), e.kind(), e.host(), e.text(), e.redacted(), e.points()});
        return out;
      });
}

}  // namespace cyrange::client
