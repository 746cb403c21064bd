// analytics: per trainee and team numbers of an exercise, over gRPC from cyranged.
#include <iostream>
#include <memory>
#include <string>

#include <client-core/analytics_client.h>
#include <orchestrator/cli/commands.h>
#include <orchestrator/cli/server_flags.h>

namespace cyrange::cli {

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
    std::cout << client::format_analytics(*analytics);
  });
}

}  // namespace cyrange::cli
