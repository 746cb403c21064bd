#include <orchestrator/exercise/trainee_events.h>

#include <orchestrator/common/log.h>
#include <orchestrator/exercise/typed_lines.h>

namespace cyrange::exercise {
namespace {

constexpr std::string_view kCommandPrefix = "command:";

}  // namespace

TraineeEventRelay::TraineeEventRelay(std::shared_ptr<timeline::TimelineHub> timelines)
    : timelines_(std::move(timelines)), thread_([this] { run(); }) {}

TraineeEventRelay::~TraineeEventRelay() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void TraineeEventRelay::set_limits(const std::string& exercise,
                                   std::map<std::string, scoring::ScoringRules> team_rules) {
  std::lock_guard lock(mutex_);
  rules_[exercise] = std::move(team_rules);
}

// True once a wrong answer left a part of the objective that no answer can solve any more:
// the engine refuses it (its own limit, or the objective's, used up).
bool TraineeEventRelay::used_up_locked(const std::string& exercise, const std::string& team,
                                       const std::string& objective,
                                       const scoring::ObjectiveState& state) const {
  auto by_team = rules_.find(exercise);
  if (by_team == rules_.end()) return false;
  auto rules = by_team->second.find(team);
  if (rules == by_team->second.end()) return false;
  auto found = rules->second.objectives.find(objective);
  if (found == rules->second.objectives.end()) return false;
  for (const auto& part : found->second.parts) {
    if (part.check_only || state.parts_solved.contains(part.id)) continue;
    if (const auto left = scoring::attempts_left(found->second, part, state); left && *left <= 0)
      return true;
  }
  return false;
}

void TraineeEventRelay::entry(const std::string& exercise, const scoring::LedgerEntry& e) {
  using scoring::EntryKind;
  std::vector<Job> jobs;
  {
    std::lock_guard lock(mutex_);
    if (e.objective.empty() || !seen_.insert({exercise, e.seq}).second) return;
    scoring::ObjectiveState& state = states_[std::make_tuple(exercise, e.team, e.objective)];
    state.apply(e);
    if (scoring::is_answer_entry(e))
      jobs.push_back({Kind::event, exercise, e.team, "answer:" + e.objective, ""});
    if (e.kind == EntryKind::hint)
      jobs.push_back({Kind::event, exercise, e.team, "hint:" + e.objective, ""});
    if (e.kind == EntryKind::solve)
      jobs.push_back({Kind::objective, exercise, e.team, e.objective, "solved"});
    if (e.kind == EntryKind::wrong_answer && !state.solved &&
        used_up_locked(exercise, e.team, e.objective, state))
      jobs.push_back({Kind::objective, exercise, e.team, e.objective, "failed"});
  }
  for (auto& job : jobs) push(std::move(job));
}

void TraineeEventRelay::timeline_event(const timeline::TimelineEvent& event) {
  if (event.kind != timeline::ItemKind::objective || event.state != timeline::ExecState::done)
    return;
  push({Kind::objective, event.exercise, event.team, event.item_id, "opened"});
}

void TraineeEventRelay::typed(const std::string& exercise, const std::string& team,
                              const std::string& line) {
  push({Kind::typed, exercise, team, line, ""});
}

void TraineeEventRelay::catch_up(const std::string& exercise) {
  push({Kind::catch_up, exercise, "", "", ""});
}

void TraineeEventRelay::drain() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return stopping_ || (queue_.empty() && !busy_); });
}

void TraineeEventRelay::push(Job job) {
  if (!timelines_) return;
  {
    std::lock_guard lock(mutex_);
    if (job.kind == Kind::event || job.kind == Kind::objective) {
      // Once is enough: the engine moves only items that still wait for it.
      if (!raised_.insert({job.exercise, job.team, static_cast<int>(job.kind), job.name, job.state})
               .second)
        return;
    }
    // Typed lines come as fast as a trainee (or a paste) can type; past this backlog they
    // are dropped rather than queued without limit. Answers and objectives always pass.
    constexpr std::size_t kMaxQueued = 4096;
    if (job.kind == Kind::typed && queue_.size() >= kMaxQueued) return;
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void TraineeEventRelay::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) break;
    Job job = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    run_job(job);
    lock.lock();
    busy_ = false;
    if (queue_.empty()) idle_.notify_all();
  }
  idle_.notify_all();
}

void TraineeEventRelay::run_job(const Job& job) {
  auto timeline = timelines_->find(job.exercise);
  if (!timeline) return;  // not armed (yet): nothing waits for the trigger
  switch (job.kind) {
    case Kind::event:
    case Kind::objective:
      raise(job);
      return;
    case Kind::typed: {
      auto executions = (*timeline)->executions(job.team);
      if (!executions) return;
      for (const auto& e : *executions) {
        const auto& t = e.item.trigger;
        if (e.state != timeline::ExecState::pending || e.due_at ||
            t.kind != timeline::TriggerSpec::Kind::event || !t.event.starts_with(kCommandPrefix))
          continue;
        if (!command_matches(job.name, std::string_view(t.event).substr(kCommandPrefix.size())))
          continue;
        Job fire{Kind::event, job.exercise, job.team, t.event, ""};
        bool first;
        {
          std::lock_guard lock(mutex_);
          first = raised_
                      .insert({fire.exercise, fire.team, static_cast<int>(fire.kind), fire.name,
                               fire.state})
                      .second;
        }
        if (first) raise(fire);
      }
      return;
    }
    case Kind::catch_up:
      for (const auto& team : (*timeline)->teams()) {
        auto executions = (*timeline)->executions(team);
        if (!executions) continue;
        for (const auto& e : *executions)
          if (e.item.kind == timeline::ItemKind::objective && e.state == timeline::ExecState::done)
            push({Kind::objective, job.exercise, team, e.item.id, "opened"});
      }
      return;
  }
}

void TraineeEventRelay::raise(const Job& job) {
  auto timeline = timelines_->find(job.exercise);
  if (!timeline) return;
  const Status st = job.kind == Kind::event
                        ? (*timeline)->on_event(job.team, job.name)
                        : (*timeline)->on_objective(job.team, job.name, job.state);
  if (st) return;
  log::get("exercise")
      ->warn(
          "exercise {} team {}: cannot pass '{}{}' to the timeline, will retry when it "
          "happens again: {}",
          job.exercise, job.team, job.name, job.state.empty() ? "" : " " + job.state,
          st.error().message);
  std::lock_guard lock(mutex_);
  raised_.erase({job.exercise, job.team, static_cast<int>(job.kind), job.name, job.state});
}

}  // namespace cyrange::exercise
