#pragma once

#include <memory>
#include <string>
#include <vector>

#include <orchestrator/timeline/engine.h>
#include <orchestrator/timeline/model.h>

namespace cyrange::timeline::testing {

/// A step due at exercise second `at`.
inline TimelineItem at_step(const std::string& id, double at) {
  TimelineItem item;
  item.id = id;
  item.category = "attack";
  item.type = "noop";
  item.trigger.kind = TriggerSpec::Kind::at;
  item.trigger.at_seconds = at;
  return item;
}

/// A step due `delay` seconds after `before` completed.
inline TimelineItem after_step(const std::string& id, const std::string& before, double delay) {
  TimelineItem item = at_step(id, 0);
  item.trigger.kind = TriggerSpec::Kind::after;
  item.trigger.after = before;
  item.trigger.delay_seconds = delay;
  return item;
}

/// A step waiting for trainee event `event`.
inline TimelineItem event_step(const std::string& id, const std::string& event) {
  TimelineItem item = at_step(id, 0);
  item.trigger.kind = TriggerSpec::Kind::event;
  item.trigger.event = event;
  return item;
}

/// A message waiting for objective `objective` to reach `state`.
inline TimelineItem objective_message(const std::string& id, const std::string& objective,
                                      const std::string& state) {
  TimelineItem item = at_step(id, 0);
  item.kind = ItemKind::message;
  item.category.clear();
  item.trigger.kind = TriggerSpec::Kind::objective;
  item.trigger.objective = objective;
  item.trigger.state = state;
  return item;
}

/// A step that only the instructor fires.
inline TimelineItem manual_step(const std::string& id) {
  TimelineItem item = at_step(id, 0);
  item.trigger.kind = TriggerSpec::Kind::manual;
  return item;
}

/// A step the instructor may fire, which fires by itself at exercise second `auto_at`.
inline TimelineItem auto_step(const std::string& id, double auto_at) {
  TimelineItem item = manual_step(id);
  item.trigger.auto_at_seconds = auto_at;
  return item;
}

/// A decision step due at `at` with `options`.
inline TimelineItem decision(const std::string& id, double at, std::vector<std::string> options) {
  TimelineItem item = at_step(id, at);
  item.category = "decision";
  item.type = "decision";
  item.options = std::move(options);
  return item;
}

/// Numbers items in declaration order, as compile_timeline() does.
inline std::vector<TimelineItem> numbered(std::vector<TimelineItem> items) {
  for (std::size_t i = 0; i < items.size(); ++i) items[i].seq = static_cast<int>(i);
  return items;
}

/// The state of `item` in `team`, or "missing".
inline std::string state_of(const ExerciseTimeline& timeline, const std::string& team,
                            const std::string& item) {
  auto executions = timeline.executions(team);
  if (!executions) return "missing";
  for (const auto& e : *executions) {
    if (e.item.id == item) return std::string(to_string(e.state));
  }
  return "missing";
}

}  // namespace cyrange::timeline::testing
