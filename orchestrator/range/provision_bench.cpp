#include <orchestrator/range/provision_bench.h>

#include <chrono>
#include <cstdio>

#include <orchestrator/range/naming.h>
#include <orchestrator/range/range_set.h>
#include <orchestrator/range/team_range.h>

namespace cyrange::range {
namespace {

std::vector<std::string> names(const std::string& stem, int count) {
  std::vector<std::string> out;
  for (int i = 1; i <= count; ++i) out.push_back(stem + std::to_string(i));
  return out;
}

}  // namespace

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

std::string fixed_decimals(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

RangeSpec bench_spec(const std::string& exercise, int hosts, const std::string& profile) {
  RangeSpec s;
  s.exercise = exercise;
  s.team = "t1";
  s.networks = {{"dmz", "10.70.1.0/24"}, {"lan", "10.70.2.0/24"}};
  for (int i = 1; i <= hosts; ++i) {
    HostSpec h;
    h.image_profile = profile;
    if (i == 1) {
      h.name = "web";
      h.role = "web";
      h.services = {"http"};
      h.nics = {{"dmz", "10.70.1.10/24", ""}};
    } else if (i == 2) {
      h.name = "mail";
      h.role = "mail";
      h.services = {"smtp"};
      h.nics = {{"dmz", "10.70.1.25/24", ""}, {"lan", "10.70.2.25/24", ""}};
    } else {
      h.name = "ws" + std::to_string(i - 2);
      h.role = "workstation";
      h.nics = {{"lan", "10.70.2." + std::to_string(100 + i) + "/24", "10.70.2.25"}};
    }
    s.hosts.push_back(std::move(h));
  }
  return s;
}

std::string provision_line(const ProvisionBenchResult& r) {
  auto ratio = [](double a, double b) { return b > 0 ? a / b : 0.0; };
  return "provision: hosts=" + std::to_string(r.hosts) + " ours_s=" + fixed_decimals(r.ours_s, 2) +
         " baseline_s=" + fixed_decimals(r.baseline_s, 2) +
         " speedup=" + fixed_decimals(ratio(r.baseline_s, r.ours_s), 2) +
         " reset_s=" + fixed_decimals(r.reset_s, 2) +
         " reprovision_over_reset=" + fixed_decimals(ratio(r.ours_s, r.reset_s), 2);
}

Expected<ProvisionBenchResult> run_provision_bench(Hypervisor& hv, const ImageInfo& image,
                                                   const ProvisionBenchOptions& o,
                                                   std::ostream& out) {
  if (o.teams < 1 || o.hosts < 1 || o.teams * o.hosts > o.max_guests)
    return make_error(ErrorCode::invalid_argument,
                      "The benchmark would run " + std::to_string(o.teams * o.hosts) +
                          " guests; use 1 to " + std::to_string(o.max_guests) +
                          " in all (teams x hosts) on this machine.");
  const RangeSpec spec = bench_spec(o.exercise, o.hosts, o.profile);
  if (auto v = validate_spec(spec); !v) return v.error();
  if (auto s = TeamRange::remove_orphans(hv, exercise_prefix(o.exercise)); !s) return s.error();
  TeamRangeOptions options;
  options.image = image;
  options.pool_root = o.pool_root;
  options.capture_pristine = false;  // timed on its own below
  options.use_templates = false;     // the baseline and the parallel boot boot every host
  ProvisionBenchResult r;
  r.hosts = o.teams * o.hosts;
  out << "bench: " << o.teams << " team(s) x " << o.hosts << " " << o.profile
      << " hosts, domain type " << hv.domain_type().type << "\n"
      << std::flush;

  // Brings the range up with `boots` at once and removes it again, so each run sees an idle
  // machine; returns the seconds until every host was ready.
  auto booted_run = [&](const std::string& stem, int boots) -> Expected<double> {
    RangeSet set(hv, spec, names(stem, o.teams), options, boots);
    auto t0 = std::chrono::steady_clock::now();
    auto up = set.up();
    double seconds = seconds_since(t0);
    auto down = set.down();
    if (!up) return up.error();
    if (!down) return down.error();
    return seconds;
  };
  // Baseline first, one host at a time (one boot slot).
  auto baseline = booted_run("base", 1);
  if (!baseline) return baseline.error();
  r.baseline_s = *baseline;
  out << "baseline (sequential): " << fixed_decimals(r.baseline_s, 2) << " s\n" << std::flush;
  auto booted = booted_run("boot", o.max_parallel);
  if (!booted) return booted.error();
  r.boot_s = *booted;
  out << "parallel boot (" << o.max_parallel
      << " at once, no templates): " << fixed_decimals(r.boot_s, 2) << " s, speedup "
      << fixed_decimals(r.boot_s > 0 ? r.baseline_s / r.boot_s : 0.0, 2) << "\n"
      << std::flush;
  options.use_templates = true;
  RangeSet ours(hv, spec, names("t", o.teams), options, o.max_parallel);
  auto fail = [&](const Status& s) -> Error {
    (void)ours.down();
    return s.error();
  };
  auto t0 = std::chrono::steady_clock::now();
  if (auto ready = ours.team(ours.teams().front())->prepare_templates(); !ready) return fail(ready);
  r.templates_s = seconds_since(t0);
  out << "templates: " << fixed_decimals(r.templates_s, 2)
      << " s (captured once per image and guest shape, then cached)\n"
      << std::flush;
  t0 = std::chrono::steady_clock::now();
  if (auto up = ours.up(); !up) return fail(up);
  r.ours_s = seconds_since(t0);
  out << "ours (" << o.max_parallel
      << " at once, restored from templates): " << fixed_decimals(r.ours_s, 2) << " s\n";
  t0 = std::chrono::steady_clock::now();
  for (const auto& team : ours.teams())
    if (auto c = ours.team(team)->capture_pristine(); !c) return fail(c);
  r.capture_s = seconds_since(t0);
  out << "pristine capture: " << fixed_decimals(r.capture_s, 2) << " s\n" << std::flush;
  t0 = std::chrono::steady_clock::now();
  if (auto reset = ours.reset(); !reset) return fail(reset);
  r.reset_s = seconds_since(t0);
  t0 = std::chrono::steady_clock::now();
  if (auto down = ours.down(); !down) return down.error();
  out << "down: " << fixed_decimals(seconds_since(t0), 2) << " s\n";
  out << provision_line(r) << "\n" << std::flush;
  return r;
}

}  // namespace cyrange::range
