#include <orchestrator/scenario/dry_run.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>

namespace cyrange::scenario {
namespace {

/// Resolves triggers to times, remembering why untimed ones wait.
class Scheduler {
 public:
  explicit Scheduler(const Scenario& s) {
    for (const auto& step : s.timeline) steps_.emplace(step.id, &step);
  }

  /// The exercise time of `t`, or nullopt with `why` set.
  std::optional<int> time_of(const Trigger& t, std::string& why, int depth = 0) {
    switch (t.kind) {
      case Trigger::Kind::at:
        return t.at_seconds;
      case Trigger::Kind::after: {
        auto it = steps_.find(t.after);
        if (it == steps_.end() || depth > static_cast<int>(steps_.size())) {
          why = "step " + t.after + " (undefined or cyclic)";
          return std::nullopt;
        }
        std::string inner;
        auto base = time_of(it->second->trigger, inner, depth + 1);
        if (!base) {
          why = "step " + t.after + ", which waits for " + inner;
          return std::nullopt;
        }
        return *base + t.delay_seconds;
      }
      case Trigger::Kind::event:
        why = "event " + t.event;
        return std::nullopt;
      case Trigger::Kind::objective:
        why = "objective " + t.objective + " to be " + t.state;
        return std::nullopt;
      case Trigger::Kind::manual:
        if (t.auto_at_seconds) return *t.auto_at_seconds;  // unless an instructor is earlier
        why = "the instructor (manual trigger)";
        return std::nullopt;
    }
    return std::nullopt;
  }

 private:
  std::map<std::string, const Step*> steps_;
};

PlannedEvent make_event(PlannedEvent::Kind kind, const std::string& id, const Trigger* trigger,
                        Scheduler& scheduler, std::string detail) {
  PlannedEvent e;
  e.kind = kind;
  e.id = id;
  e.detail = std::move(detail);
  if (!trigger) {
    e.timed = true;
    return e;
  }
  if (auto t = scheduler.time_of(*trigger, e.waits_for)) {
    e.timed = true;
    e.at_seconds = *t;
  }
  return e;
}

/// Points of an objective including all its parts.
const char* kind_name(PlannedEvent::Kind kind) {
  switch (kind) {
    case PlannedEvent::Kind::message:
      return "message";
    case PlannedEvent::Kind::step:
      return "step";
    case PlannedEvent::Kind::objective:
      return "objective";
  }
  return "";
}

}  // namespace

std::vector<PlannedEvent> plan_timeline(const Scenario& s) {
  Scheduler scheduler(s);
  std::vector<PlannedEvent> plan;
  for (const auto& m : s.messages) {
    plan.push_back(make_event(PlannedEvent::Kind::message, m.id, &m.trigger, scheduler, ""));
  }
  for (const auto& step : s.timeline) {
    std::string detail = step.type;
    if (!step.technique.empty()) detail += " " + step.technique;
    if (!step.target.empty()) detail += " -> " + step.target;
    plan.push_back(make_event(PlannedEvent::Kind::step, step.id, &step.trigger, scheduler, detail));
  }
  for (const auto& o : s.objectives) {
    const int points = total_points(o);
    plan.push_back(make_event(PlannedEvent::Kind::objective, o.id, o.has_opens ? &o.opens : nullptr,
                              scheduler, std::to_string(points) + " points"));
  }
  std::stable_sort(plan.begin(), plan.end(), [](const PlannedEvent& a, const PlannedEvent& b) {
    if (a.timed != b.timed) return a.timed;
    return a.timed && a.at_seconds < b.at_seconds;
  });
  return plan;
}

std::string format_clock(double seconds) {
  const long total = std::lround(seconds);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%02ld:%02ld:%02ld", total / 3600, (total / 60) % 60,
                total % 60);
  return buffer;
}

std::string format_plan(const std::vector<PlannedEvent>& plan, double speed) {
  std::string out;
  for (const auto& e : plan) {
    const std::string verb = e.kind == PlannedEvent::Kind::objective ? "opens" : "fires";
    std::string line;
    if (e.timed) {
      line = "T+" + format_clock(e.at_seconds) + " (wall " + format_clock(e.at_seconds / speed) +
             ")  " + kind_name(e.kind) + " " + e.id + " " + verb;
    } else {
      line = "waiting            " + std::string(kind_name(e.kind)) + " " + e.id + " waits for " +
             e.waits_for;
    }
    if (!e.detail.empty()) line += "  [" + e.detail + "]";
    out += line + "\n";
  }
  return out;
}

}  // namespace cyrange::scenario
