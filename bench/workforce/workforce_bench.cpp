#include <bench/workforce/workforce_bench.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <fmt/format.h>
#include <unistd.h>

#include <orchestrator/scenario/parser.h>
#include <orchestrator/workforce/attack.h>
#include <orchestrator/workforce/generator.h>
#include <orchestrator/workforce/log_files.h>

namespace cyrange::bench {
namespace {

namespace wf = cyrange::workforce;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Writes pre-rendered text the way write_day_logs does (1 MiB fwrite chunks).
bool write_raw(const fs::path& path, const std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return false;
  bool ok = true;
  for (std::size_t off = 0; off < text.size(); off += 1 << 20) {
    const std::size_t n = std::min<std::size_t>(1 << 20, text.size() - off);
    ok = ok && std::fwrite(text.data() + off, 1, n, f) == n;
  }
  return std::fclose(f) == 0 && ok;
}

}  // namespace

Expected<WorkforceBenchResult> run_workforce_bench(const WorkforceBenchOptions& options,
                                                   std::ostream& out) {
  auto scenario = scenario::load_scenario(options.scenario);
  if (!scenario) return scenario.error();
  const fs::path scratch =
      options.scratch.empty()
          ? fs::temp_directory_path() / ("cyrange-bench-workforce-" + std::to_string(::getpid()))
          : fs::path(options.scratch);
  const auto& profile = wf::default_activity_profile();
  auto midnight = wf::local_midnight_ms("2025-04-14", profile.utc_offset_minutes);
  if (!midnight) return midnight.error();

  WorkforceBenchResult result;
  result.population = options.population;
  const auto start = Clock::now();
  auto population =
      wf::build_population(*scenario, profile, {options.seed, "team-1", options.population});
  if (!population) return population.error();
  wf::DayOptions day;
  day.day_start_ms = *midnight;
  day.root = wf::stream_root(options.seed, "team-1");
  wf::DayGenerator generator(*population, profile, day);
  auto attack = wf::timeline_events(*scenario, *population, *midnight + 10 * 3600'000LL,
                                    *midnight + 86'400'000LL, options.seed);
  auto counts = wf::write_day_logs(generator, std::move(attack),
                                   wf::render_context(*population, profile.utc_offset_minutes),
                                   scratch / "ours");
  if (!counts) return counts.error();
  result.seconds = since(start);
  result.events = counts->total_events();
  result.lines = counts->total_lines();
  result.bytes = counts->bytes;
  out << fmt::format("generated {} events, {} lines, {:.1f} MiB for {} staff in {:.2f} s\n",
                     result.events, result.lines, result.bytes / 1048576.0, result.population,
                     result.seconds);

  // The physical limit: the same lines, already rendered, written to the same file system.
  std::vector<std::string> texts;
  for (const char* name : wf::kLogFileNames) {
    std::ifstream in(scratch / "ours" / name, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    texts.push_back(buffer.str());
  }
  fs::create_directories(scratch / "raw");
  const auto raw_start = Clock::now();
  for (std::size_t k = 0; k < texts.size(); ++k) {
    if (!write_raw(scratch / "raw" / wf::kLogFileNames[k], texts[k])) {
      return make_error(ErrorCode::unavailable, "Writing the raw comparison files into " +
                                                    (scratch / "raw").string() +
                                                    " failed; free disk space and run again.");
    }
  }
  result.write_seconds = since(raw_start);
  out << fmt::format("raw write of the same {} lines: {:.3f} s\n", result.lines,
                     result.write_seconds);
  if (options.scratch.empty()) fs::remove_all(scratch);
  return result;
}

std::string summary_line(const WorkforceBenchResult& r) {
  const double ours = r.seconds > 0 ? r.lines / r.seconds : 0;
  const double raw = r.write_seconds > 0 ? r.lines / r.write_seconds : 0;
  return fmt::format(
      "workforce: population={} events={} seconds={:.3f} events_per_s={:.0f} ratio_vs_write={:.4f}",
      r.population, r.events, r.seconds, r.seconds > 0 ? r.events / r.seconds : 0,
      raw > 0 ? ours / raw : 0);
}

}  // namespace cyrange::bench
