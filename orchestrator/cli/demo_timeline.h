#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

#include <orchestrator/common/expected.h>
#include <orchestrator/range/team_range.h>
#include <orchestrator/scenario/scenario.h>

namespace cyrange::cli {

/// How the demo plays a scenario's timeline.
struct DemoTimelineOptions {
  std::string database_uri;          ///< the system of record
  std::string exercise;              ///< prefix of the recorded exercise id
  std::uint64_t seed = 0;            ///< the same seed as the team's range variables
  double speed = 120;                ///< exercise seconds per wall second
  std::chrono::seconds budget{600};  ///< wall time allowed before giving up
};

/// What the played timeline did.
struct TimelineSummary {
  std::string exercise;  ///< id of the exercise recorded in PostgreSQL
  int done = 0;          ///< executions finished
  int failed = 0;        ///< executions that failed
};

/// Plays every timed message and attack step of `scenario` for the team of `team`,
/// attack steps inside its guests, printing each execution as it finishes.
Expected<TimelineSummary> play_timeline(const scenario::Scenario& scenario, range::TeamRange& team,
                                        const DemoTimelineOptions& opts, std::ostream& out);

}  // namespace cyrange::cli
