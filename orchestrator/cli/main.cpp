#include <orchestrator/cli/commands.h>
#include <orchestrator/common/log.h>
#include <orchestrator/common/secrets.h>

#include <string>
#include <vector>

int main(int argc, char** argv) {
  CLI::App app{
      "cyrange: cyber-range exercises on your own hypervisors.\n"
      "cyrange: 自分のハイパーバイザで動くサイバー演習基盤。"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show help for every subcommand");
  std::string log_level = "warn";
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")
      ->capture_default_str();
  app.parse_complete_callback([&] { cyrange::log::set_level(log_level); });

  cyrange::cli::add_system_commands(app);
  cyrange::cli::add_scenario_commands(app);
  cyrange::cli::add_range_commands(app);
  cyrange::cli::add_recorder_commands(app);
  cyrange::cli::add_demo_command(app);
  cyrange::cli::add_workforce_commands(app);
  cyrange::cli::add_scoring_commands(app);
  cyrange::cli::add_privacy_commands(app);
  cyrange::cli::add_analytics_commands(app);
  cyrange::cli::add_exercise_commands(app);
  cyrange::cli::add_course_commands(app);

  // Parsed from a copy: the token of --token is then overwritten in the process's own
  // arguments, which every user of this machine can read while the command runs.
  std::vector<std::string> arguments(argv, argv + argc);
  std::vector<char*> copies;
  for (auto& a : arguments) copies.push_back(a.data());
  copies.push_back(nullptr);
  cyrange::hide_secret_arguments(argc, argv);
  CLI11_PARSE(app, argc, copies.data());
  return 0;
}
