#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/timeline/clock.h>
#include <orchestrator/timeline/executor.h>
#include <orchestrator/timeline/model.h>
#include <orchestrator/timeline/store.h>

namespace cyrange::timeline {

/// Receives every state change of an exercise's timeline.
using EventSink = std::function<void(const TimelineEvent&)>;

/// The timeline of one exercise: its clock and, per team, one execution per item,
/// driven through pending -> due -> firing -> done | failed | skipped. Every change
/// is a compare-and-set in the TimelineStore before it counts, so a new engine on
/// the same store (after a crash) neither fires anything twice nor forgets what
/// fell due. Teams progress independently. Thread-safe.
class ExerciseTimeline {
 public:
  /// Loads the exercise's clock and executions from `store`. Executions caught
  /// 'firing' by a crash are run again on the next tick() when the executor is
  /// idempotent for them, else marked failed for the instructor to decide.
  static Expected<std::unique_ptr<ExerciseTimeline>> open(const std::string& exercise,
                                                          std::shared_ptr<TimelineStore> store,
                                                          std::shared_ptr<StepExecutor> executor,
                                                          std::shared_ptr<const TimeSource> time,
                                                          EventSink sink = {});

  /// The exercise id.
  const std::string& exercise() const { return exercise_; }
  /// Team names, sorted.
  std::vector<std::string> teams() const;
  /// A snapshot of one team's executions in declaration order; not_found for an unknown team.
  Expected<std::vector<Execution>> executions(const std::string& team) const;

  /// Exercise seconds now.
  double now() const;
  /// The clock's persisted state.
  ClockState clock_state() const;
  /// Starts the exercise clock at 0.
  Status start();
  /// Freezes exercise time: nothing new falls due, manual fires still run.
  Status pause();
  /// Continues after pause().
  Status resume();
  /// Changes the speed factor (exercise seconds per wall second).
  Status set_speed(double speed);

  /// Resolves triggers and runs everything that is due, in due-time order (then
  /// declaration order); repeats until nothing more falls due. Returns how many
  /// executions ran. Does nothing before start().
  Expected<int> tick();
  /// A trainee event for `team` ("answer:ID", "command:TEXT", "hint:ID", ...):
  /// items waiting for exactly this event fall due now.
  Status on_event(const std::string& team, const std::string& event);
  /// Objective `objective` of `team` reached `state` (opened, solved, failed).
  Status on_objective(const std::string& team, const std::string& objective,
                      const std::string& state);
  /// Fires an item by hand now (pending, due or failed ones).
  Status fire(const std::string& team, const std::string& item);
  /// Skips an item that has not run; items after it (or in its branches) follow.
  Status skip(const std::string& team, const std::string& item, const std::string& reason);
  /// Chooses `option` of the decision step `decision` once it was presented: its
  /// branch falls due, the other branches are skipped.
  Status choose(const std::string& team, const std::string& decision, const std::string& option);
  /// Where nobody decides (self-paced runs): chooses the default option of every decision
  /// step that was presented, has a `default_option` and no choice yet, exactly as choose()
  /// does for an instructor (the choice and its exercise time are recorded, its branch falls
  /// due). Returns "team/decision:option" of each choice made.
  Expected<std::vector<std::string>> choose_defaults();

 private:
  ExerciseTimeline(std::string exercise, std::shared_ptr<TimelineStore> store,
                   std::shared_ptr<StepExecutor> executor, std::shared_ptr<const TimeSource> time,
                   EventSink sink, ClockState clock);

  struct Claim {
    std::int64_t id;
    std::string team;
    TimelineItem item;
    double at;
    int attempt;
  };

  // Everything below with `_locked` needs mutex_ held.
  Status recover_locked();
  Expected<bool> change_locked(Execution& e, const ExecutionChange& change);
  void reload_locked(Execution& e);
  Status record_finishes_locked();
  Execution* find_locked(const std::string& team, const std::string& item);
  Expected<Execution*> require_locked(const std::string& team, const std::string& item);
  Status resolve_locked();
  Expected<std::vector<std::int64_t>> mark_due_locked(double now);
  Expected<std::optional<Claim>> claim_locked(std::int64_t id);
  void run(const Claim& claim);
  Status save_clock_locked();
  Status mark_due_where(const std::string& team,
                        const std::function<bool(const TriggerSpec&)>& matches);
  void finish(const Claim& claim, const Status& result);
  void flush_events();
  Status control(const std::function<Status()>& op);

  const std::string exercise_;
  std::shared_ptr<TimelineStore> store_;
  std::shared_ptr<StepExecutor> executor_;
  std::shared_ptr<const TimeSource> time_;
  EventSink sink_;

  std::mutex fire_mutex_;     // serialises tick(): claims run one batch at a time
  mutable std::mutex mutex_;  // guards the state below
  ExerciseClock clock_;
  std::map<std::string, std::vector<Execution>> teams_;
  std::vector<Claim> reruns_;  // idempotent executions caught 'firing' by a crash
  // Ends of runs the store did not take (PostgreSQL away); stored by a later tick.
  std::vector<ExecutionChange> unrecorded_finishes_;
  std::vector<TimelineEvent> outbox_;
};

}  // namespace cyrange::timeline
