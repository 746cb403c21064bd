// workforce generate: a team's day of background logs; bench workforce.
#include <chrono>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include <bench/workforce/workforce_bench.h>
#include <orchestrator/cli/commands.h>
#include <orchestrator/scenario/parser.h>
#include <orchestrator/workforce/attack.h>
#include <orchestrator/workforce/generator.h>
#include <orchestrator/workforce/log_files.h>

namespace cyrange::cli {
namespace {

namespace wf = cyrange::workforce;

struct GenerateOptions {
  std::string scenario;
  std::uint64_t seed = 1;
  std::string team = "team-1";
  int population = 0;
  std::string date;  ///< empty: today in the profile's time zone
  std::string out = "workforce-logs";
  std::string profile;
  std::string attack_at;  ///< HH:MM of exercise time 0; empty: background only
  std::string from = "00:00", to = "24:00";
};

[[noreturn]] void fail(const std::string& message) {
  std::cerr << message << "\n";
  throw CLI::RuntimeError(1);
}

int clock_minutes(const std::string& text, const char* option) {
  int h = -1, m = -1;
  if (std::sscanf(text.c_str(), "%d:%d", &h, &m) != 2 || h < 0 || m < 0 || m > 59 ||
      h * 60 + m > 24 * 60) {
    fail(fmt::format("{} '{}' is not a clock time HH:MM (00:00-24:00); e.g. {} 09:30.", option,
                     text, option));
  }
  return h * 60 + m;
}

std::string today(int utc_offset_minutes) {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const auto local_days =
      (std::chrono::duration_cast<std::chrono::seconds>(now).count() + utc_offset_minutes * 60LL) /
      86400;
  const std::chrono::sys_days day{std::chrono::days{local_days}};
  const std::chrono::year_month_day ymd{day};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

void run_generate(const GenerateOptions& o) {
  auto scenario = scenario::load_scenario(o.scenario);
  if (!scenario) fail(scenario.error().message);
  wf::ActivityProfile custom;
  if (!o.profile.empty()) {
    auto loaded = wf::load_activity_profile(o.profile);
    if (!loaded) fail(loaded.error().message);
    custom = std::move(*loaded);
  }
  const wf::ActivityProfile& profile = o.profile.empty() ? wf::default_activity_profile() : custom;
  const std::string date = o.date.empty() ? today(profile.utc_offset_minutes) : o.date;
  auto midnight = wf::local_midnight_ms(date, profile.utc_offset_minutes);
  if (!midnight) fail(midnight.error().message);
  if (o.population < 0)
    fail("--population must be 0 (the scenario's) or a positive number of staff.");
  auto population = wf::build_population(*scenario, profile, {o.seed, o.team, o.population});
  if (!population) fail(population.error().message);

  wf::DayOptions day;
  day.day_start_ms = *midnight;
  day.from_minute = clock_minutes(o.from, "--from");
  day.to_minute = clock_minutes(o.to, "--to");
  if (day.from_minute >= day.to_minute)
    fail("--from must be earlier than --to, e.g. --from 08:00 --to 18:00.");
  day.root = wf::stream_root(o.seed, o.team);
  std::vector<wf::Event> attack;
  if (!o.attack_at.empty()) {
    attack = wf::timeline_events(*scenario, *population,
                                 *midnight + clock_minutes(o.attack_at, "--attack-at") * 60'000LL,
                                 *midnight + day.to_minute * 60'000LL, o.seed);
  }
  const auto started = std::chrono::steady_clock::now();
  wf::DayGenerator generator(*population, profile, day);
  auto counts =
      wf::write_day_logs(generator, std::move(attack),
                         wf::render_context(*population, profile.utc_offset_minutes), o.out);
  if (!counts) fail(counts.error().message);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  std::cout << fmt::format("{} staff of {} (team {}, seed {}), {} {}-{} -> {}\n",
                           population->staff.size(), scenario->metadata.id, o.team, o.seed, date,
                           o.from, o.to, o.out);
  for (std::size_t k = 0; k < wf::kLogFileNames.size(); ++k) {
    std::cout << fmt::format("  {:<12} {:>9} lines {:>9} events\n", wf::kLogFileNames[k],
                             counts->lines[k], counts->events[k]);
  }
  std::cout << fmt::format("{} lines in {:.2f} s / 職員 {} 人分のログ {} 行を書き出しました\n",
                           counts->total_lines(), seconds, population->staff.size(),
                           counts->total_lines());
}

CLI::App* bench_command(CLI::App& app) {
  // `bench` is shared with other components; whoever registers first creates it.
  try {
    return app.get_subcommand("bench");
  } catch (const CLI::OptionNotFound&) {
    auto* bench = app.add_subcommand("bench", "Benchmarks printed side by side / 比較ベンチマーク");
    bench->require_subcommand(1);
    return bench;
  }
}

}  // namespace

void add_workforce_commands(CLI::App& app) {
  auto* workforce = app.add_subcommand(
      "workforce", "Simulated staff and their background logs / 模擬職員と業務ログの生成");
  workforce->require_subcommand(1);
  auto o = std::make_shared<GenerateOptions>();
  auto* generate = workforce->add_subcommand(
      "generate",
      "Write one day of proxy, mail, DNS and logon logs of the scenario's staff into a folder / "
      "シナリオの職員 1 日分のプロキシ・メール・DNS・ログオンのログを生成");
  generate->add_option("SCENARIO", o->scenario, "scenario.yaml file")->required();
  generate->add_option("--seed", o->seed, "Seed; the same seed gives byte-identical logs")
      ->capture_default_str();
  generate->add_option("--team", o->team, "Team whose variables and staff are used")
      ->capture_default_str();
  generate
      ->add_option("--population", o->population, "Staff (0: the scenario's workforce.population)")
      ->capture_default_str();
  generate->add_option("--date", o->date, "Exercise day YYYY-MM-DD (default: today)");
  generate->add_option("--out", o->out, "Folder for access.log, mail.log, dnsmasq.log, auth.log")
      ->capture_default_str();
  generate->add_option("--profile", o->profile, "Activity profile YAML replacing the built-in one");
  generate->add_option(
      "--attack-at", o->attack_at,
      "HH:MM at which the scenario's timeline starts; its evidence is merged into the logs");
  generate->add_option("--from", o->from, "First clock time generated")->capture_default_str();
  generate->add_option("--to", o->to, "Clock time at which generation stops")
      ->capture_default_str();
  generate->callback([o] { run_generate(*o); });

  auto b = std::make_shared<bench::WorkforceBenchOptions>();
  auto* bench = bench_command(app)->add_subcommand(
      "workforce",
      "Generate one day for thousands of staff and compare with raw writing of the same lines / "
      "大規模な職員 1 日分の生成速度をファイル書き込みの限界と比較");
  bench->add_option("--population,--staff", b->population, "Simulated staff")
      ->capture_default_str();
  bench->add_option("--scenario", b->scenario, "Scenario whose workforce is expanded")
      ->capture_default_str();
  bench->add_option("--seed", b->seed, "Seed")->capture_default_str();
  bench->add_option("--scratch", b->scratch,
                    "Folder for the logs (default: a temporary folder, removed)");
  bench->callback([b] {
    auto result = bench::run_workforce_bench(*b, std::cout);
    if (!result) fail(result.error().message);
    const double realtime = result->seconds > 0 ? 86400.0 / result->seconds : 0;
    std::cout << fmt::format(
        "workforce: staff={} lines={} seconds={:.3f} lines_per_s={:.0f} realtime_factor={:.0f}\n",
        result->population, result->lines, result->seconds,
        result->seconds > 0 ? result->lines / result->seconds : 0, realtime);
    std::cout << bench::summary_line(*result) << std::endl;
  });
}

}  // namespace cyrange::cli
