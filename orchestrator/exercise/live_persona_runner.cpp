#include <orchestrator/exercise/live_personas.h>

#include <orchestrator/common/log.h>

namespace cyrange::exercise {

// One team of one exercise: its personas' schedules and the thread that follows them.
struct LivePersonaRunner::Worker {
  std::string exercise;
  TeamPersonas team;
  std::vector<workforce::LiveSchedule> schedules;  // parallel to team.personas
  std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;
  std::thread thread;
};

LivePersonaRunner::LivePersonaRunner(inject::TargetResolver resolve, ExerciseTimeFn time,
                                     std::chrono::milliseconds poll)
    : resolve_(std::move(resolve)), time_(std::move(time)), poll_(poll) {}

LivePersonaRunner::~LivePersonaRunner() {
  std::vector<std::string> exercises;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, workers] : workers_) exercises.push_back(id);
  }
  for (const auto& id : exercises) forget(id);
}

void LivePersonaRunner::watch(const std::string& exercise, std::vector<TeamPersonas> teams) {
  forget(exercise);
  std::vector<std::unique_ptr<Worker>> workers;
  for (auto& team : teams) {
    auto worker = std::make_unique<Worker>();
    worker->exercise = exercise;
    for (const auto& persona : team.personas)
      worker->schedules.emplace_back(persona.plan, team.root);
    worker->team = std::move(team);
    workers.push_back(std::move(worker));
  }
  std::lock_guard lock(mutex_);
  stats_.try_emplace(exercise);
  for (auto& worker : workers)
    worker->thread = std::thread(&LivePersonaRunner::run, this, std::ref(*worker));
  if (!workers.empty())
    log::get("workforce")
        ->info("exercise {}: live personas act in {} team range(s)", exercise, workers.size());
  workers_[exercise] = std::move(workers);
}

void LivePersonaRunner::forget(const std::string& exercise) {
  std::vector<std::unique_ptr<Worker>> workers;
  {
    std::lock_guard lock(mutex_);
    auto found = workers_.find(exercise);
    if (found == workers_.end()) return;
    workers = std::move(found->second);
    workers_.erase(found);
  }
  for (auto& worker : workers) {
    {
      std::lock_guard lock(worker->mutex);
      worker->stopping = true;
    }
    worker->wake.notify_all();
  }
  for (auto& worker : workers)
    if (worker->thread.joinable()) worker->thread.join();
}

LiveStats LivePersonaRunner::stats(const std::string& exercise) const {
  std::lock_guard lock(mutex_);
  auto found = stats_.find(exercise);
  return found == stats_.end() ? LiveStats{} : found->second;
}

void LivePersonaRunner::run(Worker& worker) {
  auto logger = log::get("workforce");
  auto count = [&](long long LiveStats::*field) {
    std::lock_guard lock(mutex_);
    ++(stats_[worker.exercise].*field);
  };
  bool synced = false;
  for (;;) {
    {
      std::unique_lock lock(worker.mutex);
      worker.wake.wait_for(lock, poll_, [&] { return worker.stopping; });
      if (worker.stopping) return;
    }
    const std::optional<double> now = time_(worker.exercise);
    if (!now) continue;  // not started or paused: the personas wait with the clock
    if (!synced) {
      for (auto& schedule : worker.schedules) schedule.skip_until(*now);
      synced = true;
    }
    for (std::size_t i = 0; i < worker.schedules.size(); ++i) {
      auto& schedule = worker.schedules[i];
      const TeamPersona& persona = worker.team.personas[i];
      while (schedule.peek().at <= *now) {
        const workforce::LiveAction action = schedule.pop();
        if (schedule.peek().at <= *now) {
          count(&LiveStats::skipped);
          continue;
        }
        {
          std::lock_guard lock(worker.mutex);
          if (worker.stopping) return;
        }
        auto target = resolve_ ? resolve_(worker.exercise, worker.team.team)
                               : Expected<inject::TeamTarget>(make_error(
                                     ErrorCode::unavailable, "No team range resolver is set."));
        Status done =
            target ? perform_live_action(
                         persona, action, *target, std::chrono::system_clock::now(),
                         live_execution_id(worker.team.team, persona.plan.persona, action.index))
                   : Status(target.error());
        if (done) {
          count(&LiveStats::done);
          logger->debug("exercise {} team {}: persona {} {} {} at T+{:.0f}s", worker.exercise,
                        worker.team.team, persona.plan.persona,
                        action.kind == workforce::LiveActionKind::browse ? "browsed" : "mailed",
                        action.target, action.at);
        } else {
          count(&LiveStats::failed);
          logger->warn("exercise {} team {}: live persona {} could not act at T+{:.0f}s: {}",
                       worker.exercise, worker.team.team, persona.plan.persona, action.at,
                       done.error().message);
        }
      }
    }
  }
}

}  // namespace cyrange::exercise
