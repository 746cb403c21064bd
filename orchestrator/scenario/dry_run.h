#pragma once

#include <string>
#include <vector>

#include <orchestrator/scenario/scenario.h>

namespace cyrange::scenario {

/// One activation in a simulated run of the timeline.
struct PlannedEvent {
  enum class Kind { message, step, objective };
  Kind kind = Kind::step;
  std::string id;
  bool timed = false;     ///< fires at `at_seconds` without anyone acting
  int at_seconds = 0;     ///< exercise time, when timed
  std::string waits_for;  ///< when not timed: what it waits for, in words
  std::string detail;     ///< step type, technique and target, or the objective's points
};

/// Simulates the timeline without a range: every message, step and objective with
/// its exercise time, following `at` and `after` triggers. Timed events come first
/// in time order (declaration order on ties), then the ones waiting for a person
/// or event, in declaration order.
std::vector<PlannedEvent> plan_timeline(const Scenario& scenario);

/// The plan as text, one line per event, with wall-clock times at `speed`.
std::string format_plan(const std::vector<PlannedEvent>& plan, double speed);

/// "HH:MM:SS" of a number of seconds.
std::string format_clock(double seconds);

}  // namespace cyrange::scenario
