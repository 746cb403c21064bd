#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <orchestrator/inject/step_kit.h>
#include <orchestrator/timeline/executor.h>

namespace cyrange::inject {

/// Runs attack and inject steps inside a team's guests. Idempotent by execution id:
/// a marker file in the target host records a finished execution, and each action
/// inside a step keeps its own marker, so a re-run after a crash does nothing twice.
class InjectExecutor : public timeline::StepExecutor {
 public:
  /// Source of the wall-clock time written into mail headers and logs.
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  /// `resolver` finds each team's guests; `clock` defaults to the system clock.
  explicit InjectExecutor(TargetResolver resolver, Clock clock = {});

  Status execute(const timeline::StepContext& context) override;
  /// True for every step type this library knows.
  bool idempotent(const timeline::TimelineItem& item) const override;

  /// Checks that `item` is a known step type with its required parameters.
  Status validate(const timeline::TimelineItem& item) const;
  /// The step type called `type`, or nullptr.
  const StepType* find(const std::string& type) const;
  /// Names of every step type, sorted.
  std::vector<std::string> types() const;
  /// The ATT&CK ID a step carries: its own, else its type's default.
  std::string technique(const timeline::TimelineItem& item) const;
  /// The report lines of the last run of `execution_id` (e.g. the delivery path used).
  std::vector<std::string> report(std::int64_t execution_id) const;

  /// Routes every step type of this library from `router` to `self`.
  static void route_all(timeline::RoutingExecutor& router,
                        const std::shared_ptr<InjectExecutor>& self);

 private:
  TargetResolver resolver_;
  Clock clock_;
  std::map<std::string, StepType> types_;
  mutable std::mutex mu_;
  std::map<std::int64_t, std::vector<std::string>> reports_;
};

}  // namespace cyrange::inject
