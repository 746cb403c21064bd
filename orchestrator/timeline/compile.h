#pragma once

#include <map>
#include <string>
#include <vector>

#include <orchestrator/scenario/scenario.h>
#include <orchestrator/timeline/model.h>

namespace cyrange::timeline {

/// The timeline of one team: every message, step and objective of `scenario`
/// (in that order, which fixes `seq`), with ${vars.x} in parameters and texts
/// replaced by `vars`. An objective without `opens` opens at exercise time 0,
/// as in scenario::plan_timeline().
std::vector<TimelineItem> compile_timeline(const scenario::Scenario& scenario,
                                           const std::map<std::string, std::string>& vars);

}  // namespace cyrange::timeline
