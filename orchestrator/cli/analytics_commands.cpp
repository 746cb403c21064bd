// analytics: per trainee and team numbers of an exercise, over gRPC from cyranged.
#include <cstdio>
#include <iostream>
#include <optional>
#include <memory>
#include <string>

#include <client-core/analytics_client.h>
#include <orchestrator/cli/commands.h>
#include <orchestrator/cli/server_flags.h>

namespace cyrange::cli {
namespace {

std::string seconds(std::optional<double> s) {
  if (!s) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", *s);
  return text;
}

void append_row(std::string& out, const client::ActorAnalyticsView& row) {
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

std::string format_analytics(const client::ExerciseAnalyticsView& analytics) {
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

}  // namespace

void add_analytics_commands(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "analytics",
      "Show per trainee and team analytics of an exercise: time to the first action and to "
      "each objective, commands per objective, hints, idle time / 演習の分析（受講者・チーム別）");
  auto flags = std::make_shared<ServerFlags>();
  flags->add_to(cmd);
  auto exercise = std::make_shared<std::string>();
  auto team = std::make_shared<std::string>();
  cmd->add_option("--exercise", *exercise, "Exercise id")->required();
  cmd->add_option("--team", *team, "One team only (a trainee sees only their own)");
  cmd->callback([flags, exercise, team] {
    client::Connection connection = flags->connect();
    auto analytics = client::get_analytics(connection, *exercise, *team);
    if (!analytics) {
      std::cerr << analytics.error().message << "\n";
      throw CLI::RuntimeError(1);
    }
    std::cout << format_analytics(*analytics);
  });
}

}  // namespace cyrange::cli
