#include <orchestrator/range/range_cli.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <sstream>

#include <orchestrator/range/libvirt_hypervisor.h>
#include <orchestrator/range/naming.h>
#include <orchestrator/range/team_range.h>

namespace cyrange::range {

std::string progress_bar(int percent, int width) {
  percent = std::clamp(percent, 0, 100);
  int filled = percent * width / 100;
  std::ostringstream s;
  s << '[' << std::string(filled, '#') << std::string(width - filled, '-') << "] " << std::setw(3)
    << percent << '%';
  return s.str();
}

void print_hosts_table(const std::vector<HostStatus>& hosts, std::ostream& out) {
  out << "\n"
      << std::left << std::setw(16) << "HOST" << std::setw(12) << "ROLE" << std::setw(36)
      << "ADDRESSES" << std::setw(22) << "STATE"
      << "BOOT_S\n";
  for (const auto& h : hosts) {
    std::string addresses;
    for (const auto& a : h.addresses) addresses += (addresses.empty() ? "" : " ") + a;
    out << std::left << std::setw(16) << h.name << std::setw(12) << h.role << std::setw(36)
        << addresses << std::setw(22) << to_string(h.state) << std::fixed << std::setprecision(1)
        << h.boot_seconds << "\n";
  }
}

Status run_range_up(const RangeSpec& spec, std::ostream& out, const RangeCliOptions& options) {
  ImageBuildOptions image_options;
  image_options.cache_root = options.image_cache;
  TeamRangeOptions range_options;
  if (auto images = provide_images({spec}, image_options, range_options); !images) return images;
  auto hv = LibvirtHypervisor::connect(options.uri);
  if (!hv) return hv.error();
  auto type = (*hv)->domain_type();
  out << "domain type / ドメイン種別: " << type.type << " (" << type.reason << ")\n";

  range_options.pool_root = options.pool_root;
  range_options.max_parallel = options.max_parallel;
  TeamRange range(**hv, spec, range_options);
  auto started = std::chrono::steady_clock::now();
  auto result = range.up([&](const ProgressEvent& e) {
    out << progress_bar(e.percent) << "  " << (e.host.empty() ? "range" : e.host) << ": "
        << to_string(e.state) << " - " << e.message << "\n"
        << std::flush;
  });
  double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  print_hosts_table(range.status(), out);
  out << (result ? "Range is ready / 演習環境の準備完了: " : "Range failed / 演習環境の構築失敗: ")
      << "team " << spec.team << ", " << spec.hosts.size() << " hosts, " << std::fixed
      << std::setprecision(1) << total << " s\n";
  return result;
}

Status run_range_down(const std::string& exercise, std::ostream& out,
                      const RangeCliOptions& options) {
  RangeSpec probe{exercise, "x", {}, {}};
  if (auto v = validate_spec(probe); !v) return v;
  auto hv = LibvirtHypervisor::connect(options.uri);
  if (!hv) return hv.error();
  auto started = std::chrono::steady_clock::now();
  auto removed = TeamRange::remove_orphans(**hv, exercise_prefix(exercise));
  std::error_code ec;
  std::filesystem::remove(std::filesystem::path(options.pool_root) / exercise, ec);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (removed)
    out << "Removed every object of exercise / 演習の全オブジェクトを削除: " << exercise << " ("
        << std::fixed << std::setprecision(1) << secs << " s)\n";
  return removed;
}

Status run_range_status(const std::string& exercise, std::ostream& out,
                        const RangeCliOptions& options) {
  RangeSpec probe{exercise, "x", {}, {}};
  if (auto v = validate_spec(probe); !v) return v;
  auto hv = LibvirtHypervisor::connect(options.uri);
  if (!hv) return hv.error();
  std::string prefix = exercise_prefix(exercise);
  out << std::left << std::setw(10) << "KIND" << std::setw(40) << "NAME"
      << "STATE\n";
  std::size_t count = 0;
  for (auto [kind, label] :
       {std::pair{ObjectKind::domain, "domain"}, std::pair{ObjectKind::network, "network"},
        std::pair{ObjectKind::pool, "pool"}}) {
    auto objects = (*hv)->list(kind, prefix);
    if (!objects) return objects.error();
    for (const auto& o : *objects) {
      out << std::left << std::setw(10) << label << std::setw(40) << o.name
          << (o.active ? "running" : "stopped") << "\n";
      ++count;
    }
  }
  out << count << " objects for exercise / 演習のオブジェクト数: " << exercise << "\n";
  return Status::success();
}

}  // namespace cyrange::range
