#include <client-core/analytics_client.h>

#include <cstdio>

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

std::string seconds(std::optional<double> s) {
  if (!s) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", *s);
  return text;
}

void append_row(std::string& out, const ActorAnalyticsView& row) {
  char line[256];
  std::snprintf(line, sizeof line, "  %-10s %-24s %10s %8lld %6lld %9s\n", row.team.c_str(),
                row.trainee.empty() ? "(team)" : row.trainee.c_str(),
                seconds(row.first_action_s).c_str(), static_cast<long long>(row.commands),
                static_cast<long long>(row.hints), seconds(row.idle_s).c_str());
  out += line;
  for (const auto& o : row.objectives) {
    std::snprintf(line, sizeof line, "      %-28s solved at %8s s, %lld commands\n",
                  o.objective.c_str(), seconds(o.solved_after_s).c_str(),
                  static_cast<long long>(o.commands));
    out += line;
  }
}

}  // namespace

Expected<ExerciseAnalyticsView> get_analytics(const Connection& connection,
                                              const std::string& exercise,
                                              const std::string& team) {
  v1::GetAnalyticsRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  auto response = unary_call<v1::AnalyticsService, v1::GetAnalyticsResponse>(
      connection, &v1::AnalyticsService::Stub::GetAnalytics, request);
  if (!response) return response.error();
  ExerciseAnalyticsView out;
  out.exercise = response->exercise_id();
  out.start_unix_us = response->start_unix_us();
  for (const auto& t : response->teams()) out.teams.push_back(from_proto(t));
  for (const auto& t : response->trainees()) out.trainees.push_back(from_proto(t));
  return out;
}

std::string format_analytics(const ExerciseAnalyticsView& analytics) {
  std::string out = "analytics / 分析: " + analytics.exercise +
                    " (seconds since the exercise started / 演習開始からの秒数)\n";
  char header[256];
  std::snprintf(header, sizeof header, "  %-10s %-24s %10s %8s %6s %9s\n", "team", "trainee",
                "first_s", "commands", "hints", "idle_s");
  out += header;
  for (const auto& row : analytics.teams) append_row(out, row);
  for (const auto& row : analytics.trainees) append_row(out, row);
  return out;
}

}  // namespace cyrange::client
