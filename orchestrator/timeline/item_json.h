#pragma once

#include <string>

#include <orchestrator/common/expected.h>
#include <orchestrator/timeline/model.h>

namespace cyrange::timeline {

/// The persisted form of a compiled item (column timeline_executions.definition).
std::string item_to_json(const TimelineItem& item);

/// Reads item_to_json() output back; invalid_argument naming the problem otherwise.
Expected<TimelineItem> item_from_json(const std::string& text);

}  // namespace cyrange::timeline
