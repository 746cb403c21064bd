#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>

#include <orchestrator/common/expected.h>

namespace cyrange::bench {

/// Parameters of `cyrange bench streams`.
struct StreamsBenchOptions {
  std::size_t clients = 3000;           ///< concurrent recorder clients (one trainee each)
  std::size_t events_per_client = 100;  ///< events each client streams
  std::size_t batch_events = 20;        ///< events per RecordBatch
  std::size_t channels = 0;             ///< TCP connections the streams share; 0: one per client
};

/// What one run measured, counted from the database against what clients sent.
struct StreamsBenchResult {
  std::size_t clients = 0;
  std::size_t channels = 0;
  std::size_t peak_open_streams = 0;  ///< streams open at once (all, when every client held one)
  std::uint64_t events_sent = 0;
  std::uint64_t lost = 0;        ///< sent but not stored
  std::uint64_t duplicated = 0;  ///< stored more than once
  double rss_mib = 0;            ///< peak resident memory of the cyranged process (VmHWM)
  double seconds = 0;            ///< from the first stream opened to the last acknowledgement
};

/// Spawns cyranged on a scratch database, connects `clients` recorder streams to it
/// at once and streams; writes progress to `out`. The caller prints summary_line().
Expected<StreamsBenchResult> run_streams_bench(const StreamsBenchOptions& options,
                                               std::ostream& out);

/// "streams: clients=N events=E lost=L dup=D rss_mib=M".
std::string summary_line(const StreamsBenchResult& result);

}  // namespace cyrange::bench
