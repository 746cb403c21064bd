#include <orchestrator/timeline/hub.h>

#include <orchestrator/common/log.h>
#include <orchestrator/scenario/variables.h>
#include <orchestrator/timeline/compile.h>

namespace cyrange::timeline {

TimelineHub::TimelineHub(std::shared_ptr<TimelineStore> store,
                         std::shared_ptr<StepExecutor> executor,
                         std::shared_ptr<const TimeSource> time)
    : store_(std::move(store)), executor_(std::move(executor)), time_(std::move(time)) {}

TimelineHub::~TimelineHub() { stop_driver(); }

Status TimelineHub::open_locked(const std::string& exercise) {
  if (timelines_.count(exercise) != 0) return Status::success();
  auto opened = ExerciseTimeline::open(exercise, store_, executor_, time_,
                                       [this](const TimelineEvent& e) { publish(e); });
  if (!opened) return opened.error();
  timelines_[exercise] = std::move(opened).value();
  return Status::success();
}

Status TimelineHub::resume_all() {
  auto ids = store_->exercises();
  if (!ids) return ids.error();
  std::lock_guard lock(mutex_);
  for (const auto& id : *ids) {
    if (Status st = open_locked(id); !st) return st;
  }
  if (!ids->empty()) log::get("timeline")->info("resumed {} exercise timeline(s)", ids->size());
  return Status::success();
}

Status TimelineHub::arm(const std::string& exercise, const scenario::Scenario& scenario,
                        const std::vector<std::string>& teams, std::uint64_t seed) {
  if (exercise.empty() || teams.empty()) {
    return make_error(ErrorCode::invalid_argument,
                      "Arming a timeline needs an exercise id and at least one team.");
  }
  std::lock_guard lock(mutex_);
  if (timelines_.count(exercise) != 0) {
    return make_error(ErrorCode::already_exists,
                      "Exercise '" + exercise +
                          "' already has a running timeline; choose a new "
                          "exercise id or keep using this one.");
  }
  for (const auto& team : teams) {
    const auto vars = scenario::resolve_variables(scenario, seed, team);
    if (Status st = store_->add_executions(exercise, team, compile_timeline(scenario, vars)); !st) {
      return st;
    }
  }
  return open_locked(exercise);
}

Expected<ExerciseTimeline*> TimelineHub::find(const std::string& exercise) const {
  std::lock_guard lock(mutex_);
  auto it = timelines_.find(exercise);
  if (it == timelines_.end()) {
    return make_error(ErrorCode::not_found, "Exercise '" + exercise +
                                                "' has no timeline on this server; check the "
                                                "exercise id or create the exercise first.");
  }
  return it->second.get();
}

std::vector<std::string> TimelineHub::exercises() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [id, timeline] : timelines_) out.push_back(id);
  return out;
}

Status TimelineHub::tick_all() {
  std::vector<ExerciseTimeline*> all;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, timeline] : timelines_) all.push_back(timeline.get());
  }
  Status first;
  for (ExerciseTimeline* timeline : all) {
    auto ran = timeline->tick();
    if (!ran) {
      log::get("timeline")->error("exercise {}: {}", timeline->exercise(), ran.error().message);
      if (first) first = ran.error();
    }
  }
  return first;
}

void TimelineHub::start_driver(std::chrono::milliseconds period) {
  stop_driver();
  {
    std::lock_guard lock(driver_mutex_);
    driver_stop_ = false;
  }
  driver_ = std::thread([this, period] {
    std::unique_lock lock(driver_mutex_);
    while (!driver_wake_.wait_for(lock, period, [this] { return driver_stop_; })) {
      lock.unlock();
      (void)tick_all();  // errors are logged by tick_all; the next tick retries
      lock.lock();
    }
  });
}

void TimelineHub::stop_driver() {
  {
    std::lock_guard lock(driver_mutex_);
    driver_stop_ = true;
  }
  driver_wake_.notify_all();
  if (driver_.joinable()) driver_.join();
}

TimelineHub::SubscriptionId TimelineHub::subscribe(EventSink sink) {
  std::lock_guard lock(subscribers_mutex_);
  const SubscriptionId id = next_subscription_++;
  subscribers_[id] = std::move(sink);
  return id;
}

void TimelineHub::unsubscribe(SubscriptionId id) {
  std::lock_guard lock(subscribers_mutex_);
  subscribers_.erase(id);
}

void TimelineHub::publish(const TimelineEvent& event) {
  // Sinks run under the lock so that unsubscribe() returning means "never again".
  std::lock_guard lock(subscribers_mutex_);
  for (const auto& [id, sink] : subscribers_) sink(event);
}

}  // namespace cyrange::timeline
