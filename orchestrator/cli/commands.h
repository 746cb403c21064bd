#pragma once

#include <chrono>
#include <string>

#include <CLI/CLI.hpp>

namespace cyrange::cli {

/// Each component adds its subcommands to the one `cyrange` application. A command
/// that fails prints a complete sentence to stderr and throws CLI::RuntimeError(1)
/// (or another exit code), which main() turns into the process exit status.
void add_system_commands(CLI::App& app);     ///< version, db migrate, certs init, users add
void add_scenario_commands(CLI::App& app);   ///< scenario validate | graph | dry-run
void add_range_commands(CLI::App& app);      ///< images build, range up | status | down
void add_recorder_commands(CLI::App& app);   ///< bench ingest
void add_demo_command(CLI::App& app);        ///< demo: the README's main job
void add_workforce_commands(CLI::App& app);  ///< workforce generate, bench workforce
void add_scoring_commands(CLI::App& app);    ///< bench scoreboard
/// privacy retention | org | withdraw | audit; export research | terminal
void add_privacy_commands(CLI::App& app);
/// analytics: per trainee and team numbers of an exercise (AnalyticsService)
void add_analytics_commands(CLI::App& app);

/// exercise join-codes: one join code per team of an exercise (ExerciseService)
void add_exercise_commands(CLI::App& app);
/// course publish | list | withdraw | results: self-paced courses (database directly)
void add_course_commands(CLI::App& app);

/// A lifetime written "12h", "30m", "7d", "90s" or plain seconds; prints why and throws
/// CLI::RuntimeError(1) when it is not one.
std::chrono::seconds parse_ttl(const std::string& text);

/// scenario variants | schema, added to the `scenario` subcommand by add_scenario_commands.
void add_scenario_tool_commands(CLI::App& scenario);
/// scenario reference (the Markdown format reference), added by add_scenario_tool_commands.
void add_scenario_reference_command(CLI::App& scenario);

}  // namespace cyrange::cli
