#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include <orchestrator/common/expected.h>

namespace cyrange::bench {

/// Parameters of `cyrange bench workforce`.
struct WorkforceBenchOptions {
  std::string scenario = "scenarios/targeted-email/scenario.yaml";
  int population = 5000;
  std::uint64_t seed = 1;
  std::string scratch;  ///< folder for the logs; empty: a fresh folder under the temp directory
};

/// One full day for the population, measured beside raw writing of the same lines.
struct WorkforceBenchResult {
  int population = 0;
  long long events = 0, lines = 0, bytes = 0;
  double seconds = 0;        ///< population + generation + rendering + writing
  double write_seconds = 0;  ///< writing the same lines, already rendered, to the same file system
};

/// Runs the benchmark, writing progress to `out`; the caller prints summary_line.
Expected<WorkforceBenchResult> run_workforce_bench(const WorkforceBenchOptions& options,
                                                   std::ostream& out);

/// "workforce: population=N events=E seconds=S events_per_s=R ratio_vs_write=X", where X is
/// our lines per second over raw writing's lines per second (1.0 = as fast as the disk path).
std::string summary_line(const WorkforceBenchResult& result);

}  // namespace cyrange::bench
