#include <orchestrator/exercise/state_checks.h>

#include <regex>

#include <orchestrator/common/log.h>
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

// Runs one check in the team's guest; passes it on the board when its output matches.
CheckResult run_check(const std::string& exercise, const TeamCheck& check, LiveRanges& ranges,
                      scoring::ExerciseBoard& board) {
  CheckResult result{check.team, check.objective, check.part, check.host, false, ""};
  auto target = ranges.target(exercise, check.team);
  if (!target) {
    result.detail = "The team's range is not running.";
    return result;
  }
  auto ran = target->runner->exec(check.host, {"/bin/sh", "-c", check.command});
  if (!ran) {
    result.detail = "The command could not run: " + ran.error().message;
    return result;
  }
  std::smatch match;
  try {
    if (!std::regex_search(ran->out, match, std::regex(check.expect))) {
      result.detail = "`" + check.command + "` printed nothing matching '" + check.expect + "'.";
      return result;
    }
  } catch (const std::regex_error&) {
    // The validator rejects bad patterns; a variable may still produce one.
    result.detail = "The expected pattern '" + check.expect + "' is not a valid expression.";
    return result;
  }
  result.detail =
      "Range check on " + check.host + ": `" + check.command + "` printed '" + match.str() + "'.";
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

StateCheckRunner::StateCheckRunner(std::shared_ptr<LiveRanges> ranges,
                                   std::shared_ptr<timeline::TimelineHub> timelines,
                                   std::shared_ptr<scoring::ScoreHub> scoring,
                                   std::chrono::milliseconds period)
    : ranges_(std::move(ranges)),
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
  thread_.join();
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

std::vector<CheckResult> StateCheckRunner::run_once(const std::string& exercise,
                                                    const std::string& team,
                                                    const std::string& objective) {
  std::lock_guard run(run_mutex_);
  std::vector<TeamCheck> checks;
  {
    std::lock_guard lock(mutex_);
    auto it = watched_.find(exercise);
    if (it == watched_.end()) return {};
    checks = it->second.checks.state;
  }
  auto board = scoring_->find(exercise);
  if (!board || !ranges_ || !timelines_) return {};
  std::vector<CheckResult> results;
  for (const auto& check : checks) {
    if (!team.empty() && check.team != team) continue;
    if (!objective.empty() && check.objective != objective) continue;
    if (!objective_opened(*timelines_, exercise, check.team, check.objective)) {
      results.push_back({check.team, check.objective, check.part, check.host, false,
                         "The objective is not open yet."});
      continue;
    }
    results.push_back(run_check(exercise, check, *ranges_, **board));
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

void StateCheckRunner::probe_services(const std::string& exercise) {
  std::lock_guard run(run_mutex_);
  std::vector<TeamService> services;
  std::map<std::string, ServiceWatch> states;
  {
    std::lock_guard lock(mutex_);
    auto it = watched_.find(exercise);
    if (it == watched_.end()) return;
    services = it->second.checks.services;
    states = it->second.services;
  }
  auto board = scoring_->find(exercise);
  if (services.empty() || !board || !ranges_) return;
  for (const auto& service : services) {
    auto target = ranges_->target(exercise, service.team);
    if (!target) continue;
    probe_service(service, states[service.team + "/" + service.id], *target->runner, **board);
  }
  std::lock_guard lock(mutex_);
  if (auto it = watched_.find(exercise); it != watched_.end()) it->second.services = states;
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
    std::vector<std::string> exercises;
    for (const auto& [id, watched] : watched_) exercises.push_back(id);
    lock.unlock();
    for (const auto& id : exercises) {
      (void)run_once(id);
      probe_services(id);
    }
    lock.lock();
  }
}

}  // namespace cyrange::exercise
