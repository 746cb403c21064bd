#pragma once

#include <CLI/CLI.hpp>

#include <orchestrator/course/course.h>

namespace cyrange::course {

/// Largest values the flags accept: a pool of runs, a week of idling, a month of token.
inline constexpr int kMaxRunCapacity = 1000;
inline constexpr int kMaxIdlePauseMinutes = 7 * 24 * 60;
inline constexpr int kMaxRunTokenHours = 30 * 24;

/// Adds cyranged's operator settings of self-paced runs to `app`, writing into `limits`
/// (whose values are the defaults shown in the help):
///   --selfpaced-capacity N          runs holding a range at once (RunLimits::capacity)
///   --selfpaced-idle-pause-min M    minutes without activity before a run is paused
///   --selfpaced-token-ttl-hours H   hours a run's token stays valid
/// Each takes a whole number from 1 to its maximum above; anything else fails the parse
/// with a CLI::ValidationError naming the flag, in English and Japanese.
void add_run_limit_flags(CLI::App& app, RunLimits& limits);

}  // namespace cyrange::course
