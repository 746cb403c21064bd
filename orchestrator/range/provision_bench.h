#pragma once

#include <chrono>
#include <ostream>
#include <string>

#include <orchestrator/common/expected.h>
#include <orchestrator/range/hypervisor.h>
#include <orchestrator/range/image_builder.h>
#include <orchestrator/range/range_spec.h>

namespace cyrange::range {

/// Seconds since `t`, as the benchmarks measure them.
double seconds_since(std::chrono::steady_clock::time_point t);
/// `v` with `digits` decimals, as the benchmarks print numbers.
std::string fixed_decimals(double v, int digits);

/// What `cyrange bench provision` builds and how.
struct ProvisionBenchOptions {
  int teams = 1;
  int hosts = 6;         ///< hosts per team
  int max_parallel = 4;  ///< our boots at once, across teams
  int max_guests = 8;    ///< refuse larger runs: a 2-core machine thrashes beyond this
  std::string exercise = "bench";
  std::string profile = "tiny";  ///< image profile of every host (tiny or standard)
  std::string pool_root = "/var/lib/cyrange/pools";
};

/// Seconds measured side by side in one run.
struct ProvisionBenchResult {
  int hosts = 0;           ///< all teams together
  double ours_s = 0;       ///< parallel provisioning until every host is ready
  double boot_s = 0;       ///< the same, every host booted (no templates): parallelism alone
  double templates_s = 0;  ///< capturing missing templates before ours (0 s when cached)
  double baseline_s = 0;   ///< CyRIS-style: one host at a time, overlay, define, start, wait
  double capture_s = 0;    ///< capturing the pristine snapshots (not part of ours_s)
  double reset_s = 0;      ///< resetting every team to pristine until every host is ready again
};

/// A spec of n hosts of one image profile on two segments: a web server, a mail server,
/// workstations.
RangeSpec bench_spec(const std::string& exercise, int hosts, const std::string& profile = "tiny");

/// "provision: hosts=N ours_s=X baseline_s=Y speedup=Y/X reset_s=Z reprovision_over_reset=X/Z"
std::string provision_line(const ProvisionBenchResult& r);

/// Runs baseline, parallel boot, then ours from templates (up, capture, reset), tearing each
/// down; prints steps and the line last.
Expected<ProvisionBenchResult> run_provision_bench(Hypervisor& hv, const ImageInfo& image,
                                                   const ProvisionBenchOptions& options,
                                                   std::ostream& out);

}  // namespace cyrange::range
