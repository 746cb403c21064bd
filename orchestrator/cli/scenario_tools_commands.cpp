// Authoring tools beside validate/graph/dry-run: per-team variants and the JSON Schema.
#include <iostream>
#include <memory>
#include <string>

#include <orchestrator/cli/commands.h>
#include <orchestrator/range/range_set.h>
#include <orchestrator/scenario/parser.h>
#include <orchestrator/scenario/published_schema.h>
#include <orchestrator/scenario/validate.h>
#include <orchestrator/scenario/variants.h>

namespace cyrange::cli {
namespace {

namespace sc = cyrange::scenario;

struct VariantsArgs {
  std::string file;
  int teams = 0;
  std::uint64_t seed = 1;  // the default of `cyrange range up`, so both show the same values
  bool json = false;
};

void run_variants(const VariantsArgs& args) {
  if (args.teams < 1 || args.teams > 99) {
    std::cerr << "--teams must be between 1 and 99, not " << args.teams
              << " / --teams は 1 から 99 の間で指定してください。\n";
    throw CLI::RuntimeError(1);
  }
  auto scenario = sc::load_scenario(args.file);
  if (!scenario) {
    std::cerr << scenario.error().message << "\n";
    throw CLI::RuntimeError(1);
  }
  // Variables of a scenario with errors (a missing segment, bad bounds) have no defined values.
  const auto diagnostics = sc::validate(*scenario);
  for (const auto& d : diagnostics)
    if (d.severity == sc::Severity::error) std::cerr << d.format() << "\n";
  if (const int errors = sc::count(diagnostics, sc::Severity::error); errors > 0) {
    std::cerr << args.file << ": the scenario has " << errors
              << " error(s) (above); fix them and run `cyrange scenario variants` again"
              << " / 上記のエラーを直してから再実行してください。\n";
    throw CLI::RuntimeError(1);
  }
  const auto table = sc::draw_variants(*scenario, args.seed, range::numbered_teams(args.teams));
  if (args.json) {
    std::cout << sc::variants_json(table).dump(2) << "\n";
    return;
  }
  if (table.variables.empty()) {
    std::cout << args.file << " declares no variables; every team sees the same values"
              << " / 変数がないため全チーム同じ値です\n";
    return;
  }
  std::cout << sc::format_variants(table);
}

}  // namespace

void add_scenario_tool_commands(CLI::App& scenario) {
  auto* variants = scenario.add_subcommand(
      "variants", "Each team's randomised values / チームごとの変数の値を表示");
  auto args = std::make_shared<VariantsArgs>();
  variants->add_option("FILE", args->file, "scenario.yaml file")->required();
  variants->add_option("--teams", args->teams, "number of teams (t1..tN, as range up names them)")
      ->required();
  variants->add_option("--seed", args->seed, "seed of the per-team variables")
      ->capture_default_str();
  variants->add_flag("--json", args->json, "print JSON instead of a table");
  variants->callback([args] { run_variants(*args); });

  auto* schema = scenario.add_subcommand(
      "schema", "Print the JSON Schema of scenario files / シナリオのJSON Schemaを出力");
  schema->callback([] { std::cout << sc::published_schema(); });
  add_scenario_reference_command(scenario);
}

}  // namespace cyrange::cli
