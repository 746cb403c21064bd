#include <orchestrator/exercise/state_checks.h>

#include <future>
#include <set>

#include <orchestrator/common/log.h>
#include <orchestrator/exercise/guest_text.h>
#include <orchestrator/scenario/variables.h>

namespace cyrange::exercise {
namespace {

constexpr const char* kRangeCheckActor = "range-check";

void add_checks(const scenario::Objective& o, const std::string& objective, const std::string& team,
                const std::map<std::string, std::string>& vars, std::vector<TeamCheck>& out) {
  if (o.has_check)
    out.push_back(
        {team, objective, objective == o.id ? "" : o.id, scenario::substitute(o.check.host, vars),
         scenario::substitute(o.check.command, vars), scenario::substitute(o.check.expect, vars)});
  for (const auto& part : o.parts) add_checks(part, objective, team, vars, out);
}

// Runs one check in the team's guest; passes it on the board when its output matches. The
// output is the trainee's to shape (they are root there): the pattern reads a bounded part of
// it, and the evidence quotes it as a short printable excerpt.
CheckResult run_check(const std::string& exercise, const TeamCheck& check,
                      const inject::TargetResolver& guests, scoring::ExerciseBoard& board) {
  CheckResult result{check.team, check.objective, check.part, check.host, false, ""};
  auto target = guests(exercise, check.team);
  if (!target) {
    result.detail = "The team's range is not running.";
    return result;
  }
  auto ran = target->runner->exec(check.host, {"/bin/sh", "-c", check.command});
  if (!ran) {
    result.detail = "The command could not run: " + printable_excerpt(ran.error().message, 300);
    return result;
  }
  auto found = search_guest_text(ran->out, check.expect);
  if (!found) {
    // The validator rejects bad patterns; a variable may still produce one.
    result.detail = found.error().message;
    return result;
  }
  if (!*found) {
    result.detail =
        "`" + check.command + "` printed nothing matching '" + check.expect + "'" +
        (ran->out.size() > kMaxMatchedText
             ? " in the first " + std::to_string(kMaxMatchedText / 1024) + " KiB of its output."
             : ".");
    return result;
  }
  result.detail = "Range check on " + check.host + ": `" + check.command + "` printed '" +
                  printable_excerpt(**found) + "'.";
  auto awarded =
      board.pass_check(check.team, check.objective, check.part, result.detail, kRangeCheckActor);
  if (!awarded) {
    log::get("exercise")
        ->warn("exercise {}: check of {} for {}: {}", exercise, check.objective, check.team,
               awarded.error().message);
    result.detail = awarded.error().message;
    return result;
  }
  result.passed = true;
  return result;
}

}  // namespace

std::vector<TeamCheck> team_checks(const scenario::Scenario& scenario,
                                   const TeamVariableSets& team_variables) {
  std::vector<TeamCheck> out;
  for (const auto& [team, vars] : team_variables)
    for (const auto& o : scenario.objectives) add_checks(o, o.id, team, vars, out);
  return out;
}

ExerciseChecks exercise_checks(const scenario::Scenario& scenario,
                               const TeamVariableSets& team_variables) {
  std::vector<std::string> teams;
  for (const auto& [team, vars] : team_variables) teams.push_back(team);
  return {team_checks(scenario, team_variables), team_commands(scenario, team_variables),
          team_services(scenario, teams)};
}

bool objective_opened(timeline::TimelineHub& timelines, const std::string& exercise,
                      const std::string& team, const std::string& objective) {
  auto timeline = timelines.find(exercise);
  if (!timeline) return false;
  auto executions = (*timeline)->executions(team);
  if (!executions) return false;
  for (const auto& e : *executions)
    if (e.item.kind == timeline::ItemKind::objective && e.item.id == objective)
      return e.state == timeline::ExecState::done;
  return true;  // an objective the timeline does not schedule is open from the start
}

StateCheckRunner::StateCheckRunner(inject::TargetResolver guests,
                                   std::shared_ptr<timeline::TimelineHub> timelines,
                                   std::shared_ptr<scoring::ScoreHub> scoring,
                                   std::chrono::milliseconds period)
    : guests_(std::move(guests)),
      timelines_(std::move(timelines)),
      scoring_(std::move(scoring)),
      period_(period),
      thread_([this] { loop(); }) {}

StateCheckRunner::~StateCheckRunner() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();  // then lanes_, destroyed before the rest, waits for rounds under way
}

void StateCheckRunner::watch(const std::string& exercise, ExerciseChecks checks) {
  std::lock_guard lock(mutex_);
  watched_[exercise] = Watched{std::move(checks), {}};
}

void StateCheckRunner::forget(const std::string& exercise) {
  std::lock_guard lock(mutex_);
  watched_.erase(exercise);
}

void StateCheckRunner::typed(const std::string& exercise, const std::string& team,
                             const std::string& host, const std::string& line) {
  {
    std::lock_guard lock(mutex_);
    auto it = watched_.find(exercise);
    if (it == watched_.end() || it->second.checks.commands.empty()) return;
    // A bounded backlog: a flood of typed lines is dropped, not queued without limit.
    constexpr std::size_t kMaxQueued = 4096;
    if (typed_.size() >= kMaxQueued) return;
    typed_.push_back({exercise, team, host, line});
  }
  wake_.notify_one();
}

void StateCheckRunner::match(const Typed& typed) {
  std::vector<TeamCommand> commands;
  {
    std::lock_guard lock(mutex_);
    auto it = watched_.find(typed.exercise);
    if (it == watched_.end()) return;
    commands = it->second.checks.commands;
  }
  auto board = scoring_->find(typed.exercise);
  if (!board || !timelines_) return;
  const std::size_t before = commands.size();
  auto opened = [&](const std::string& team, const std::string& objective) {
    return objective_opened(*timelines_, typed.exercise, team, objective);
  };
  match_typed_line(typed.team, typed.host, typed.line, commands, opened, **board);
  if (commands.size() == before) return;
  std::lock_guard lock(mutex_);
  if (auto it = watched_.find(typed.exercise); it != watched_.end())
    it->second.checks.commands = std::move(commands);
}

std::shared_ptr<std::mutex> StateCheckRunner::team_lock(const std::string& exercise,
                                                        const std::string& team) {
  std::lock_guard lock(mutex_);
  auto& found = team_locks_[exercise + "/" + team];
  if (!found) found = std::make_shared<std::mutex>();
  return found;
}

std::vector<CheckResult> StateCheckRunner::check_team(const std::string& exercise,
                                                      const std::string& team,
                                                      const std::string& objective) {
  auto team_mutex = team_lock(exercise, team);
  std::lock_guard run(*team_mutex);
  std::vector<TeamCheck> checks;
  {
    std::lock_guard lock(mutex_);
    auto it = watched_.find(exercise);
    if (it == watched_.end()) return {};
    for (const auto& c : it->second.checks.state)
      if (c.team == team && (objective.empty() || c.objective == objective)) checks.push_back(c);
  }
  auto board = scoring_->find(exercise);
  if (checks.empty() || !board || !guests_ || !timelines_) return {};
  std::vector<CheckResult> results;
  for (const auto& check : checks) {
    if (!objective_opened(*timelines_, exercise, check.team, check.objective)) {
      results.push_back({check.team, check.objective, check.part, check.host, false,
                         "The objective is not open yet."});
      continue;
    }
    results.push_back(run_check(exercise, check, guests_, **board));
    if (!results.back().passed) continue;
    std::lock_guard lock(mutex_);
    auto it = watched_.find(exercise);  // forgotten meanwhile: nothing left to remove
    if (it == watched_.end()) continue;
    std::erase_if(it->second.checks.state, [&](const TeamCheck& c) {
      return c.team == check.team && c.objective == check.objective && c.part == check.part;
    });
  }
  return results;
}

std::vector<CheckResult> StateCheckRunner::run_once(const std::string& exercise,
                                                    const std::string& team,
                                                    const std::string& objective) {
  std::vector<std::string> teams;
  {
    std::lock_guard lock(mutex_);
    auto it = watched_.find(exercise);
    if (it == watched_.end()) return {};
    std::set<std::string> seen;
    for (const auto& c : it->second.checks.state)
      if ((team.empty() || c.team == team) && seen.insert(c.team).second) teams.push_back(c.team);
  }
  // Side by side: one team's hung guest holds its own result only.
  std::vector<std::future<std::vector<CheckResult>>> running;
  for (const auto& t : teams)
    running.push_back(std::async(std::launch::async, [this, exercise, t, objective] {
      return check_team(exercise, t, objective);
    }));
  std::vector<CheckResult> results;
  for (auto& r : running) {
    auto some = r.get();
    results.insert(results.end(), some.begin(), some.end());
  }
  return results;
}

void StateCheckRunner::probe_team(const std::string& exercise, const std::string& team) {
  auto team_mutex = team_lock(exercise, team);
  std::lock_guard run(*team_mutex);
  std::vector<TeamService> services;
  std::map<std::string, ServiceWatch> states;  // this team's only
  {
    std::lock_guard lock(mutex_);
    auto it = watched_.find(exercise);
    if (it == watched_.end()) return;
    for (const auto& s : it->second.checks.services) {
      if (s.team != team) continue;
      services.push_back(s);
      const std::string key = s.team + "/" + s.id;
      if (auto state = it->second.services.find(key); state != it->second.services.end())
        states[key] = state->second;
    }
  }
  auto board = scoring_->find(exercise);
  if (services.empty() || !board || !guests_) return;
  auto target = guests_(exercise, team);
  if (!target) return;
  for (const auto& service : services)
    probe_service(service, states[service.team + "/" + service.id], *target->runner, **board);
  std::lock_guard lock(mutex_);
  if (auto it = watched_.find(exercise); it != watched_.end())
    for (auto& [key, state] : states) it->second.services[key] = state;
}

void StateCheckRunner::probe_services(const std::string& exercise) {
  std::set<std::string> teams;
  {
    std::lock_guard lock(mutex_);
    auto it = watched_.find(exercise);
    if (it == watched_.end()) return;
    for (const auto& s : it->second.checks.services) teams.insert(s.team);
  }
  for (const auto& team : teams) probe_team(exercise, team);
}

void StateCheckRunner::start_round() {
  std::vector<std::pair<std::string, std::string>> teams;  // exercise, team
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, watched] : watched_) {
      std::set<std::string> seen;
      for (const auto& c : watched.checks.state) seen.insert(c.team);
      for (const auto& s : watched.checks.services) seen.insert(s.team);
      for (const auto& team : seen) teams.emplace_back(id, team);
    }
  }
  for (const auto& [exercise, team] : teams) {
    const bool started = lanes_.start(exercise + "/" + team, [this, exercise, team] {
      (void)check_team(exercise, team, "");
      probe_team(exercise, team);
    });
    if (!started)
      log::get("exercise")
          ->warn(
              "exercise {}: the checks of team {} are still running from an earlier round "
              "(a guest not answering?); this round skips that team",
              exercise, team);
  }
}

void StateCheckRunner::loop() {
  std::unique_lock lock(mutex_);
  auto next_round = std::chrono::steady_clock::now() + period_;
  while (!stopping_) {
    wake_.wait_until(lock, next_round, [this] { return stopping_ || !typed_.empty(); });
    if (stopping_) return;
    while (!typed_.empty()) {
      Typed line = std::move(typed_.front());
      typed_.pop_front();
      lock.unlock();
      match(line);
      lock.lock();
    }
    if (std::chrono::steady_clock::now() < next_round) continue;
    next_round = std::chrono::steady_clock::now() + period_;
    lock.unlock();
    start_round();
    lock.lock();
  }
}

}  // namespace cyrange::exercise
