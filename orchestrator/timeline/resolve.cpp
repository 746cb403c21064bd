#include <orchestrator/timeline/resolve.h>

#include <map>

namespace cyrange::timeline {
namespace {

ExecutionChange set_due(const Execution& e, double due_at) {
  ExecutionChange c;
  c.id = e.id;
  c.from = {ExecState::pending};
  c.to = ExecState::pending;
  c.due_at = due_at;
  return c;
}

ExecutionChange skip(const Execution& e, double at, std::string why) {
  ExecutionChange c;
  c.id = e.id;
  c.from = {ExecState::pending, ExecState::due};
  c.to = ExecState::skipped;
  c.finished_at = at;
  c.detail = std::move(why);
  return c;
}

// The exercise time a completed or skipped predecessor reached its final state.
double settled_at(const Execution& e) {
  if (e.due_at) return *e.due_at;
  return e.finished_at.value_or(0);
}

}  // namespace

bool parse_decision_event(const std::string& event, std::string& step, std::string& option) {
  constexpr std::string_view kPrefix = "decision:";
  if (event.rfind(kPrefix, 0) != 0) return false;
  const std::string rest = event.substr(kPrefix.size());
  const auto colon = rest.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == rest.size()) return false;
  step = rest.substr(0, colon);
  option = rest.substr(colon + 1);
  return true;
}

std::vector<ExecutionChange> resolve_triggers(const std::vector<Execution>& executions) {
  std::map<std::string, const Execution*> by_item;
  for (const auto& e : executions) by_item[e.item.id] = &e;
  std::vector<ExecutionChange> changes;
  for (const auto& e : executions) {
    if (e.state != ExecState::pending || e.due_at) continue;
    const TriggerSpec& t = e.item.trigger;
    switch (t.kind) {
      case TriggerSpec::Kind::at:
        changes.push_back(set_due(e, t.at_seconds));
        break;
      case TriggerSpec::Kind::after: {
        auto it = by_item.find(t.after);
        if (it == by_item.end()) break;
        const Execution& before = *it->second;
        // Scheduled from when the predecessor was due, not when it ran: a late
        // catch-up after a restart keeps the scenario's spacing, as the dry run shows.
        if (before.state == ExecState::done) {
          changes.push_back(set_due(e, settled_at(before) + t.delay_seconds));
        } else if (before.state == ExecState::skipped) {
          changes.push_back(skip(e, before.finished_at.value_or(0),
                                 "Skipped because '" + before.item.id + "' was skipped."));
        }
        break;
      }
      case TriggerSpec::Kind::event: {
        std::string step, option;
        if (!parse_decision_event(t.event, step, option)) break;
        auto it = by_item.find(step);
        if (it == by_item.end()) break;
        const Execution& decision = *it->second;
        if (decision.state == ExecState::skipped) {
          changes.push_back(skip(e, decision.finished_at.value_or(0),
                                 "Skipped because decision '" + step + "' was skipped."));
        } else if (!decision.choice.empty() && decision.choice == option) {
          changes.push_back(set_due(e, decision.chosen_at.value_or(0)));
        } else if (!decision.choice.empty()) {
          changes.push_back(skip(e, decision.chosen_at.value_or(0),
                                 "Skipped because option '" + decision.choice +
                                     "' was chosen in decision '" + step + "'."));
        }
        break;
      }
      case TriggerSpec::Kind::manual:
        // `auto_at`: due then like an `at` trigger. Fired or skipped by hand before, it is
        // no longer pending and this never applies, so it cannot run twice.
        if (t.auto_at_seconds) changes.push_back(set_due(e, *t.auto_at_seconds));
        break;
      case TriggerSpec::Kind::objective:
        break;
    }
  }
  return changes;
}

}  // namespace cyrange::timeline
