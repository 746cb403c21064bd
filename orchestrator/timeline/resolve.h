#pragma once

#include <string>
#include <vector>

#include <orchestrator/timeline/model.h>
#include <orchestrator/timeline/store.h>

namespace cyrange::timeline {

/// One pass of trigger resolution over the executions of ONE team: the changes
/// that give pending executions their due time (`at`, the `auto_at` of a manual
/// item, `after` a completed item, a chosen decision branch) or skip them (their predecessor was
/// skipped, another branch of their decision was chosen). Pure: derived only from persisted state,
/// so a restarted engine reaches the same conclusions. Events and objective states
/// set due times directly (see ExerciseTimeline::on_event). Apply the changes and
/// call again until it returns nothing, to follow chains.
std::vector<ExecutionChange> resolve_triggers(const std::vector<Execution>& team_executions);

/// The parts of "decision:STEP:OPTION"; false for any other event name.
bool parse_decision_event(const std::string& event, std::string& step, std::string& option);

}  // namespace cyrange::timeline
