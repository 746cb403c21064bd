#include <orchestrator/exercise/exercise_manager.h>

#include <filesystem>
#include <future>
#include <random>
#include <set>

#include <orchestrator/common/log.h>
#include <orchestrator/exercise/exercise_cli.h>
#include <orchestrator/exercise/placement.h>
#include <orchestrator/exercise/recording_hypervisor.h>
#include <orchestrator/exercise/trainee_events.h>
#include <orchestrator/exercise/workforce_history.h>
#include <orchestrator/range/image_builder.h>
#include <orchestrator/range/managed_save.h>
#include <orchestrator/range/naming.h>
#include <orchestrator/range/range_set.h>
#include <orchestrator/range/team_range.h>
#include <orchestrator/scenario/parser.h>
#include <orchestrator/scenario/to_range.h>
#include <orchestrator/scenario/validate.h>
#include <orchestrator/scenario/variables.h>
#include <orchestrator/scoring/from_scenario.h>

namespace cyrange::exercise {
namespace {

bool valid_name(const std::string& name, std::size_t max_size, bool allow_dash) {
  if (name.empty() || name.size() > max_size) return false;
  for (char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || (allow_dash && c == '-');
    if (!ok) return false;
  }
  return true;
}

Status check_teams(const std::vector<std::string>& teams) {
  if (teams.empty() || teams.size() > 99)
    return make_error(
        ErrorCode::invalid_argument,
        "An exercise needs between 1 and 99 teams, not " + std::to_string(teams.size()) + ".");
  std::set<std::string> seen;
  for (const auto& team : teams) {
    if (!valid_name(team, 16, true))
      return make_error(
          ErrorCode::invalid_argument,
          "Team name '" + team + "' is not valid; use 1-16 characters of a-z, 0-9, '_' or '-'.");
    if (!seen.insert(team).second)
      return make_error(ErrorCode::invalid_argument,
                        "Team '" + team + "' is listed twice; give every team once.");
  }
  return Status::success();
}

// A seed nobody chose: with a fixed default, every cohort would get the same per-team
// variables, and one cohort's answers would be the next one's. Never 0 ("not given").
std::uint64_t random_seed() {
  std::random_device device;
  std::uint64_t seed = 0;
  while (seed == 0) seed = (static_cast<std::uint64_t>(device()) << 32) | device();
  return seed;
}

}  // namespace

Expected<scenario::Scenario> checked_scenario(const std::string& text, const std::string& file,
                                              const std::filesystem::path& library,
                                              const std::string& then_en,
                                              const std::string& then_ja) {
  auto parsed = scenario::parse_submitted_scenario(text, file, library);
  if (!parsed) return parsed.error();
  std::string errors;
  for (const auto& d : scenario::validate(*parsed))
    if (d.severity == scenario::Severity::error) errors += d.format() + "\n";
  if (!errors.empty())
    return make_error(ErrorCode::invalid_argument,
                      errors + file + " has errors (above); fix them and " + then_en + ".",
                      errors + file + " にエラーがあります（上記）。修正してから" + then_ja + "。");
  return std::move(*parsed);
}

ExerciseManager::ExerciseManager(ExerciseManagerDeps deps)
    : deps_(std::move(deps)),
      relay_(std::make_shared<TraineeEventRelay>(deps_.timelines)),
      checks_(std::make_unique<StateCheckRunner>(
          deps_.ranges ? deps_.ranges->resolver() : inject::TargetResolver{}, deps_.timelines,
          deps_.scoring, deps_.check_period)),
      personas_(std::make_unique<LivePersonaRunner>(
          deps_.ranges ? deps_.ranges->resolver() : inject::TargetResolver{},
          running_exercise_time(deps_.timelines), deps_.persona_poll)) {
  if (deps_.timelines)
    opened_ = deps_.timelines->subscribe(
        [relay = relay_.get()](const timeline::TimelineEvent& e) { relay->timeline_event(e); });
}

ExerciseManager::~ExerciseManager() {
  std::map<std::string, std::thread> running;
  {
    std::lock_guard lock(mutex_);
    running.swap(provisioning_);
  }
  for (auto& [id, thread] : running)
    if (thread.joinable()) thread.join();
  personas_.reset();
  checks_.reset();
  if (opened_) deps_.timelines->unsubscribe(opened_);
  std::lock_guard lock(mutex_);
  for (auto& [id, link] : links_)
    if (auto board = deps_.scoring->find(id)) (*board)->unsubscribe(link);
}

Status ExerciseManager::reopen_all() {
  auto logger = log::get("exercise");
  auto live = deps_.registry->exercises(/*include_ended=*/false);
  if (!live) return live.error();
  for (const auto& row : *live) {
    if (row.state == kStateProvisioning) {
      logger->warn("exercise {} was still provisioning when cyranged stopped; marked failed",
                   row.id);
      (void)deps_.registry->set_state(
          row.id, kStateFailed,
          "cyranged stopped while the ranges were being built; end the exercise and create it "
          "again.");
      continue;
    }
    auto setup = deps_.registry->setup(row.id);
    if (!setup) return setup.error();
    if (setup->scenario_yaml.empty()) continue;  // brought up by `cyrange range up`: ranges only
    auto scenario = scenario::parse_submitted_scenario(setup->scenario_yaml, setup->scenario_file,
                                                       deps_.scenario_library);
    if (!scenario) {
      logger->error("exercise {}: its stored scenario no longer parses: {}", row.id,
                    scenario.error().message);
      continue;
    }
    {
      std::lock_guard lock(mutex_);
      titles_[row.id] = {scenario->metadata.title.ja, scenario->metadata.title.en};
    }
    // A run paused to disk: its scores (and the review items waiting in them) are read now;
    // its guests are watched again once it resumes.
    if (row.state == kStateSuspended) {
      if (auto st = open_board(row.id, *scenario, row.teams, setup->seed); !st) return st;
      logger->info("exercise {} reopened paused: its scores are loaded", row.id);
      continue;
    }
    if (row.state != kStateReady) continue;
    // Delivered once per team: a daemon that died before delivering does it now.
    if (deps_.inbox)
      if (auto st = deps_.inbox->deliver_briefing(row.id, *scenario, row.teams, setup->seed); !st)
        return st;
    if (auto st = open_scoring(row.id, *scenario, row.teams, setup->seed); !st) return st;
    logger->info("exercise {} reopened: {} team(s)", row.id, row.teams.size());
  }
  return Status::success();
}

Expected<ExerciseInfo> ExerciseManager::create(const ExerciseRequest& request) {
  if (!deps_.hypervisor)
    return make_error(ErrorCode::unavailable,
                      "This cyranged runs without libvirt (--libvirt-uri none); start it with a "
                      "libvirt URI to create exercises.");
  const std::string file = request.scenario_file.empty() ? "scenario.yaml" : request.scenario_file;
  auto scenario = checked_scenario(request.scenario_yaml, file, deps_.scenario_library,
                                   "create the exercise again", "演習を作成し直してください");
  if (!scenario) return scenario.error();
  if (auto st = check_teams(request.teams); !st) return st.error();
  const std::string id = request.id.empty() ? exercise_id_from(scenario->metadata.id) : request.id;
  if (!valid_name(id, 24, false))
    return make_error(
        ErrorCode::invalid_argument,
        "Exercise id '" + id + "' is not valid; use 1-24 characters of a-z, 0-9 and '_'.");

  const std::uint64_t seed = request.seed != 0 ? request.seed : random_seed();
  std::vector<range::RangeSpec> specs;
  for (const auto& team : request.teams) {
    auto vars = scenario::resolve_variables(*scenario, seed, team);
    specs.push_back(scenario::to_range_spec(*scenario, vars, id, team));
    if (auto v = range::validate_spec(specs.back()); !v) return v.error();
  }
  std::lock_guard lock(mutex_);
  // An id is never used twice: consents, the score ledger and recordings are kept under it,
  // so a second exercise of the same id would inherit the first one's.
  if (auto used = deps_.registry->exercise(id); used)
    return make_error(ErrorCode::already_exists,
                      "Exercise id '" + id + "' was already used (state " + used->state +
                          "); its scores, consents and recordings stay under that id. Choose "
                          "another id, or leave it out for a fresh one.",
                      "演習 ID '" + id + "' は使用済みです（状態 " + used->state +
                          "）。その ID には得点・同意・記録が残っています。別の ID "
                          "を指定するか、省略して新しい ID を使ってください。");
  else if (used.error().code != ErrorCode::not_found)
    return used.error();
  auto uris = place_teams(deps_.hosts, *deps_.registry, specs, deps_.libvirt_uri);
  if (!uris) return uris.error();
  if (auto st = deps_.registry->begin_exercise(id, scenario->metadata.id, scenario->content_hash,
                                               request.teams);
      !st) {
    (void)sync_placements(deps_.hosts, *deps_.registry);  // the placement above is void
    return st.error();
  }
  if (auto st = deps_.registry->save_setup(id, {file, request.scenario_yaml, seed}); !st)
    return st.error();
  for (std::size_t i = 0; i < specs.size(); ++i)
    if (auto st = deps_.registry->save_team_spec(specs[i], (*uris)[i]); !st) return st.error();
  titles_[id] = {scenario->metadata.title.ja, scenario->metadata.title.en};
  if (auto old = provisioning_.find(id); old != provisioning_.end()) {
    if (old->second.joinable()) old->second.join();  // a thread left by a failed provisioning
    provisioning_.erase(old);
  }
  log::get("exercise")
      ->info("exercise {} created from {} ({}), {} team(s); provisioning", id, file,
             scenario->metadata.id, request.teams.size());
  provisioning_.emplace(id, std::thread(&ExerciseManager::provision, this, id, std::move(*scenario),
                                        std::move(specs), seed));
  auto row = deps_.registry->exercise(id);
  if (!row) return row.error();
  return info(*row);
}

void ExerciseManager::provision(std::string id, scenario::Scenario scenario,
                                std::vector<range::RangeSpec> specs, std::uint64_t seed) {
  auto logger = log::get("exercise");
  auto fail = [&](const std::string& why) {
    logger->error("exercise {}: provisioning failed: {}", id, why);
    (void)deps_.registry->set_state(id, kStateFailed, why);
  };
  range::ImageBuildOptions image_options;
  image_options.cache_root = deps_.image_cache;
  image_options.allow_build = deps_.build_images;
  range::TeamRangeOptions options;
  if (auto images = range::provide_images(specs, image_options, options); !images)
    return fail(images.error().message);
  options.pool_root = deps_.pool_root;
  // Each team on the host it was placed on, its objects recorded under that host's URI.
  PlacedRecorders recording(deps_.hosts, *deps_.hypervisor, deps_.libvirt_uri, *deps_.registry,
                            specs);
  range::RangeSet set(recording.hypervisors(), specs, options, deps_.max_boots);
  auto up = set.up([&](const std::string& team, const range::ProgressEvent& e) {
    // A lost update only delays a progress bar.
    (void)deps_.registry->record_progress(
        id, {team, e.host, range::to_string(e.state), e.message, e.percent, 0});
  });
  if (!up) return fail(up.error().message);
  std::vector<std::string> teams;
  for (const auto& spec : specs) teams.push_back(spec.team);
  write_history(id, scenario, teams, seed);
  if (auto st = deps_.timelines->arm(id, scenario, teams, seed); !st)
    return fail(st.error().message);
  if (deps_.inbox)
    if (auto st = deps_.inbox->deliver_briefing(id, scenario, teams, seed); !st)
      return fail(st.error().message);
  if (auto st = open_scoring(id, scenario, teams, seed); !st) return fail(st.error().message);
  (void)deps_.registry->set_state(id, kStateReady);
  logger->info("exercise {} is ready: {} team range(s)", id, teams.size());
}

void ExerciseManager::write_history(const std::string& id, const scenario::Scenario& scenario,
                                    const std::vector<std::string>& teams, std::uint64_t seed) {
  if (!deps_.ranges) return;
  const std::int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count();
  auto logger = log::get("exercise");
  // Each team's servers are guests of their own, and a history takes tens of seconds
  // through the guest agent of standard guests: all teams are written at once.
  std::vector<std::future<Expected<long long>>> writes;
  for (const auto& team : teams)
    writes.push_back(std::async(std::launch::async, [&, team]() -> Expected<long long> {
      auto target = deps_.ranges->target(id, team);
      if (!target) return target.error();
      return write_workforce_history(scenario, seed, team, *target, now_ms);
    }));
  for (std::size_t i = 0; i < teams.size(); ++i) {
    // Background noise only: a range without it is still an exercise, so a failure is
    // reported and provisioning goes on.
    const std::string& team = teams[i];
    auto written = writes[i].get();
    if (written)
      logger->info("exercise {} team {}: {} line(s) of workforce history in the servers' logs", id,
                   team, *written);
    else
      logger->warn("exercise {} team {}: no workforce history in the guests: {}", id, team,
                   written.error().message);
  }
}

Status ExerciseManager::reopen_scores(const std::string& id) {
  if (deps_.scoring->find(id)) return Status::success();
  auto row = deps_.registry->exercise(id);
  if (!row) return row.error();
  auto setup = deps_.registry->setup(id);
  if (!setup) return setup.error();
  if (setup->scenario_yaml.empty())
    return make_error(ErrorCode::not_found,
                      "Exercise '" + id + "' was brought up without a scenario; it has no scores.",
                      "演習 '" + id + "' はシナリオなしで構築されたため、得点がありません。");
  auto scenario = scenario::parse_submitted_scenario(setup->scenario_yaml, setup->scenario_file,
                                                     deps_.scenario_library);
  if (!scenario) return scenario.error();
  {
    std::lock_guard lock(mutex_);
    titles_[id] = {scenario->metadata.title.ja, scenario->metadata.title.en};
  }
  return open_board(id, *scenario, row->teams, setup->seed);
}

Status ExerciseManager::open_board(const std::string& id, const scenario::Scenario& scenario,
                                   const std::vector<std::string>& teams, std::uint64_t seed) {
  auto setup = scoring::exercise_scoring(scenario, id, teams, seed);
  if (!setup) return setup.error();
  relay_->set_limits(id, setup->team_rules);              // copied: the board takes the setup
  if (deps_.scoring->find(id)) return Status::success();  // opened earlier, e.g. while paused
  return deps_.scoring->open(std::move(*setup));
}

Status ExerciseManager::open_scoring(const std::string& id, const scenario::Scenario& scenario,
                                     const std::vector<std::string>& teams, std::uint64_t seed) {
  if (auto st = watch_guests(id, scenario, teams, seed); !st) return st;
  if (auto st = open_board(id, scenario, teams, seed); !st) return st;
  auto board = deps_.scoring->find(id);
  if (!board) return board.error();
  // Ledger entries reach the timeline as trainee events and objective states. The
  // instructor view carries every team; a resync (first read, or a queue that overflowed)
  // carries no entries, so the whole ledger is replayed then: the relay skips entries
  // it has seen and the engine moves only items that still wait.
  auto link = (*board)->subscribe("", 1024);
  std::weak_ptr<scoring::Subscription> weak = link;
  std::weak_ptr<TraineeEventRelay> relay = relay_;
  scoring::ExerciseBoard* scores = *board;
  auto forward = [weak, relay, id, scores] {
    auto subscription = weak.lock();
    auto to_timeline = relay.lock();
    if (!subscription || !to_timeline) return;
    while (auto update = subscription->next()) {
      const auto entries = update->snapshot ? scores->entries() : update->entries;
      for (const auto& entry : entries) to_timeline->entry(id, entry);
    }
  };
  link->set_wake(forward);
  forward();
  relay_->catch_up(id);
  std::lock_guard lock(mutex_);
  if (auto old = links_.find(id); old != links_.end()) (*board)->unsubscribe(old->second);
  links_[id] = link;
  return Status::success();
}

Status ExerciseManager::watch_guests(const std::string& id, const scenario::Scenario& scenario,
                                     const std::vector<std::string>& teams, std::uint64_t seed) {
  auto setup = scoring::exercise_scoring(scenario, id, teams, seed);
  if (!setup) return setup.error();
  checks_->watch(id, exercise_checks(scenario, setup->team_variables));
  if (deps_.ranges) personas_->watch(id, live_personas(scenario, teams, seed));
  return Status::success();
}

Expected<std::vector<std::string>> ExerciseManager::domains_of(const std::string& id) {
  auto specs = deps_.registry->team_specs(id);
  if (!specs) return specs.error();
  std::vector<std::string> out;
  for (const auto& spec : *specs)
    for (const auto& host : spec.hosts) out.push_back(range::domain_object_name(spec, host));
  return out;
}

Status ExerciseManager::suspend(const std::string& id) {
  auto row = deps_.registry->exercise(id);
  if (!row) return row.error();
  if (row->state != kStateReady)
    return make_error(
        ErrorCode::failed_precondition,
        "Exercise '" + id + "' is " + row->state + "; only a ready exercise can be paused to disk.",
        "演習 '" + id + "' は " + row->state +
            " の状態です。ディスクへの一時停止は準備完了の演習だけです。");
  if (!deps_.hypervisor)
    return make_error(ErrorCode::unavailable, "This cyranged runs without libvirt.",
                      "この cyranged は libvirt なしで動いています。");
  auto domains = domains_of(id);
  if (!domains) return domains.error();
  if (auto timeline = deps_.timelines->find(id)) {
    const auto clock = (*timeline)->clock_state();
    if (clock.started_at && !clock.paused)
      if (auto st = (*timeline)->pause(); !st) return st;
  }
  personas_->forget(id);
  checks_->forget(id);
  if (auto st = range::suspend_domains(*deps_.hypervisor, *domains, deps_.max_boots); !st)
    return st;
  if (auto st = deps_.registry->set_state(id, kStateSuspended); !st) return st;
  log::get("exercise")->info("exercise {} paused: {} guest(s) saved to disk", id, domains->size());
  return Status::success();
}

Status ExerciseManager::resume(const std::string& id) {
  auto row = deps_.registry->exercise(id);
  if (!row) return row.error();
  if (row->state != kStateSuspended)
    return make_error(
        ErrorCode::failed_precondition,
        "Exercise '" + id + "' is " + row->state + ", not paused to disk.",
        "演習 '" + id + "' は " + row->state + " の状態で、ディスクに一時停止されていません。");
  if (!deps_.hypervisor)
    return make_error(ErrorCode::unavailable, "This cyranged runs without libvirt.",
                      "この cyranged は libvirt なしで動いています。");
  auto domains = domains_of(id);
  if (!domains) return domains.error();
  if (auto st = range::resume_domains(*deps_.hypervisor, *domains, deps_.max_boots); !st) return st;
  auto setup = deps_.registry->setup(id);
  if (!setup) return setup.error();
  auto scenario = scenario::parse_submitted_scenario(setup->scenario_yaml, setup->scenario_file,
                                                     deps_.scenario_library);
  if (!scenario) return scenario.error();
  // After a daemon restart the scores of a paused exercise are loaded (reopen_all) but not
  // linked to its timeline yet.
  bool linked = false;
  {
    std::lock_guard lock(mutex_);
    linked = links_.contains(id);
  }
  auto st = linked ? watch_guests(id, *scenario, row->teams, setup->seed)
                   : open_scoring(id, *scenario, row->teams, setup->seed);
  if (!st) return st;
  if (auto st2 = deps_.registry->set_state(id, kStateReady); !st2) return st2;
  if (auto timeline = deps_.timelines->find(id)) {
    const auto clock = (*timeline)->clock_state();
    if (clock.started_at && clock.paused)
      if (auto st3 = (*timeline)->resume(); !st3) return st3;
  }
  log::get("exercise")->info("exercise {} resumed: {} guest(s) restored", id, domains->size());
  return Status::success();
}

ExerciseInfo ExerciseManager::info(const ExerciseRow& row) {
  ExerciseInfo out;
  out.id = row.id;
  out.scenario_id = row.scenario_id;
  out.state = row.state;
  out.detail = row.detail;
  out.teams = row.teams;
  out.seed = row.seed;
  if (auto title = titles_.find(row.id); title != titles_.end()) {
    out.title_ja = title->second.first;
    out.title_en = title->second.second;
  }
  return out;
}

Expected<ExerciseInfo> ExerciseManager::get(const std::string& id) {
  auto row = deps_.registry->exercise(id);
  if (!row) return row.error();
  std::lock_guard lock(mutex_);
  return info(*row);
}

Expected<std::vector<ExerciseInfo>> ExerciseManager::list(bool include_ended) {
  auto rows = deps_.registry->exercises(include_ended);
  if (!rows) return rows.error();
  std::lock_guard lock(mutex_);
  std::vector<ExerciseInfo> out;
  for (const auto& row : *rows) out.push_back(info(row));
  return out;
}

void ExerciseManager::command_typed(const std::string& exercise, const std::string& team,
                                    const std::string& host, const std::string& line) {
  relay_->typed(exercise, team, line);
  checks_->typed(exercise, team, host, line);
}

Expected<std::vector<CheckResult>> ExerciseManager::run_checks(const std::string& exercise,
                                                               const std::string& team,
                                                               const std::string& objective) {
  if (!deps_.scoring || !deps_.scoring->find(exercise))
    return make_error(ErrorCode::not_found,
                      "Exercise '" + exercise +
                          "' is not live (not ready, or ended); checks run only while it is. / "
                          "演習 '" +
                          exercise + "' は実施中ではありません。");
  return checks_->run_once(exercise, team, objective);
}

Expected<ExerciseInfo> ExerciseManager::end(const std::string& id) {
  auto row = deps_.registry->exercise(id);
  if (!row) return row.error();
  std::vector<std::thread> running;  // its provisioning and its teams' resets
  {
    std::lock_guard lock(mutex_);
    for (auto p = provisioning_.begin(); p != provisioning_.end();) {
      if (p->first == id || p->first.starts_with(id + "#")) {
        running.push_back(std::move(p->second));
        p = provisioning_.erase(p);
      } else {
        ++p;
      }
    }
  }
  for (auto& thread : running)
    if (thread.joinable()) thread.join();  // a half-built range is torn down below
  if (auto timeline = deps_.timelines->find(id)) (void)(*timeline)->pause();
  personas_->forget(id);  // before the guests go
  if (deps_.hypervisor) {
    if (auto st = range::TeamRange::remove_orphans(*deps_.hypervisor, range::exercise_prefix(id));
        !st)
      return st.error();
    std::error_code ignored;
    std::filesystem::remove_all(std::filesystem::path(deps_.pool_root) / id, ignored);
  }
  checks_->forget(id);
  if (deps_.ranges) deps_.ranges->forget(id);
  if (deps_.hosts) deps_.hosts->release(id);
  if (auto st = deps_.registry->end_exercise(id); !st) return st.error();
  log::get("exercise")->info("exercise {} ended; its ranges were removed", id);
  return get(id);
}

}  // namespace cyrange::exercise
