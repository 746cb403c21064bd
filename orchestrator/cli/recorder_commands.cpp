// bench ingest: the recording path against raw COPY and row-by-row INSERT;
// bench streams: thousands of concurrent recorder streams against one cyranged.
#include <iostream>
#include <memory>

#include <bench/ingest/ingest_bench.h>
#include <bench/streams/streams_bench.h>
#include <orchestrator/cli/commands.h>

namespace cyrange::cli {
namespace {

// A benchmark's last line, its summary; or why it could not run, with exit status 1.
template <class Result>
void print_summary(const Expected<Result>& result) {
  if (!result) {
    std::cerr << result.error().message << "\n";
    throw CLI::RuntimeError(1);
  }
  std::cout << bench::summary_line(*result) << std::endl;
}

}  // namespace

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
  ingest->callback([options] { print_summary(bench::run_ingest_bench(*options, std::cout)); });

  auto streams_options = std::make_shared<bench::StreamsBenchOptions>();
  auto* streams = bench->add_subcommand(
      "streams",
      "Connect many concurrent recorder clients to one cyranged (a child process on a scratch "
      "database) and count lost and duplicated events / 多数の同時記録クライアントの負荷試験");
  streams->add_option("--clients", streams_options->clients, "Concurrent recorder clients")
      ->capture_default_str();
  streams->add_option("--events", streams_options->events_per_client, "Events per client")
      ->capture_default_str();
  streams->add_option("--batch", streams_options->batch_events, "Events per batch")
      ->capture_default_str();
  streams
      ->add_option("--channels", streams_options->channels,
                   "TCP connections the streams share (0: one per client)")
      ->capture_default_str();
  streams->callback(
      [streams_options] { print_summary(bench::run_streams_bench(*streams_options, std::cout)); });
}

}  // namespace cyrange::cli
