#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include <orchestrator/common/expected.h>
#include <orchestrator/exercise/range_registry.h>
#include <orchestrator/inject/step_kit.h>
#include <orchestrator/range/hypervisor.h>

namespace cyrange::exercise {

/// The team ranges of live exercises as the attack steps and range-state checks
/// reach them: built on first use from the specs recorded in PostgreSQL, so they
/// work the same after a daemon restart. Thread-safe.
class LiveRanges {
 public:
  /// Shares the daemon's hypervisor connection and registry.
  LiveRanges(std::shared_ptr<range::Hypervisor> hypervisor,
             std::shared_ptr<RangeRegistry> registry);

  /// The guests of (exercise, team); unavailable while that range is not recorded.
  Expected<inject::TeamTarget> target(const std::string& exercise, const std::string& team);
  /// A resolver over target() for the inject executor.
  inject::TargetResolver resolver();
  /// Forgets every range of `exercise` (after teardown).
  void forget(const std::string& exercise);

 private:
  std::shared_ptr<range::Hypervisor> hypervisor_;
  std::shared_ptr<RangeRegistry> registry_;
  std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, inject::TeamTarget> entries_;
};

}  // namespace cyrange::exercise
