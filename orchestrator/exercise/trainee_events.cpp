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
                                   std::map<std::pair<std::string, std::string>, int> limits) {
  std::lock_guard lock(mutex_);
  limits_[exercise] = std::move(limits);
}

void TraineeEventRelay::entry(const std::string& exercise, const scoring::LedgerEntry& e) {
  using scoring::EntryKind;
  std::vector<Job> jobs;
  {
    std::lock_guard lock(mutex_);
    if (e.objective.empty() || !seen_.insert({exercise, e.seq}).second) return;
    const auto key = std::make_tuple(exercise, e.team, e.objective);
    if (scoring::is_answer_entry(e))
      jobs.push_back({Kind::event, exercise, e.team, "answer:" + e.objective, ""});
    if (e.kind == EntryKind::hint)
      jobs.push_back({Kind::event, exercise, e.team, "hint:" + e.objective, ""});
    if (e.kind == EntryKind::solve) {
      solved_.insert(key);
      jobs.push_back({Kind::objective, exercise, e.team, e.objective, "solved"});
    }
    if (e.kind == EntryKind::wrong_answer) {
      const int wrong = ++wrong_[key];
      auto per_exercise = limits_.find(exercise);
      int limit = 0;
      if (per_exercise != limits_.end()) {
        auto it = per_exercise->second.find({e.team, e.objective});
        if (it != per_exercise->second.end()) limit = it->second;
      }
      if (limit > 0 && wrong >= limit && !solved_.contains(key))
        jobs.push_back({Kind::objective, exercise, e.team, e.objective, "failed"});
    }
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
