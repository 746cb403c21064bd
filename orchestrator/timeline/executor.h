#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/timeline/model.h>

namespace cyrange::timeline {

/// Everything an executor needs to carry out one execution.
struct StepContext {
  std::int64_t execution_id = 0;  ///< the same on a re-run after a crash
  int attempt = 1;                ///< 1 on the first claim
  std::string exercise;
  std::string team;
  const TimelineItem* item = nullptr;
  double exercise_time = 0;
};

/// Carries out an item: an attack step inside the team's guests, a message to the
/// trainees' inbox, an objective that opens. Called outside the engine's locks.
class StepExecutor {
 public:
  virtual ~StepExecutor() = default;
  /// Runs the item; an error marks the execution failed with its message.
  virtual Status execute(const StepContext& context) = 0;
  /// True when running `item` twice with the same execution id has the effect
  /// of running it once; only then is an execution caught 'firing' by a crash
  /// run again on restart (otherwise it is marked failed for the instructor).
  virtual bool idempotent(const TimelineItem& item) const = 0;
};

/// The default executor: messages, decisions and objectives need nothing done in
/// the range; their 'done' event is the delivery. Idempotent by construction.
class MessageExecutor : public StepExecutor {
 public:
  Status execute(const StepContext& context) override;
  bool idempotent(const TimelineItem& item) const override;
};

/// Sends steps to the executor registered for their `type`, everything else
/// (and unknown types) to a fallback.
class RoutingExecutor : public StepExecutor {
 public:
  /// `fallback` handles whatever has no route.
  explicit RoutingExecutor(std::shared_ptr<StepExecutor> fallback);
  /// Routes steps of `type` (e.g. "send_mail") to `executor`.
  void route(const std::string& type, std::shared_ptr<StepExecutor> executor);
  Status execute(const StepContext& context) override;
  bool idempotent(const TimelineItem& item) const override;

 private:
  StepExecutor& pick(const TimelineItem& item) const;
  std::shared_ptr<StepExecutor> fallback_;
  std::map<std::string, std::shared_ptr<StepExecutor>> routes_;
};

/// Test double: records every call and counts runs per execution id; can be told
/// to fail items or to claim non-idempotence. Thread-safe.
class RecordingExecutor : public StepExecutor {
 public:
  /// One recorded call.
  struct Call {
    std::int64_t execution_id;
    std::string team;
    std::string item_id;
    double exercise_time;
    int attempt;
  };
  Status execute(const StepContext& context) override;
  bool idempotent(const TimelineItem& item) const override;
  /// Makes item `item_id` fail with an error until cleared.
  void fail_item(const std::string& item_id, bool fail = true);
  /// Whether idempotent() answers true (the default).
  void set_idempotent(bool idempotent);
  /// All calls so far, in order.
  std::vector<Call> calls() const;
  /// Item ids of the calls for `team`, in order.
  std::vector<std::string> fired(const std::string& team) const;
  /// How many times execution `id` ran.
  int runs(std::int64_t id) const;

 private:
  mutable std::mutex mutex_;
  std::vector<Call> calls_;
  std::map<std::string, bool> failing_;
  bool idempotent_ = true;
};

}  // namespace cyrange::timeline
