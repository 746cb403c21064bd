#include <map>
#include <regex>

#include <orchestrator/scenario/validate_checks.h>

namespace cyrange::scenario::detail {
namespace {

void check_trigger(const Trigger& t, const std::string& owner, const Scenario& s,
                   const NameIndex& names, Findings& f) {
  switch (t.kind) {
    case Trigger::Kind::after:
      if (!names.steps.count(t.after)) {
        f.error(t.loc, owner + " waits for undefined step '" + t.after + "'",
                "name a step id of the timeline in `after:`");
      }
      break;
    case Trigger::Kind::objective:
      if (!names.objectives.count(t.objective)) {
        f.error(t.loc, owner + " watches undefined objective '" + t.objective + "'",
                "name an objective id in `on_objective:`");
      }
      if (t.state != "opened" && t.state != "solved" && t.state != "failed") {
        f.error(t.loc, "objective state '" + t.state + "' is unknown",
                "use `state: opened`, `solved` or `failed`");
      }
      break;
    case Trigger::Kind::event: {
      const auto colon = t.event.find(':');
      const std::string kind = t.event.substr(0, colon);
      const std::string rest = colon == std::string::npos ? "" : t.event.substr(colon + 1);
      if (kind == "answer" && !names.objectives.count(rest)) {
        f.error(t.loc, owner + " waits for an answer to undefined objective '" + rest + "'",
                "write `on_event: answer:OBJECTIVE_ID` with a declared objective");
      } else if (kind == "decision") {
        const auto sep = rest.find(':');
        const std::string step_id = rest.substr(0, sep);
        const std::string option = sep == std::string::npos ? "" : rest.substr(sep + 1);
        bool found = false;
        for (const auto& step : s.timeline) {
          if (step.id != step_id) continue;
          for (const auto& o : step.options) found = found || o.id == option;
        }
        if (!found) {
          f.error(t.loc, owner + " waits for undefined decision '" + rest + "'",
                  "write `on_event: decision:STEP:OPTION` naming a decision step and option");
        }
      } else if (kind != "answer" && kind != "command" && kind != "hint") {
        f.error(t.loc, "event '" + t.event + "' has an unknown kind",
                "use answer:OBJECTIVE, decision:STEP:OPTION, command:TEXT or hint:OBJECTIVE");
      }
      break;
    }
    case Trigger::Kind::at:
    case Trigger::Kind::manual:
      break;
  }
}

}  // namespace

void check_step_targets(const Scenario& s, const NameIndex& names, Findings& f) {
  for (const auto& step : s.timeline) {
    if (!step.target.empty() && !names.is_guest(step.target)) {
      f.error(step.target_loc,
              "step '" + step.id + "' targets undefined host '" + step.target + "'",
              "name a host or router of the topology in `target:`");
    }
    if (step.category != "attack" && step.category != "inject" && step.category != "decision") {
      f.error(step.loc, "step '" + step.id + "' has unknown category '" + step.category + "'",
              "use `category: attack`, `inject` or `decision`");
    }
  }
}

void check_trigger_refs(const Scenario& s, const NameIndex& names, Findings& f) {
  for (const auto& step : s.timeline) {
    check_trigger(step.trigger, "step '" + step.id + "'", s, names, f);
  }
  for (const auto& m : s.messages) check_trigger(m.trigger, "message '" + m.id + "'", s, names, f);
  for_each_objective(s.objectives, [&](const Objective& o) {
    if (o.has_opens) check_trigger(o.opens, "objective '" + o.id + "'", s, names, f);
  });
}

void check_trigger_cycles(const Scenario& s, const NameIndex&, Findings& f) {
  std::map<std::string, const Step*> by_id;
  for (const auto& step : s.timeline) by_id.emplace(step.id, &step);
  // Each step has at most one `after`, so following the chain finds any cycle.
  std::set<std::string> reported;
  for (const auto& start : s.timeline) {
    std::vector<std::string> path{start.id};
    const Step* current = &start;
    while (current->trigger.kind == Trigger::Kind::after) {
      auto next = by_id.find(current->trigger.after);
      if (next == by_id.end()) break;
      if (next->first == start.id) {
        std::string chain;
        for (const auto& id : path) chain += id + " -> ";
        if (reported.insert(start.id).second) {
          f.error(start.trigger.loc, "the `after` triggers form a cycle: " + chain + start.id,
                  "start one step of the cycle with `at:`, `on_event:` or `manual`");
        }
        break;
      }
      if (path.size() > by_id.size()) break;  // a cycle not through `start`
      path.push_back(next->first);
      current = next->second;
    }
  }
}

void check_decisions(const Scenario& s, const NameIndex&, Findings& f) {
  for (const auto& step : s.timeline) {
    if (step.category == "decision" && step.options.size() < 2) {
      f.error(step.loc, "decision step '" + step.id + "' offers fewer than two options",
              "list at least two choices under `options:`");
    }
    if (step.category != "decision" && !step.options.empty()) {
      f.warning(step.loc, "step '" + step.id + "' has options but is not a decision",
                "set `category: decision` or remove `options:`");
    }
  }
}

void check_objectives_scorable(const Scenario& s, const NameIndex&, Findings& f) {
  for_each_objective(s.objectives, [&](const Objective& o) {
    if (!o.has_answer && !o.has_check && o.parts.empty() && o.expected_commands.empty() &&
        o.rubric.empty()) {
      f.error(o.loc, "objective '" + o.id + "' cannot be scored",
              "add an `answer:`, a `check:`, `expected_commands:`, a `rubric:` or `parts:`");
    }
    if (o.points < 0) {
      f.error(o.loc, "objective '" + o.id + "' has negative points",
              "give 0 or more points; penalties belong to hints");
    }
    for (const auto& hint : o.hints) {
      if (hint.penalty < 0) {
        f.error(hint.loc, "a hint of objective '" + o.id + "' has a negative penalty",
                "set `penalty:` to 0 or more points");
      } else if (hint.penalty > o.points && o.parts.empty()) {
        f.warning(hint.loc, "a hint of objective '" + o.id + "' costs more than the objective",
                  "lower the penalty below " + std::to_string(o.points) + " points");
      }
    }
  });
}

void check_answers(const Scenario& s, const NameIndex& names, Findings& f) {
  for_each_objective(s.objectives, [&](const Objective& o) {
    if (o.has_check && !o.check.host.empty() && !names.is_guest(o.check.host)) {
      f.error(o.check.loc,
              "the check of objective '" + o.id + "' runs on undefined host '" + o.check.host + "'",
              "name a host of the topology in `host:`");
    }
    if (!o.has_answer) return;
    const Answer& a = o.answer;
    const std::string who = "the answer of objective '" + o.id + "'";
    switch (a.kind) {
      case AnswerKind::exact:
      case AnswerKind::normalized:
        if (a.value.empty()) f.error(a.loc, who + " has no value", "add `value:`");
        break;
      case AnswerKind::regex:
        try {
          std::regex compiled(a.value);
        } catch (const std::regex_error&) {
          f.error(a.loc, who + " has an invalid regular expression",
                  "fix `pattern:` (ECMAScript syntax)");
        }
        if (a.value.empty()) f.error(a.loc, who + " has no pattern", "add `pattern:`");
        break;
      case AnswerKind::any_of:
        if (a.values.empty()) {
          f.error(a.loc, who + " accepts nothing", "list the accepted answers under `values:`");
        }
        break;
      case AnswerKind::numeric_range:
        if (!a.has_bounds && a.center.empty()) {
          f.error(a.loc, who + " has no range",
                  "add `min:` and `max:`, or `center:` and `tolerance:`");
        } else if (a.has_bounds && a.min > a.max) {
          f.error(a.loc, who + " has min greater than max", "make `min:` at most `max:`");
        }
        break;
      case AnswerKind::variable:
        if (!names.variables.count(a.variable)) {
          f.error(a.loc, who + " refers to undefined variable '" + a.variable + "'",
                  "set `variable:` to a name declared under `variables:`");
        }
        break;
    }
  });
}

}  // namespace cyrange::scenario::detail
