#include <orchestrator/range/selfpaced_bench.h>

#include <sys/stat.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include <orchestrator/range/managed_save.h>
#include <orchestrator/range/naming.h>
#include <orchestrator/range/provision_bench.h>
#include <orchestrator/range/range_set.h>
#include <orchestrator/range/team_range.h>

namespace cyrange::range {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
constexpr double kMiB = 1024.0 * 1024.0;

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The pid of the QEMU running `domain`: libvirt's pid file, else the process whose command
// line carries "-name guest=<domain>,...".
std::optional<std::string> qemu_pid(const std::string& domain) {
  std::string pid = slurp(fs::path("/run/libvirt/qemu") / (domain + ".pid"));
  pid.erase(std::remove_if(pid.begin(), pid.end(), [](char c) { return c < '0' || c > '9'; }),
            pid.end());
  if (!pid.empty() && fs::exists(fs::path("/proc") / pid)) return pid;
  const std::string needle = "guest=" + domain + ",";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmdline = slurp(entry.path() / "cmdline");
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (cmdline.find("qemu") != std::string::npos && cmdline.find(needle) != std::string::npos)
      return name;
  }
  return std::nullopt;
}

Expected<std::uint64_t> process_rss(const std::string& domain) {
  auto pid = qemu_pid(domain);
  if (!pid) return make_error(ErrorCode::not_found, "No QEMU process runs '" + domain + "'.");
  std::istringstream status(slurp(fs::path("/proc") / *pid / "status"));
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;  // "N kB"
  return make_error(ErrorCode::not_found, "Process " + *pid + " of '" + domain + "' is gone.");
}

std::uint64_t allocated(const fs::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return 0;
  return static_cast<std::uint64_t>(st.st_blocks) * 512;
}

std::int64_t meminfo_available_mib() {
  std::istringstream meminfo(slurp("/proc/meminfo"));
  for (std::string line; std::getline(meminfo, line);)
    if (line.rfind("MemAvailable:", 0) == 0) return std::stoll(line.substr(13)) / 1024;
  return 0;
}

// Free space of the file system holding `folder` (or its nearest existing parent).
std::int64_t statvfs_free_mib(const std::string& folder) {
  fs::path p = folder;
  while (!p.empty() && !fs::exists(p) && p != p.root_path()) p = p.parent_path();
  struct statvfs st {};
  if (::statvfs(p.empty() ? "/" : p.c_str(), &st) != 0) return 0;
  return static_cast<std::int64_t>(static_cast<double>(st.f_bavail) * st.f_frsize / kMiB);
}

// Waits until `done` holds, polling from 10 ms up; false after `budget`.
bool wait_for(const std::function<bool()>& done, std::chrono::seconds budget) {
  const auto deadline = Clock::now() + budget;
  auto pause = std::chrono::milliseconds(10);
  while (!done()) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(200));
  }
  return true;
}

}  // namespace

GuestProbe local_guest_probe(const std::string& save_dir) {
  GuestProbe p;
  p.rss = process_rss;
  p.saved = [save_dir](const std::string& domain) -> Expected<std::uint64_t> {
    const fs::path file = fs::path(save_dir) / (domain + ".save");
    if (!fs::exists(file))
      return make_error(ErrorCode::not_found,
                        "libvirt holds no saved state of '" + domain + "' at " + file.string() +
                            "; pass --save-dir if this libvirt keeps them elsewhere.");
    return allocated(file);
  };
  p.folder = [](const std::string& folder) {
    std::uint64_t total = 0;
    std::error_code ec;
    for (const auto& entry : fs::recursive_directory_iterator(folder, ec))
      if (entry.is_regular_file(ec)) total += allocated(entry.path());
    return total;
  };
  p.memory_available_mib = meminfo_available_mib;
  p.disk_free_mib = statvfs_free_mib;
  return p;
}

std::string selfpaced_line(const SelfPacedBenchResult& r) {
  return "selfpaced: hosts=" + std::to_string(r.hosts) +
         " suspend_s=" + fixed_decimals(r.suspend_s, 2) +
         " resume_s=" + fixed_decimals(r.resume_s, 2) + " boot_s=" + fixed_decimals(r.boot_s, 2) +
         " resume_over_boot=" + fixed_decimals(r.resume_s > 0 ? r.boot_s / r.resume_s : 0.0, 2);
}

std::string capacity_line(const SelfPacedBenchResult& r) {
  return "selfpaced: capacity memory_mib=" + std::to_string(r.memory_mib) +
         " running_ranges=" + std::to_string(r.running_ranges) +
         " suspended_ranges=" + std::to_string(r.suspended_ranges) +
         " saved_mib_per_range=" + fixed_decimals(r.saved_mib_per_range, 1) +
         " rss_mib_per_range=" + fixed_decimals(r.rss_mib_per_range, 1) +
         " volumes_mib_per_range=" + fixed_decimals(r.volumes_mib_per_range, 1) +
         " disk_mib=" + std::to_string(r.disk_mib);
}

Expected<SelfPacedBenchResult> run_selfpaced_bench(Hypervisor& hv, const ImageInfo& image,
                                                   const SelfPacedBenchOptions& o,
                                                   const GuestProbe& probe, std::ostream& out,
                                                   const std::function<bool()>& interrupted) {
  if (o.hosts < 1 || o.hosts > o.max_guests)
    return make_error(ErrorCode::invalid_argument,
                      "A personal range of " + std::to_string(o.hosts) +
                          " hosts is not benchmarked here; use 1 to " +
                          std::to_string(o.max_guests) + " hosts on this machine.");
  if (o.rounds < 1)
    return make_error(ErrorCode::invalid_argument, "Use at least one suspend/resume round.");
  const RangeSpec spec = bench_spec(o.exercise, o.hosts);
  if (auto v = validate_spec(spec); !v) return v.error();

  SelfPacedBenchResult r;
  r.hosts = o.hosts;
  r.memory_mib = o.memory_mib > 0 ? o.memory_mib : probe.memory_available_mib();
  r.disk_mib = o.disk_mib > 0 ? o.disk_mib : probe.disk_free_mib(o.save_dir);
  int defined_mib = 0;
  for (const auto& h : spec.hosts) defined_mib += h.memory_mib;
  if (defined_mib > r.memory_mib) {
    const int per_host = spec.hosts.front().memory_mib;
    return make_error(
        ErrorCode::resource_exhausted,
        std::to_string(o.hosts) + " hosts need " + std::to_string(defined_mib) +
            " MiB of guest memory but the budget is " + std::to_string(r.memory_mib) +
            " MiB; the largest range that fits has " +
            std::to_string(std::min<std::int64_t>(o.max_guests, r.memory_mib / per_host)) +
            " hosts.");
  }

  const std::string prefix = exercise_prefix(o.exercise);
  // Everything of the benchmark, whatever state it is in (saved guests too: their saved state
  // goes with the domain), and the pool folders.
  auto clean_up = [&]() -> Status {
    auto removed = TeamRange::remove_orphans(hv, prefix);
    std::error_code ignored;
    fs::remove_all(fs::path(o.pool_root) / o.exercise, ignored);
    return removed;
  };
  if (auto s = clean_up(); !s) return s.error();  // a killed earlier run's leftovers
  auto stopped = [&]() { return interrupted && interrupted(); };
  auto give_up = [&](Error why) -> Error {
    if (auto s = clean_up(); !s) why.message += " Cleaning up also failed: " + s.error().message;
    return why;
  };
  auto cancelled = [&]() -> Error {
    return give_up(make_error(ErrorCode::cancelled,
                              "Interrupted; everything the benchmark created was removed."));
  };

  TeamRangeOptions options;
  options.image = image;
  options.pool_root = o.pool_root;
  options.capture_pristine = false;  // not part of "ready", as in bench provision
  out << "bench selfpaced: one personal range of " << o.hosts << " hosts (" << image.profile
      << " image, " << defined_mib << " MiB of guest memory), domain type " << hv.domain_type().type
      << "\n"
      << std::flush;

  if (o.cold_boot) {
    TeamRangeOptions boot_options = options;
    boot_options.use_templates = false;
    RangeSet cold(hv, spec, {"cold"}, boot_options, o.max_parallel);
    auto t0 = Clock::now();
    auto up = cold.up();
    r.cold_boot_s = seconds_since(t0);
    auto down = cold.down();
    if (!up) return give_up(up.error());
    if (!down) return give_up(down.error());
    out << "cold boot (" << o.max_parallel
        << " at once, no templates): " << fixed_decimals(r.cold_boot_s, 2) << " s\n"
        << std::flush;
    if (stopped()) return cancelled();
  }

  RangeSet run(hv, spec, {"t1"}, options, o.max_parallel);
  TeamRange& range = *run.team("t1");
  auto t0 = Clock::now();
  if (auto ready = range.prepare_templates(); !ready) return give_up(ready.error());
  r.templates_s = seconds_since(t0);
  out << "templates: " << fixed_decimals(r.templates_s, 2) << " s (captured once, then cached)\n"
      << std::flush;
  if (stopped()) return cancelled();

  t0 = Clock::now();
  if (auto up = run.up(); !up) return give_up(up.error());
  r.boot_s = seconds_since(t0);
  out << "boot (provisioned afresh from templates until every host is ready): "
      << fixed_decimals(r.boot_s, 2) << " s\n"
      << std::flush;
  if (stopped()) return cancelled();

  std::vector<std::string> domains;
  for (const auto& h : spec.hosts) domains.push_back(domain_object_name(spec, h));
  auto range_rss = [&]() -> Expected<double> {
    std::uint64_t total = 0;
    for (const auto& d : domains) {
      auto rss = probe.rss(d);
      if (!rss) return rss.error();
      total += *rss;
    }
    return total / kMiB;
  };
  auto rss_boot = range_rss();
  if (!rss_boot) return give_up(rss_boot.error());
  r.rss_mib_per_range = *rss_boot;
  r.volumes_mib_per_range = probe.folder((fs::path(o.pool_root) / o.exercise).string()) / kMiB;

  std::vector<double> suspends, resumes, agents;
  for (int round = 1; round <= o.rounds; ++round) {
    t0 = Clock::now();
    if (auto s = suspend_domains(hv, domains, o.at_once); !s) return give_up(s.error());
    suspends.push_back(seconds_since(t0));
    for (const auto& d : domains) {
      auto state = hv.run_state(d);
      if (!state) return give_up(state.error());
      if (state->running || !state->saved)
        return give_up(
            make_error(ErrorCode::internal, "'" + d + "' was not saved to disk (running " +
                                                (state->running ? "yes" : "no") + ", saved state " +
                                                (state->saved ? "yes" : "no") + ")."));
    }
    if (round == 1) {
      std::uint64_t saved = 0;
      for (const auto& d : domains) {
        auto bytes = probe.saved(d);
        if (!bytes) return give_up(bytes.error());
        saved += *bytes;
      }
      r.saved_mib_per_range = saved / kMiB;
    }
    if (stopped()) return cancelled();

    t0 = Clock::now();
    if (auto s = resume_domains(hv, domains, o.at_once); !s) return give_up(s.error());
    const bool running = wait_for(
        [&] {
          return std::all_of(domains.begin(), domains.end(), [&](const std::string& d) {
            auto state = hv.run_state(d);
            return state && state->running;
          });
        },
        std::chrono::seconds(60));
    resumes.push_back(seconds_since(t0));
    if (!running)
      return give_up(make_error(ErrorCode::unavailable,
                                "Not every guest ran again within 60 s of its restore."));
    for (const auto& d : domains)
      if (!wait_for([&] { return guest_ping(hv, d); }, std::chrono::seconds(60)))
        return give_up(make_error(ErrorCode::unavailable, "The guest agent of '" + d +
                                                              "' did not answer within 60 s of "
                                                              "its restore."));
    agents.push_back(seconds_since(t0));
    if (round == 1) {
      auto rss_resumed = range_rss();
      if (!rss_resumed) return give_up(rss_resumed.error());
      r.rss_mib_per_range = std::max(r.rss_mib_per_range, *rss_resumed);
      out << "guests' RSS: " << fixed_decimals(*rss_boot, 1) << " MiB after boot, "
          << fixed_decimals(*rss_resumed, 1) << " MiB after resume; saved states "
          << fixed_decimals(r.saved_mib_per_range, 1) << " MiB, disk overlays "
          << fixed_decimals(r.volumes_mib_per_range, 1) << " MiB\n";
    }
    out << "round " << round << ": suspend " << fixed_decimals(suspends.back(), 2) << " s, resume "
        << fixed_decimals(resumes.back(), 2) << " s (every guest agent answering after "
        << fixed_decimals(agents.back(), 2) << " s)\n"
        << std::flush;
    if (stopped()) return cancelled();
  }
  r.suspend_s = median(suspends);
  r.resume_s = median(resumes);
  r.agent_s = median(agents);

  t0 = Clock::now();
  if (auto down = run.down(); !down) return give_up(down.error());
  if (auto s = clean_up(); !s) return s.error();
  out << "down: " << fixed_decimals(seconds_since(t0), 2) << " s\n";

  if (r.rss_mib_per_range > 0)
    r.running_ranges = static_cast<std::int64_t>(r.memory_mib / r.rss_mib_per_range);
  const double disk_per_range = r.saved_mib_per_range + r.volumes_mib_per_range;
  if (disk_per_range > 0)
    r.suspended_ranges = static_cast<std::int64_t>(r.disk_mib / disk_per_range);
  out << selfpaced_line(r) << "\n" << capacity_line(r) << "\n" << std::flush;
  return r;
}

}  // namespace cyrange::range
