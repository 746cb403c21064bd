// `cyrange demo`: the README's main job. It grows with the product; today it takes
// a shipped scenario through validation, builds one team's range of real guests
// on libvirt, shows what the guests report about themselves, checks reachability
// from the trainee's terminal host, plays the attack timeline on the exercise
// clock (recorded in PostgreSQL, steps run inside the guests), shows the traces
// the attack left, resets the range to its pristine state and tears it down.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

#include <orchestrator/cli/commands.h>
#include <orchestrator/cli/demo_timeline.h>
#include <orchestrator/range/image_builder.h>
#include <orchestrator/range/libvirt_hypervisor.h>
#include <orchestrator/range/range_cli.h>
#include <orchestrator/range/team_range.h>
#include <orchestrator/scenario/parser.h>
#include <orchestrator/scenario/to_range.h>
#include <orchestrator/scenario/validate.h>
#include <orchestrator/scenario/variables.h>
#include <orchestrator/store/database.h>
#include <orchestrator/store/migrations.h>

namespace cyrange::cli {
namespace {

namespace sc = cyrange::scenario;
using Clock = std::chrono::steady_clock;

struct DemoOptions {
  std::string scenario = "scenarios/targeted-email/scenario.yaml";
  std::string exercise = "demo";
  std::string team = "team1";
  std::uint64_t seed = 2026;
  std::string uri = "qemu:///system";
  std::string database_uri{store::kDefaultDatabaseUri};
  double speed = 120;
  bool keep = false;
};

[[noreturn]] void fail(const std::string& what) {
  std::cerr << "demo: " << what << "\n";
  throw CLI::RuntimeError(1);
}

void heading(int number, const std::string& en, const std::string& ja) {
  std::cout << "\n== " << number << ". " << en << " / " << ja << " ==\n";
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// First line of a guest command's output, without the newline.
std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

sc::Scenario load_checked(const std::string& file) {
  auto loaded = sc::load_scenario(file);
  if (!loaded) fail(loaded.error().message);
  const auto diagnostics = sc::validate(*loaded);
  for (const auto& d : diagnostics) std::cerr << d.format() << "\n";
  const int errors = sc::count(diagnostics, sc::Severity::error);
  if (errors > 0) {
    fail(file + " has " + std::to_string(errors) +
         " error(s); fix them (see above) and run again.");
  }
  const auto& meta = loaded->metadata;
  std::cout << meta.title.ja << " / " << meta.title.en << "\n"
            << "  file " << file << ", version " << meta.version << ", sha256 "
            << loaded->content_hash.substr(0, 16) << "…\n"
            << "  " << loaded->topology.segments.size() << " segments, "
            << loaded->topology.hosts.size() + loaded->topology.routers.size() << " guests, "
            << loaded->timeline.size() << " timeline steps, " << loaded->objectives.size()
            << " objectives: valid (" << sc::count(diagnostics, sc::Severity::warning)
            << " warnings) / 検証 OK\n";
  return std::move(*loaded);
}

/// What each guest reports about itself through the guest agent: the injected
/// hostname and addresses prove the per-host configuration reached it.
void show_guest_reports(range::TeamRange& team) {
  std::cout << std::left << std::setw(10) << "host" << std::setw(14) << "role" << std::setw(12)
            << "hostname"
            << "addresses (reported by the guest)\n";
  for (const auto& host : team.spec().hosts) {
    auto name = team.exec(host.name, {"hostname"});
    auto addrs = team.exec(host.name, {"sh", "-c",
                                       "ip -4 -o addr show scope global | awk '{print $4}' | "
                                       "tr '\\n' ' '"});
    std::cout << std::setw(10) << host.name << std::setw(14) << host.role << std::setw(12)
              << (name ? first_line(name->out) : "(" + name.error().message + ")")
              << (addrs ? addrs->out : addrs.error().message) << "\n";
  }
}

/// The address of `to` on a segment it shares with `from`, else its first address.
std::pair<std::string, bool> address_seen_from(const range::HostSpec& from,
                                               const range::HostSpec& to) {
  for (const auto& theirs : to.nics) {
    for (const auto& ours : from.nics) {
      if (ours.network == theirs.network) return {theirs.address, true};
    }
  }
  return {to.nics.front().address, false};
}

/// Pings every other host from the trainee's terminal host. Hosts sharing a
/// segment must answer; the rest depend on the scenario's routers.
void show_reachability(range::TeamRange& team) {
  const auto& hosts = team.spec().hosts;
  auto from = std::find_if(hosts.begin(), hosts.end(),
                           [](const range::HostSpec& h) { return h.trainee_terminal; });
  if (from == hosts.end()) from = hosts.begin();
  std::cout << "from " << from->name << " (trainee terminal / 受講者端末):\n";
  for (const auto& to : hosts) {
    if (to.name == from->name || to.nics.empty()) continue;
    auto [address, shares_segment] = address_seen_from(*from, to);
    address = address.substr(0, address.find('/'));
    auto ping = team.exec(from->name, {"ping", "-c", "1", "-W", "2", address});
    const bool answered = ping && ping->exit_code == 0;
    std::cout << "  " << std::left << std::setw(10) << to.name << std::setw(16) << address
              << (answered ? "reachable   " : "unreachable ")
              << (shares_segment ? "(same segment)" : "(other segment)") << "\n";
    if (shares_segment && !answered) {
      fail(to.name +
           " does not answer on its own segment; the range is broken. Run `cyrange range "
           "down --exercise " +
           team.spec().exercise + "` and check the libvirtd log.");
    }
  }
}

/// Attack steps leave one marker per finished execution in the guest they ran in.
constexpr const char* kStepMarkers = "ls /var/lib/cyrange/steps 2>/dev/null | wc -l";

/// Number of attack-step markers per host, read through the guest agent.
std::map<std::string, int> attack_traces(range::TeamRange& team) {
  std::map<std::string, int> traces;
  for (const auto& host : team.spec().hosts) {
    auto r = team.exec(host.name, {"sh", "-c", kStepMarkers});
    traces[host.name] = r && r->exit_code == 0 ? std::atoi(r->out.c_str()) : -1;
  }
  return traces;
}

int total(const std::map<std::string, int>& traces) {
  int sum = 0;
  for (const auto& [host, n] : traces) sum += std::max(n, 0);
  return sum;
}

/// Draws progress in place on a terminal; one line per step in a log file.
range::ProgressCallback progress_printer() {
  const bool tty = ::isatty(STDOUT_FILENO) != 0;
  return [tty](const range::ProgressEvent& e) {
    const std::string what = e.host.empty() ? e.message : e.host + ": " + range::to_string(e.state);
    if (tty) {
      std::cout << "\r" << range::progress_bar(e.percent) << " " << std::left << std::setw(40)
                << what << std::flush;
    } else {
      std::cout << range::progress_bar(e.percent) << " " << what << "\n";
    }
  };
}

void run_demo(const DemoOptions& opts) {
  const auto started = Clock::now();
  heading(1, "Scenario", "シナリオ");
  const sc::Scenario scenario = load_checked(opts.scenario);

  // Fail before any guest boots if the system of record is not ready.
  if (auto schema = store::verify_schema(opts.database_uri); !schema) fail(schema.error().message);

  heading(2, "Team range on libvirt", "チーム演習環境 (libvirt)");
  const auto vars = sc::resolve_variables(scenario, opts.seed, opts.team);
  const range::RangeSpec spec = sc::to_range_spec(scenario, vars, opts.exercise, opts.team);
  auto image = range::build_image(range::ImageBuildOptions{});
  if (!image) fail(image.error().message);
  auto hv = range::LibvirtHypervisor::connect(opts.uri);
  if (!hv) fail(hv.error().message);
  const auto type = (*hv)->domain_type();
  std::cout << "domain type / ドメイン種別: " << type.type << " (" << type.reason << ")\n";
  // A previous demo that was interrupted may have left objects with our prefix.
  range::TeamRangeOptions range_options;
  range_options.image = *image;
  range::TeamRange team(**hv, spec, range_options);
  if (auto st = range::TeamRange::remove_orphans(**hv, team.prefix()); !st)
    fail(st.error().message);

  const auto up_started = Clock::now();
  auto up = team.up(progress_printer());
  std::cout << "\n";
  if (!up) {
    std::cerr << up.error().message << "\n";
    (void)team.down();
    fail("the team range did not come up; the objects were removed.");
  }
  std::cout << spec.hosts.size() << " guests ready in " << std::fixed << std::setprecision(1)
            << seconds_since(up_started) << " s / 全ホスト起動完了\n";

  heading(3, "What the guests report", "ゲストからの報告");
  show_guest_reports(team);

  heading(4, "Reachability inside the range", "演習環境内の到達性");
  show_reachability(team);

  heading(5, "Attack timeline on the exercise clock", "演習時計による攻撃タイムライン");
  DemoTimelineOptions timeline_options;
  timeline_options.database_uri = opts.database_uri;
  timeline_options.exercise = opts.exercise;
  timeline_options.seed = opts.seed;
  timeline_options.speed = opts.speed;
  auto played = play_timeline(scenario, team, timeline_options, std::cout);
  if (!played) {
    (void)team.down();
    fail(played.error().message);
  }
  std::cout << played->done << " executions done, " << played->failed << " failed / 実行完了 "
            << played->done << " 件、失敗 " << played->failed << " 件\n";

  heading(6, "Traces the attack left in the guests", "ゲストに残った攻撃の痕跡");
  const auto traces = attack_traces(team);
  for (const auto& [host, n] : traces) {
    if (n != 0) std::cout << "  " << std::left << std::setw(10) << host << n << " attack step(s)\n";
  }

  heading(7, "Recurrence: reset to pristine", "初期状態への復元");
  if (team.has_pristine()) {
    const auto reset_started = Clock::now();
    if (auto st = team.reset(); !st) fail(st.error().message);
    const int left = total(attack_traces(team));
    std::cout << "reset of " << spec.hosts.size() << " guests in " << seconds_since(reset_started)
              << " s; attack traces before " << total(traces) << ", after " << left
              << (left == 0 ? " (pristine again / 初期状態)" : " (STILL THERE)") << "\n";
  } else {
    std::cout << "no pristine state was captured; skipped.\n";
  }

  heading(8, "Teardown", "後片付け");
  if (opts.keep) {
    std::cout << "kept; remove later with `cyrange range down --exercise " << opts.exercise
              << "`\n";
  } else {
    if (auto st = team.down(); !st) fail(st.error().message);
    std::cout << "every domain, network, volume and pool of " << team.prefix()
              << "* removed / すべて削除しました\n";
  }
  std::cout << "\ndemo finished in " << seconds_since(started) << " s / デモ完了\n";
}

}  // namespace

void add_demo_command(CLI::App& app) {
  auto opts = std::make_shared<DemoOptions>();
  auto* demo =
      app.add_subcommand("demo",
                         "Run the main job: a shipped scenario on a real team range, end to end.\n"
                         "メインジョブ: 同梱シナリオを実際のチーム演習環境で通しで実行します。");
  demo->add_option("--scenario", opts->scenario, "Scenario file")->capture_default_str();
  demo->add_option("--exercise", opts->exercise, "Exercise id ([a-z0-9_])")->capture_default_str();
  demo->add_option("--team", opts->team, "Team id ([a-z0-9_])")->capture_default_str();
  demo->add_option("--seed", opts->seed, "Seed of the per-team variables")->capture_default_str();
  demo->add_option("--uri", opts->uri, "libvirt connection URI")->capture_default_str();
  demo->add_option("--db", opts->database_uri, "PostgreSQL URI")->capture_default_str();
  demo->add_option("--speed", opts->speed, "Exercise seconds per wall second")
      ->capture_default_str();
  demo->add_flag("--keep", opts->keep, "Keep the range running at the end");
  demo->callback([opts] { run_demo(*opts); });
}

}  // namespace cyrange::cli
