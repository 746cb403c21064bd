#include <orchestrator/exercise/state_checks.h>

#include <regex>

#include <orchestrator/common/log.h>
#include <orchestrator/scenario/variables.h>

namespace cyrange::exercise {
namespace {

constexpr const char* kActor = "range-check";

void add_checks(const scenario::Objective& o, const std::string& objective, const std::string& team,
                const std::map<std::string, std::string>& vars, std::vector<TeamCheck>& out) {
  if (o.has_check)
    out.push_back(
        {team, objective, objective == o.id ? "" : o.id, scenario::substitute(o.check.host, vars),
         scenario::substitute(o.check.command, vars), scenario::substitute(o.check.expect, vars)});
  for (const auto& part : o.parts) add_checks(part, objective, team, vars, out);
}

}  // namespace

std::vector<TeamCheck> team_checks(
    const scenario::Scenario& scenario,
    const std::map<std::string, std::map<std::string, std::string>>& team_variables) {
  std::vector<TeamCheck> out;
  for (const auto& [team, vars] : team_variables)
    for (const auto& o : scenario.objectives) add_checks(o, o.id, team, vars, out);
  return out;
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

void StateCheckRunner::watch(const std::string& exercise, std::vector<TeamCheck> checks) {
  std::lock_guard lock(mutex_);
  checks_[exercise] = std::move(checks);
}

void StateCheckRunner::forget(const std::string& exercise) {
  std::lock_guard lock(mutex_);
  checks_.erase(exercise);
}

bool StateCheckRunner::opened(const std::string& exercise, const TeamCheck& check) const {
  auto timeline = timelines_->find(exercise);
  if (!timeline) return false;
  auto executions = (*timeline)->executions(check.team);
  if (!executions) return false;
  for (const auto& e : *executions)
    if (e.item.kind == timeline::ItemKind::objective && e.item.id == check.objective)
      return e.state == timeline::ExecState::done;
  return true;  // an objective the timeline does not schedule is open from the start
}

int StateCheckRunner::run_once(const std::string& exercise) {
  std::vector<TeamCheck> checks;
  {
    std::lock_guard lock(mutex_);
    auto it = checks_.find(exercise);
    if (it == checks_.end()) return 0;
    checks = it->second;
  }
  auto board = scoring_->find(exercise);
  if (!board || !ranges_) return 0;
  int passed = 0;
  for (const auto& check : checks) {
    if (!opened(exercise, check)) continue;
    auto target = ranges_->target(exercise, check.team);
    if (!target) continue;
    auto ran = target->runner->exec(check.host, {"/bin/sh", "-c", check.command});
    if (!ran) continue;
    std::smatch match;
    try {
      if (!std::regex_search(ran->out, match, std::regex(check.expect))) continue;
    } catch (const std::regex_error&) {
      continue;  // the validator rejects bad patterns; a variable may still produce one
    }
    const std::string evidence =
        "Range check on " + check.host + ": `" + check.command + "` printed '" + match.str() + "'.";
    auto awarded = (*board)->pass_check(check.team, check.objective, check.part, evidence, kActor);
    if (!awarded) {
      log::get("exercise")
          ->warn("exercise {}: check of {} for {}: {}", exercise, check.objective, check.team,
                 awarded.error().message);
      continue;
    }
    ++passed;
    std::lock_guard lock(mutex_);
    std::erase_if(checks_[exercise], [&](const TeamCheck& c) {
      return c.team == check.team && c.objective == check.objective && c.part == check.part;
    });
  }
  return passed;
}

void StateCheckRunner::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, period_, [this] { return stopping_; });
    if (stopping_) return;
    std::vector<std::string> exercises;
    for (const auto& [id, checks] : checks_)
      if (!checks.empty()) exercises.push_back(id);
    lock.unlock();
    for (const auto& id : exercises) run_once(id);
    lock.lock();
  }
}

}  // namespace cyrange::exercise
