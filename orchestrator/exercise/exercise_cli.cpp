#include <orchestrator/exercise/exercise_cli.h>

#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <thread>

#include <orchestrator/exercise/placement.h>
#include <orchestrator/exercise/range_registry.h>
#include <orchestrator/exercise/recording_hypervisor.h>
#include <orchestrator/range/image_builder.h>
#include <orchestrator/range/libvirt_hypervisor.h>
#include <orchestrator/range/naming.h>
#include <orchestrator/range/range_set.h>
#include <orchestrator/scenario/parser.h>
#include <orchestrator/scenario/to_range.h>
#include <orchestrator/scenario/validate.h>
#include <orchestrator/scenario/variables.h>

namespace cyrange::exercise {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

Expected<range::RangeSpec> find_team(const std::vector<range::RangeSpec>& specs,
                                     const std::string& exercise, const std::string& team) {
  for (const auto& s : specs)
    if (s.team == team) return s;
  return make_error(ErrorCode::not_found, "Exercise '" + exercise + "' has no range for team '" +
                                              team + "'; see `cyrange range status --exercise " +
                                              exercise + "`.");
}

// One libvirt connection per URI, opened on first use; team ranges may live on several hosts.
class HostConnections {
 public:
  Expected<range::Hypervisor*> get(const std::string& uri) {
    if (auto found = open_.find(uri); found != open_.end()) return found->second.get();
    auto hv = range::LibvirtHypervisor::connect(uri);
    if (!hv) return hv.error();
    return open_.emplace(uri, std::move(*hv)).first->second.get();
  }

 private:
  std::map<std::string, std::unique_ptr<range::LibvirtHypervisor>> open_;
};

void add_once(std::vector<std::string>& uris, const std::string& uri) {
  if (std::find(uris.begin(), uris.end(), uri) == uris.end()) uris.push_back(uri);
}

// The hosts of the command (--uri, repeatable), each once; where.uri if none is listed.
std::vector<std::string> listed_uris(const ExerciseCliOptions& options) {
  std::vector<std::string> uris;
  for (const auto& uri : options.uris) add_once(uris, uri);
  if (uris.empty()) uris.push_back(options.where.uri);
  return uris;
}

// The hosts of the command plus every URI an exercise's team ranges were recorded on, so that
// status and down find every team wherever it lives.
Expected<std::vector<std::string>> exercise_uris(RangeRegistry& registry,
                                                 const std::string& exercise,
                                                 const ExerciseCliOptions& options) {
  auto placed = registry.placed_ranges(exercise);
  if (!placed) return placed.error();
  std::vector<std::string> uris = listed_uris(options);
  for (const auto& r : *placed) add_once(uris, r.uri);
  return uris;
}

// Which host each team went to, then every host's capacity, use and domain type.
void print_placement(const range::HostPool& pool, const std::vector<range::RangeSpec>& specs,
                     const std::vector<std::string>& uris, std::ostream& out) {
  out << "placement / 配置:\n"
      << std::left << std::setw(6) << "TEAM" << std::setw(8) << "GUESTS" << std::setw(12)
      << "MEMORY_MIB"
      << "HOST (URI)\n";
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const range::PoolHost* host = pool.find(uris[i]);
    out << std::left << std::setw(6) << specs[i].team << std::setw(8) << specs[i].hosts.size()
        << std::setw(12) << range::demand_of(specs[i]).memory_mib
        << (host && host->name != host->uri ? host->name + " (" + uris[i] + ")" : uris[i]) << "\n";
  }
  for (const auto& line : pool.report()) out << "  " << line << "\n";
}

}  // namespace

std::string exercise_id_from(const std::string& scenario_id) {
  std::string id;
  for (char c : scenario_id) {
    if (id.size() == 24) break;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    id += ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) ? c : '_';
  }
  return id.empty() ? "exercise" : id;
}

Status run_exercise_up(const std::string& scenario_file, int teams, std::string exercise,
                       std::uint64_t seed, std::ostream& out, const ExerciseCliOptions& options) {
  if (teams < 1 || teams > 99)
    return make_error(ErrorCode::invalid_argument,
                      "--teams must be between 1 and 99, not " + std::to_string(teams) + ".");
  auto scenario = scenario::load_scenario(scenario_file);
  if (!scenario) return scenario.error();
  const auto diagnostics = scenario::validate(*scenario);
  std::string errors;
  for (const auto& d : diagnostics)
    if (d.severity == scenario::Severity::error) errors += d.format() + "\n";
  if (!errors.empty())
    return make_error(
        ErrorCode::invalid_argument,
        errors + scenario_file + " has errors (above); fix them and run `cyrange range up` again.");
  if (exercise.empty()) exercise = exercise_id_from(scenario->metadata.id);

  std::vector<range::RangeSpec> specs;
  for (const auto& team : range::numbered_teams(teams)) {
    auto vars = scenario::resolve_variables(*scenario, seed, team);
    specs.push_back(scenario::to_range_spec(*scenario, vars, exercise, team));
    if (auto v = range::validate_spec(specs.back()); !v) return v;
  }

  auto registry = RangeRegistry::open(options.database_uri);
  if (!registry) return registry.error();
  // Teams go to the roomiest host that fits them, counting every live range in PostgreSQL.
  std::vector<range::HostConfig> hosts;
  for (const auto& uri : options.uris.empty() ? listed_uris(options) : options.uris) {
    hosts.emplace_back();
    hosts.back().uri = uri;  // capacities from the host (virNodeGetInfo)
  }
  auto pool = range::HostPool::connect_libvirt(hosts);
  if (!pool) return pool.error();
  auto placed = place_teams(*pool, **registry, specs, "");
  if (!placed) return placed.error();
  print_placement(**pool, specs, *placed, out);
  if (options.plan_only) {
    out << "Nothing was built (--plan) / 何も構築していません（--plan）。\n";
    return Status::success();
  }
  // The same images as cyranged: one per profile the hosts name, built or taken from the cache.
  range::ImageBuildOptions image_options;
  image_options.cache_root = options.where.image_cache;
  range::TeamRangeOptions range_options;
  if (auto images = range::provide_images(specs, image_options, range_options); !images)
    return images;

  if (auto s = (*registry)->begin_exercise(exercise, scenario->metadata.id, scenario->content_hash,
                                           range::numbered_teams(teams));
      !s)
    return s;
  for (std::size_t i = 0; i < specs.size(); ++i)
    if (auto s = (*registry)->save_team_spec(specs[i], (*placed)[i]); !s) return s;

  out << "exercise / 演習: " << exercise << ", " << teams << " team(s), "
      << specs.front().hosts.size() << " hosts each\n";
  const range::PoolHost& primary = (*pool)->primary();
  PlacedRecorders recorders(*pool, *primary.hypervisor, primary.uri, **registry, specs);
  range_options.pool_root = options.where.pool_root;
  range::RangeSet set(recorders.hypervisors(), specs, range_options, options.max_boots);
  const bool tty = ::isatty(STDOUT_FILENO) != 0 && &out == &std::cout;
  auto started = std::chrono::steady_clock::now();
  auto result = set.up([&](const std::string& team, const range::ProgressEvent& e) {
    const std::string what = e.host.empty() ? e.message : e.host + ": " + range::to_string(e.state);
    out << (tty ? "\r" : "") << std::left << std::setw(4) << team << range::progress_bar(e.percent)
        << " " << std::setw(40) << what << (tty ? "" : "\n") << std::flush;
    // Published for RangeService.WatchProvisioning; a lost update only delays a progress bar.
    (void)(*registry)->record_progress(
        exercise, {team, e.host, range::to_string(e.state), e.message, e.percent, 0});
  });
  if (tty) out << "\n";
  for (const auto& team : set.teams()) {
    out << "\nteam / チーム " << team << ":";
    range::print_hosts_table(set.team(team)->status(), out);
  }
  (void)(*registry)->set_state(exercise, result ? kStateReady : kStateFailed);
  out << (result ? "Ranges are ready / 演習環境の準備完了: "
                 : "Ranges failed / 演習環境の構築失敗: ")
      << exercise << ", " << teams << " team(s), " << std::fixed << std::setprecision(1)
      << seconds_since(started) << " s\n";
  return result;
}

Status run_exercise_reset(const std::string& exercise, const std::string& team, std::ostream& out,
                          const ExerciseCliOptions& options) {
  auto registry = RangeRegistry::open(options.database_uri);
  if (!registry) return registry.error();
  auto placed = (*registry)->placed_ranges(exercise);
  if (!placed) return placed.error();
  if (placed->empty())
    return make_error(ErrorCode::not_found, "Exercise '" + exercise +
                                                "' has no live ranges to reset; bring them up "
                                                "with `cyrange range up`.");
  // Every team is reset on the host it lives on.
  HostConnections hosts;
  std::vector<range::RangeSpec> specs;
  std::vector<range::Hypervisor*> hvs;
  for (const auto& r : *placed) {
    if (!team.empty() && r.spec.team != team) continue;
    auto hv = hosts.get(r.uri);
    if (!hv) return hv.error();
    specs.push_back(r.spec);
    hvs.push_back(*hv);
  }
  if (specs.empty()) return find_team({}, exercise, team).error();
  range::RangeSet set(hvs, specs, range::TeamRangeOptions{}, static_cast<int>(specs.size()) * 8);
  auto started = std::chrono::steady_clock::now();
  auto result = set.reset();
  for (const auto& t : set.teams()) {
    out << "\nteam / チーム " << t << ":";
    range::print_hosts_table(set.team(t)->status(), out);
  }
  if (result)
    out << "Reset to the pristine state / 初期状態に復元: " << exercise << ", " << specs.size()
        << " team(s), " << std::fixed << std::setprecision(2) << seconds_since(started) << " s\n";
  return result;
}

Status run_exercise_down(const std::string& exercise, std::ostream& out,
                         const ExerciseCliOptions& options) {
  auto registry = RangeRegistry::open(options.database_uri);
  if (!registry) return registry.error();
  auto uris = exercise_uris(**registry, exercise, options);
  if (!uris) return uris.error();
  for (const auto& uri : *uris) {
    range::RangeCliOptions where = options.where;
    where.uri = uri;
    if (auto removed = range::run_range_down(exercise, out, where); !removed) return removed;
  }
  auto known = (*registry)->exercise(exercise);
  if (!known) return Status::success();  // nothing recorded: the libvirt side was all there was
  if (auto s = (*registry)->end_exercise(exercise); !s) return s;
  out << "Exercise recorded as ended / 演習を終了として記録: " << exercise << "\n";
  return Status::success();
}

Status run_exercise_status(const std::string& exercise, std::ostream& out,
                           const ExerciseCliOptions& options) {
  auto registry = RangeRegistry::open(options.database_uri);
  if (!registry) return registry.error();
  if (!exercise.empty()) {
    auto known = (*registry)->exercise(exercise);
    if (known)
      out << "exercise / 演習 " << known->id << " (scenario " << known->scenario_id
          << "): " << known->state << ", teams " << known->teams.size() << "\n";
    auto placed = (*registry)->placed_ranges(exercise);
    if (!placed) return placed.error();
    out << std::left << std::setw(18) << "TEAM" << std::setw(8) << "GUESTS"
        << "HOST\n";
    for (const auto& r : *placed)
      out << std::left << std::setw(18) << r.spec.team << std::setw(8) << r.spec.hosts.size()
          << r.uri << "\n";
    auto uris = exercise_uris(**registry, exercise, options);
    if (!uris) return uris.error();
    for (const auto& uri : *uris) {
      range::RangeCliOptions where = options.where;
      where.uri = uri;
      out << "\nhost / ホスト " << uri << ":\n";
      if (auto st = range::run_range_status(exercise, out, where); !st) return st;
    }
    return Status::success();
  }
  auto all = (*registry)->exercises(/*include_ended=*/false);
  if (!all) return all.error();
  auto placed = (*registry)->placed_ranges();
  if (!placed) return placed.error();
  out << std::left << std::setw(26) << "EXERCISE" << std::setw(28) << "SCENARIO" << std::setw(14)
      << "STATE"
      << "TEAMS (HOST)\n";
  for (const auto& e : *all) {
    std::string teams;
    for (const auto& t : e.teams) {
      teams += (teams.empty() ? "" : ",") + t;
      for (const auto& r : *placed)
        if (r.spec.exercise == e.id && r.spec.team == t) teams += " (" + r.uri + ")";
    }
    out << std::left << std::setw(26) << e.id << std::setw(28) << e.scenario_id << std::setw(14)
        << e.state << teams << "\n";
  }
  out << all->size() << " live exercise(s) / 実施中の演習\n";
  return Status::success();
}

Status run_exercise_console(const std::string& exercise, const std::string& team,
                            const std::string& host, const ExerciseCliOptions& options) {
  auto registry = RangeRegistry::open(options.database_uri);
  if (!registry) return registry.error();
  auto placed = (*registry)->placed_ranges(exercise);
  if (!placed) return placed.error();
  std::vector<range::RangeSpec> specs;
  std::string uri = listed_uris(options).front();
  for (const auto& r : *placed) {
    specs.push_back(r.spec);
    if (r.spec.team == team) uri = r.uri;  // the console is on the team's own host
  }
  auto spec = find_team(specs, exercise, team);
  if (!spec) return spec.error();
  const range::HostSpec* target = nullptr;
  for (const auto& h : spec->hosts)
    if (h.name == host) target = &h;
  if (!target)
    return make_error(ErrorCode::not_found, "Team '" + team + "' has no host '" + host + "'.");
  auto hv = range::LibvirtHypervisor::connect(uri);
  if (!hv) return hv.error();

  std::atomic<bool> ended{false};
  std::string why;
  auto console = (*hv)->open_console(
      range::domain_object_name(*spec, *target),
      [](std::string_view bytes) { (void)!::write(STDOUT_FILENO, bytes.data(), bytes.size()); },
      [&](const std::string& reason) {
        why = reason;
        ended = true;
      });
  if (!console) return console.error();
  std::fprintf(stderr, "Connected to %s (team %s). Press Ctrl-] to leave. / Ctrl-] で終了\r\n",
               host.c_str(), team.c_str());

  termios saved{};
  const bool tty = ::isatty(STDIN_FILENO) != 0 && ::tcgetattr(STDIN_FILENO, &saved) == 0;
  if (tty) {
    termios raw = saved;
    ::cfmakeraw(&raw);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &raw);
  }
  (void)(*console)->write("\r");  // wakes the prompt
  while (!ended) {
    pollfd p{STDIN_FILENO, POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    char buf[256];
    ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
    if (n <= 0) break;
    std::string_view input(buf, static_cast<std::size_t>(n));
    auto escape = input.find('\x1d');
    if (escape != std::string_view::npos) {
      (void)(*console)->write(input.substr(0, escape));
      break;
    }
    if (auto s = (*console)->write(input); !s) break;
  }
  (*console)->close();
  if (tty) ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
  std::fprintf(stderr, "\r\nDisconnected / 切断しました%s%s\n", why.empty() ? "" : ": ",
               why.c_str());
  return Status::success();
}

}  // namespace cyrange::exercise
