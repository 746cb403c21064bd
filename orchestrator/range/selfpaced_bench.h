#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>

#include <orchestrator/common/expected.h>
#include <orchestrator/range/hypervisor.h>
#include <orchestrator/range/image_builder.h>

namespace cyrange::range {

/// What `cyrange bench selfpaced` builds and how.
struct SelfPacedBenchOptions {
  int hosts = 3;          ///< hosts of the personal range (bench_spec: web, mail, workstations)
  int max_parallel = 4;   ///< boots at once while provisioning
  int max_guests = 8;     ///< refuse larger ranges: a 2-core machine thrashes beyond this
  int rounds = 3;         ///< suspend/resume rounds; the line gives their medians
  int at_once = 4;        ///< guests saved or restored at once (ExerciseManagerDeps::max_boots)
  bool cold_boot = true;  ///< also time the range booted without templates (printed, not in the
                          ///< line)
  std::string exercise = "benchsp";
  std::string pool_root = "/var/lib/cyrange/pools";
  std::int64_t memory_mib = 0;  ///< memory budget of the capacity line; 0: MemAvailable now
  std::int64_t disk_mib = 0;    ///< disk budget for saved ranges; 0: free space in save_dir
  std::string save_dir = "/var/lib/libvirt/qemu/save";  ///< where libvirt keeps managed saves
};

/// How the benchmark looks at guests from the outside; local_guest_probe() on this machine,
/// fakes in unit tests. Each returns bytes.
struct GuestProbe {
  std::function<Expected<std::uint64_t>(const std::string& domain)> rss;    ///< QEMU's RSS
  std::function<Expected<std::uint64_t>(const std::string& domain)> saved;  ///< managed save
  std::function<std::uint64_t(const std::string& folder)> folder;  ///< disk used under a folder
  std::function<std::int64_t()> memory_available_mib;              ///< MemAvailable
  std::function<std::int64_t(const std::string& folder)> disk_free_mib;
};

/// The probe of a local qemu:///system: RSS of the QEMU process whose command line names the
/// guest, blocks allocated to `<save_dir>/<domain>.save`, /proc/meminfo, statvfs.
GuestProbe local_guest_probe(const std::string& save_dir);

/// What one run measured, seconds and MiB.
struct SelfPacedBenchResult {
  int hosts = 0;
  double cold_boot_s = 0;             ///< booting every host without templates (0 when not run)
  double templates_s = 0;             ///< capturing missing templates first (0 s when cached)
  double boot_s = 0;                  ///< provisioning the range afresh until every host is ready
  double suspend_s = 0;               ///< median: managed save of every guest
  double resume_s = 0;                ///< median: restore until every guest runs again
  double agent_s = 0;                 ///< median: restore until every guest agent answers again
  double rss_mib_per_range = 0;       ///< QEMU RSS of the range's guests (the larger of after
                                      ///< boot and after resume)
  double saved_mib_per_range = 0;     ///< saved states on disk
  double volumes_mib_per_range = 0;   ///< the range's disk overlays (kept while suspended)
  std::int64_t memory_mib = 0;        ///< the memory budget
  std::int64_t disk_mib = 0;          ///< the disk budget for suspended ranges
  std::int64_t running_ranges = 0;    ///< memory_mib / rss_mib_per_range
  std::int64_t suspended_ranges = 0;  ///< disk_mib / (saved + volumes per range)
};

/// "selfpaced: hosts=N suspend_s=X resume_s=Y boot_s=Z resume_over_boot=Z/Y"
std::string selfpaced_line(const SelfPacedBenchResult& r);
/// "selfpaced: capacity memory_mib=M running_ranges=R suspended_ranges=S saved_mib_per_range=X
/// rss_mib_per_range=Y volumes_mib_per_range=V disk_mib=D"
std::string capacity_line(const SelfPacedBenchResult& r);

/// Optionally boots the range without templates (and removes it), then provisions it from
/// templates (boot_s), measures the guests' RSS, and `rounds` times saves every guest to disk
/// (the path of a paused self-paced run: suspend_domains) and restores it (resume_domains) until
/// every guest runs and its agent answers. Prints steps, then both lines last. Everything
/// created is removed at the end, after a failure too, and when `interrupted` turns true
/// (checked between steps; then the result is cancelled).
Expected<SelfPacedBenchResult> run_selfpaced_bench(Hypervisor& hv, const ImageInfo& image,
                                                   const SelfPacedBenchOptions& options,
                                                   const GuestProbe& probe, std::ostream& out,
                                                   const std::function<bool()>& interrupted = {});

}  // namespace cyrange::range
