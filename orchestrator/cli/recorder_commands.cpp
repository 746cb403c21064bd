// bench ingest: the recording path against raw COPY and row-by-row INSERT.
#include <iostream>
#include <memory>

#include <bench/ingest/ingest_bench.h>
#include <orchestrator/cli/commands.h>

namespace cyrange::cli {

void add_recorder_commands(CLI::App& app) {
  // `bench` is shared with other components; whoever registers first creates it.
  CLI::App* bench = nullptr;
  try {
    bench = app.get_subcommand("bench");
  } catch (const CLI::OptionNotFound&) {
    bench = app.add_subcommand("bench", "Benchmarks printed side by side / 比較ベンチマーク");
    bench->require_subcommand(1);
  }
  auto options = std::make_shared<bench::IngestBenchOptions>();
  auto* ingest = bench->add_subcommand(
      "ingest",
      "Stream synthetic trainee events through gRPC into PostgreSQL and compare with raw COPY and "
      "row-by-row INSERT on a scratch database / 操作記録の取り込み速度を COPY・INSERT と比較");
  ingest->add_option("--events", options->events, "Synthetic events to stream")
      ->capture_default_str();
  ingest
      ->add_option("--insert-sample", options->insert_sample,
                   "Rows timed for the row-by-row INSERT comparison")
      ->capture_default_str();
  ingest->add_option("--batch", options->batch_events, "Events per client batch")
      ->capture_default_str();
  ingest->callback([options] {
    auto result = bench::run_ingest_bench(*options, std::cout);
    if (!result) {
      std::cerr << result.error().message << "\n";
      throw CLI::RuntimeError(1);
    }
    std::cout << bench::summary_line(*result) << std::endl;
  });
}

}  // namespace cyrange::cli
