#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>

#include <orchestrator/common/expected.h>

namespace cyrange::bench {

/// Parameters of `cyrange bench ingest`.
struct IngestBenchOptions {
  std::size_t events = 100000;       ///< synthetic events streamed through gRPC
  std::size_t insert_sample = 1000;  ///< rows timed for row-by-row INSERT (capped at events)
  std::size_t batch_events = 512;    ///< client batch size
};

/// Rates measured side by side in one run on one scratch database.
struct IngestBenchResult {
  std::size_t events = 0;
  double ours_per_s =
      0;  ///< client library -> gRPC loopback -> RecorderService -> PostgreSQL, until acked
  double copy_per_s = 0;    ///< the same rows with one raw COPY
  double insert_per_s = 0;  ///< the same rows, one autocommitted INSERT each
};

/// Runs the benchmark on a throw-away database of the local PostgreSQL and writes
/// progress to `out`; the caller prints the summary line (see summary_line).
Expected<IngestBenchResult> run_ingest_bench(const IngestBenchOptions& options, std::ostream& out);

/// "ingest: events=N ours_per_s=A copy_per_s=B insert_per_s=C ratio_copy=A/B ratio_insert=A/C".
std::string summary_line(const IngestBenchResult& result);

}  // namespace cyrange::bench
