#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include <orchestrator/cli/commands.h>
#include <orchestrator/playtest/script_dry_run.h>
#include <orchestrator/scenario/diagnostic_json.h>
#include <orchestrator/scenario/dry_run.h>
#include <orchestrator/scenario/graph.h>
#include <orchestrator/scenario/includes.h>
#include <orchestrator/scenario/parser.h>
#include <orchestrator/scenario/validate.h>

namespace cyrange::cli {
namespace {

namespace sc = cyrange::scenario;

/// Every problem of a scenario, or of a topology template checked on its own.
Expected<std::vector<sc::Diagnostic>> problems_of(const std::string& file, bool templates) {
  if (templates && sc::is_topology_template(file)) return sc::validate_topology_template(file);
  auto loaded = sc::load_scenario(file);
  if (!loaded) return loaded.error();
  return sc::validate(*loaded);
}

/// Loads and validates `file` (with `templates`, a topology template too); prints its
/// diagnostics; counts them.
bool check_file(const std::string& file, int& errors, int& warnings, bool templates = false) {
  auto found = problems_of(file, templates);
  if (!found) {
    std::cerr << found.error().message << "\n";
    ++errors;
    return false;
  }
  const auto& diagnostics = *found;
  for (const auto& d : diagnostics) std::cerr << d.format() << "\n";
  errors += sc::count(diagnostics, sc::Severity::error);
  warnings += sc::count(diagnostics, sc::Severity::warning);
  return sc::count(diagnostics, sc::Severity::error) == 0;
}

/// Loads a file for graph/dry-run; refuses a scenario with errors.
sc::Scenario load_valid(const std::string& file) {
  int errors = 0, warnings = 0;
  if (!check_file(file, errors, warnings)) {
    std::cerr << file << ": the scenario has " << errors
              << " error(s); run `cyrange scenario validate " << file
              << "`, fix them and try again.\n";
    throw CLI::RuntimeError(1);
  }
  return std::move(*sc::load_scenario(file));
}

/// `validate --json`: one JSON document on stdout with every file's diagnostics (a file
/// that cannot be read is one error diagnostic), for editors to show as problems.
void run_validate_json(const std::vector<std::string>& files) {
  std::vector<sc::Diagnostic> all;
  for (const auto& file : files) {
    auto found = problems_of(file, true);
    if (!found) {
      all.push_back(sc::failure_diagnostic(file, found.error().message));
      continue;
    }
    all.insert(all.end(), found->begin(), found->end());
  }
  nlohmann::ordered_json out = sc::diagnostics_json(all);
  out["files"] = files;
  std::cout << out.dump(2) << "\n";
  if (out["errors"].get<int>() > 0) throw CLI::RuntimeError(1);
}

void run_validate(const std::vector<std::string>& files, bool json) {
  if (json) return run_validate_json(files);
  int errors = 0, warnings = 0;
  for (const auto& file : files) check_file(file, errors, warnings, true);
  std::cout << files.size() << " file(s) checked: " << errors << " error(s), " << warnings
            << " warning(s) / 検査 " << files.size() << " 件: エラー " << errors << " 件、警告 "
            << warnings << " 件\n";
  if (errors > 0) throw CLI::RuntimeError(1);
}

void run_graph(const std::string& file, const std::string& svg) {
  const std::string dot = sc::to_dot(load_valid(file));
  if (svg.empty()) {
    std::cout << dot;
    return;
  }
  // The path is passed to dot as an argument, never through a shell.
  const std::string tmp = (std::filesystem::temp_directory_path() /
                           ("cyrange-graph-" + std::to_string(::getpid()) + ".dot"))
                              .string();
  if (FILE* out = std::fopen(tmp.c_str(), "w")) {
    std::fwrite(dot.data(), 1, dot.size(), out);
    std::fclose(out);
  }
  const pid_t child = ::fork();
  if (child == 0) {
    ::execlp("dot", "dot", "-Tsvg", "-o", svg.c_str(), tmp.c_str(), static_cast<char*>(nullptr));
    std::_Exit(127);
  }
  int status = -1;
  if (child > 0) ::waitpid(child, &status, 0);
  std::filesystem::remove(tmp);
  if (child < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::cerr << "Graphviz could not render " << svg
              << "; install the graphviz package (scripts/install-deps.sh) or omit --svg "
                 "and pipe the DOT output yourself.\n";
    throw CLI::RuntimeError(1);
  }
  std::cout << "wrote " << svg << " / " << svg << " を書き出しました\n";
}

void run_dry_run(const std::string& file, double speed, const std::string& script,
                 const playtest::ScriptDryRunOptions& options) {
  if (speed <= 0) {
    std::cerr << "--speed must be greater than 0 (e.g. 10 for ten times faster).\n";
    throw CLI::RuntimeError(1);
  }
  const sc::Scenario scenario = load_valid(file);
  std::cout << "dry run of " << scenario.metadata.id << " at speed x" << speed
            << " (no range is started) / 範囲を起動しない模擬実行\n";
  if (script.empty()) {
    std::cout << sc::format_plan(sc::plan_timeline(scenario), speed);
    return;
  }
  auto report = playtest::dry_run_script_file(scenario, script, speed, options);
  if (!report) {
    std::cerr << report.error().message << "\n";
    throw CLI::RuntimeError(1);
  }
  std::cout << report->text;
  if (!report->ok) throw CLI::RuntimeError(1);
}

}  // namespace

void add_scenario_commands(CLI::App& app) {
  CLI::App* scenario =
      app.add_subcommand("scenario", "Check and inspect scenario files / シナリオの検査と確認");
  scenario->require_subcommand(1);
  add_scenario_tool_commands(*scenario);

  auto* validate = scenario->add_subcommand(
      "validate", "Check scenario files; exit 1 on any error / シナリオファイルを検査");
  static std::vector<std::string> validate_files;
  validate
      ->add_option("FILE", validate_files,
                   "scenario.yaml files, or topology templates (checked on their own)")
      ->required();
  static bool validate_json = false;
  validate->add_flag("--json", validate_json,
                     "print the diagnostics as one JSON document (file, start and end line and "
                     "column, severity, message, fix, notes) for editors / 診断を JSON で出力");
  validate->callback([] { run_validate(validate_files, validate_json); });

  auto* graph = scenario->add_subcommand(
      "graph", "Topology and attack path as Graphviz DOT / 構成と攻撃経路をDOTで出力");
  static std::string graph_file, graph_svg;
  graph->add_option("FILE", graph_file, "scenario.yaml file")->required();
  graph->add_option("--svg", graph_svg, "render to this SVG file with graphviz's dot");
  graph->callback([] { run_graph(graph_file, graph_svg); });

  auto* dry_run = scenario->add_subcommand(
      "dry-run", "Simulate the timeline without a range / 範囲なしでタイムラインを模擬");
  static std::string dry_file;
  static double dry_speed = 1.0;
  dry_run->add_option("FILE", dry_file, "scenario.yaml file")->required();
  dry_run->add_option("--speed", dry_speed, "exercise clock speed-up factor")
      ->capture_default_str();
  static std::string dry_script;
  dry_run->add_option("--script", dry_script,
                      "play a trainee script (scenarios/NAME/playtest/*.yaml) on the timeline");
  // The training day's seed and first team by default, so that a dry run draws the
  // variables `scenario playtest` plays with.
  static playtest::ScriptDryRunOptions dry_options{2026, "team1", {}, {}};
  dry_run->add_option("--seed", dry_options.seed, "seed of the team's variables (with --script)")
      ->capture_default_str();
  dry_run->add_option("--team", dry_options.team, "the simulated team's name (with --script)")
      ->capture_default_str();
  dry_run->callback([] { run_dry_run(dry_file, dry_speed, dry_script, dry_options); });
}

}  // namespace cyrange::cli
