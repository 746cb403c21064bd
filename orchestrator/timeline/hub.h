#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/scenario/scenario.h>
#include <orchestrator/timeline/engine.h>

namespace cyrange::timeline {

/// Every exercise timeline of one daemon: arms new ones from a scenario, reopens
/// the persisted ones after a restart, ticks them from one driver thread and fans
/// their events out to subscribers (the WatchTimeline streams). Thread-safe.
class TimelineHub {
 public:
  /// Identifies one subscription for unsubscribe().
  using SubscriptionId = std::uint64_t;

  /// All three must be non-null.
  TimelineHub(std::shared_ptr<TimelineStore> store, std::shared_ptr<StepExecutor> executor,
              std::shared_ptr<const TimeSource> time);
  /// Stops the driver thread.
  ~TimelineHub();
  TimelineHub(const TimelineHub&) = delete;
  TimelineHub& operator=(const TimelineHub&) = delete;

  /// Opens every exercise that has a persisted timeline (daemon start).
  Status resume_all();
  /// Creates the executions of `teams` from `scenario` (variables drawn per team
  /// from `seed`) and opens the exercise; arming again adds only missing ones.
  Status arm(const std::string& exercise, const scenario::Scenario& scenario,
             const std::vector<std::string>& teams, std::uint64_t seed);
  /// The open timeline of `exercise`; not_found otherwise. Valid while the hub lives.
  Expected<ExerciseTimeline*> find(const std::string& exercise) const;
  /// Ids of the open exercises, sorted.
  std::vector<std::string> exercises() const;
  /// Ticks every open exercise once; the first error is returned, all are logged.
  Status tick_all();
  /// Starts a thread calling tick_all() every `period` until stop_driver().
  void start_driver(std::chrono::milliseconds period);
  /// Stops the driver thread, if running; returns after its last tick.
  void stop_driver();
  /// Delivers every future event of every exercise to `sink` until unsubscribed.
  /// `sink` runs on engine threads and must not block or call back into the hub.
  SubscriptionId subscribe(EventSink sink);
  /// Ends a subscription; once it returns, its sink is never called again.
  void unsubscribe(SubscriptionId id);
  /// The store, e.g. to resolve team names for authorisation.
  TimelineStore& store() { return *store_; }

 private:
  Status open_locked(const std::string& exercise);
  void publish(const TimelineEvent& event);

  std::shared_ptr<TimelineStore> store_;
  std::shared_ptr<StepExecutor> executor_;
  std::shared_ptr<const TimeSource> time_;

  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<ExerciseTimeline>> timelines_;

  std::mutex subscribers_mutex_;
  SubscriptionId next_subscription_ = 1;
  std::map<SubscriptionId, EventSink> subscribers_;

  std::mutex driver_mutex_;
  std::condition_variable driver_wake_;
  bool driver_stop_ = false;
  std::thread driver_;
};

}  // namespace cyrange::timeline
