// bench scoreboard: submission -> arrival on every watching instructor console.
#include <iostream>
#include <memory>

#include <bench/scoreboard/scoreboard_bench.h>
#include <orchestrator/cli/commands.h>

namespace cyrange::cli {

void add_scoring_commands(CLI::App& app) {
  // `bench` is shared with other components; whoever registers first creates it.
  CLI::App* bench = nullptr;
  try {
    bench = app.get_subcommand("bench");
  } catch (const CLI::OptionNotFound&) {
    bench = app.add_subcommand("bench", "Benchmarks printed side by side / 比較ベンチマーク");
    bench->require_subcommand(1);
  }
  auto options = std::make_shared<bench::ScoreboardBenchOptions>();
  auto* scoreboard = bench->add_subcommand(
      "scoreboard",
      "Measure the time from an answer submission to its arrival on every watching console, "
      "on a scratch database over loopback / 回答から全コンソールへの得点反映までの時間を計測");
  scoreboard->add_option("--teams", options->teams, "Teams submitting answers")
      ->capture_default_str();
  scoreboard->add_option("--consoles", options->consoles, "Instructor consoles watching")
      ->capture_default_str();
  scoreboard->add_option("--objectives", options->objectives, "Correct answers per team")
      ->capture_default_str();
  scoreboard->add_option("--submitters", options->submitters, "Client threads submitting")
      ->capture_default_str();
  scoreboard->callback([options] {
    auto result = bench::run_scoreboard_bench(*options, std::cout);
    if (!result) {
      std::cerr << result.error().message << "\n";
      throw CLI::RuntimeError(1);
    }
    std::cout << bench::summary_line(*result) << std::endl;
  });
}

}  // namespace cyrange::cli
