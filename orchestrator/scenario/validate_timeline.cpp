#include <algorithm>
#include <map>
#include <regex>

#include <orchestrator/scenario/validate_checks.h>
#include <orchestrator/scenario/variables.h>

namespace cyrange::scenario::detail {
namespace {

void check_trigger(const Trigger& t, const std::string& owner, const std::string& owner_ja,
                   const Scenario& s, const NameIndex& names, Findings& f) {
  switch (t.kind) {
    case Trigger::Kind::after:
      if (!names.steps.count(t.after)) {
        f.error(value_loc(t, "after"),
                both(owner + " waits for undefined step '" + t.after + "'",
                     owner_ja + " が未定義のステップ '" + t.after + "' を待っています"),
                both("name a step id of the timeline in `after:`",
                     "`after:` にはタイムラインのステップ id を書いてください"));
      }
      break;
    case Trigger::Kind::objective:
      if (!names.objectives.count(t.objective)) {
        f.error(value_loc(t, "on_objective"),
                both(owner + " watches undefined objective '" + t.objective + "'",
                     owner_ja + " が未定義の設問 '" + t.objective + "' を待っています"),
                both("name an objective id in `on_objective:`",
                     "`on_objective:` には設問の id を書いてください"));
      }
      if (t.state != "opened" && t.state != "solved" && t.state != "failed") {
        f.error(value_loc(t, "state"),
                both("objective state '" + t.state + "' is unknown",
                     "設問の状態 '" + t.state + "' は不明です"),
                both("use `state: opened`, `solved` or `failed`",
                     "`state:` には opened、solved、failed のいずれかを書いてください"));
      }
      break;
    case Trigger::Kind::event: {
      const SourceLocation& where = value_loc(t, "on_event");
      const auto colon = t.event.find(':');
      const std::string kind = t.event.substr(0, colon);
      const std::string rest = colon == std::string::npos ? "" : t.event.substr(colon + 1);
      if (kind == "answer" && !names.objectives.count(rest)) {
        f.error(where,
                both(owner + " waits for an answer to undefined objective '" + rest + "'",
                     owner_ja + " が未定義の設問 '" + rest + "' への回答を待っています"),
                both("write `on_event: answer:OBJECTIVE_ID` with a declared objective",
                     "定義済みの設問で `on_event: answer:設問ID` と書いてください"));
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
          f.error(where,
                  both(owner + " waits for undefined decision '" + rest + "'",
                       owner_ja + " が未定義の意思決定 '" + rest + "' を待っています"),
                  both("write `on_event: decision:STEP:OPTION` naming a decision step and option",
                       "意思決定のステップと選択肢で `on_event: decision:STEP:OPTION` と書いて"
                       "ください"));
        }
      } else if (kind != "answer" && kind != "command" && kind != "hint") {
        f.error(where,
                both("event '" + t.event + "' has an unknown kind",
                     "イベント '" + t.event + "' の種類は不明です"),
                both("use answer:OBJECTIVE, decision:STEP:OPTION, command:TEXT or hint:OBJECTIVE",
                     "answer:設問、decision:ステップ:選択肢、command:文字列、hint:設問 のいずれかを"
                     "使ってください"));
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
              both("step '" + step.id + "' targets undefined host '" + step.target + "'",
                   "ステップ '" + step.id + "' の対象 '" + step.target + "' は未定義のホストです"),
              both("name a host or router of the topology in `target:`",
                   "`target:` にはトポロジーのホストかルーターを書いてください"));
    }
    if (step.category != "attack" && step.category != "inject" && step.category != "decision") {
      f.error(value_loc(step, "category"),
              both("step '" + step.id + "' has unknown category '" + step.category + "'",
                   "ステップ '" + step.id + "' の分類 '" + step.category + "' は不明です"),
              both("use `category: attack`, `inject` or `decision`",
                   "`category:` には attack、inject、decision のいずれかを書いてください"));
    }
  }
}

void check_trigger_refs(const Scenario& s, const NameIndex& names, Findings& f) {
  for (const auto& step : s.timeline) {
    check_trigger(step.trigger, "step '" + step.id + "'", "ステップ '" + step.id + "'", s, names,
                  f);
  }
  for (const auto& m : s.messages) {
    check_trigger(m.trigger, "message '" + m.id + "'", "メッセージ '" + m.id + "'", s, names, f);
  }
  for_each_objective(s.objectives, [&](const Objective& o) {
    if (o.has_opens) {
      check_trigger(o.opens, "objective '" + o.id + "'", "設問 '" + o.id + "'", s, names, f);
    }
  });
}

void check_trigger_cycles(const Scenario& s, const NameIndex&, Findings& f) {
  // Each step has at most one `after`, so following the chains from every step finds each
  // cycle once: when a walk meets a step of its own path.
  std::map<std::string, std::size_t> by_id;
  for (std::size_t i = 0; i < s.timeline.size(); ++i) by_id.emplace(s.timeline[i].id, i);
  std::vector<int> walk_of(s.timeline.size(), -1);  // the walk that reached each step
  for (std::size_t start = 0; start < s.timeline.size(); ++start) {
    std::vector<std::size_t> path;
    std::size_t current = start;
    bool closed = false;  // the walk came back to a step of its own path
    while (true) {
      if (walk_of[current] >= 0) {
        closed = walk_of[current] == static_cast<int>(start);
        break;
      }
      walk_of[current] = static_cast<int>(start);
      path.push_back(current);
      const Trigger& t = s.timeline[current].trigger;
      auto next = t.kind == Trigger::Kind::after ? by_id.find(t.after) : by_id.end();
      if (next == by_id.end()) break;
      current = next->second;
    }
    if (!closed) continue;
    // The cycle is the path from `current` on; it is reported at the member written first.
    const auto from = std::find(path.begin(), path.end(), current);
    std::vector<std::size_t> cycle(from, path.end());
    std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
    std::string chain;
    for (std::size_t i : cycle) chain += s.timeline[i].id + " -> ";
    chain += s.timeline[cycle.front()].id;
    const Step& first = s.timeline[cycle.front()];
    Diagnostic& d = f.error(
        value_loc(first.trigger, "after"),
        both("the `after` triggers form a cycle: " + chain,
             "`after` トリガーが循環しています: " + chain),
        both("start one step of the cycle with `at:`, `on_event:` or `manual`",
             "循環するステップのどれか1つを `at:`、`on_event:` または `manual` で始めてください"));
    for (std::size_t k = 1; k < cycle.size(); ++k) {
      const Step& member = s.timeline[cycle[k]];
      d.notes.push_back(
          make_note(value_loc(member.trigger, "after"),
                    both("step '" + member.id + "' waits for '" + member.trigger.after + "' here",
                         "ステップ '" + member.id + "' はここで '" + member.trigger.after +
                             "' を待っています")));
    }
  }
}

void check_decisions(const Scenario& s, const NameIndex&, Findings& f) {
  for (const auto& step : s.timeline) {
    if (step.category == "decision" && step.options.size() < 2) {
      f.error(value_loc(step, step.options.empty() ? "id" : "options"),
              "decision step '" + step.id + "' offers fewer than two options",
              "list at least two choices under `options:`");
    }
    if (step.category != "decision" && !step.options.empty()) {
      f.warning(value_loc(step, "options"),
                "step '" + step.id + "' has options but is not a decision",
                "set `category: decision` or remove `options:`");
    }
  }
}

void check_objectives_scorable(const Scenario& s, const NameIndex&, Findings& f) {
  for_each_objective(s.objectives, [&](const Objective& o) {
    if (!o.has_answer && !o.has_check && o.parts.empty() && o.expected_commands.empty() &&
        o.rubric.empty()) {
      f.error(value_loc(o, "id"), "objective '" + o.id + "' cannot be scored",
              "add an `answer:`, a `check:`, `expected_commands:`, a `rubric:` or `parts:`");
    }
    if (o.points < 0) {
      f.error(value_loc(o, "points"), "objective '" + o.id + "' has negative points",
              "give 0 or more points; penalties belong to hints");
    }
    for (const auto& hint : o.hints) {
      if (hint.penalty < 0) {
        f.error(value_loc(hint, "penalty"),
                "a hint of objective '" + o.id + "' has a negative penalty",
                "set `penalty:` to 0 or more points");
      } else if (hint.penalty > o.points && o.parts.empty()) {
        f.warning(value_loc(hint, "penalty"),
                  "a hint of objective '" + o.id + "' costs more than the objective",
                  "lower the penalty below " + std::to_string(o.points) + " points");
      }
    }
  });
}

void check_answers(const Scenario& s, const NameIndex& names, Findings& f) {
  for_each_objective(s.objectives, [&](const Objective& o) {
    if (o.has_check && !o.check.host.empty() && !names.is_guest(o.check.host)) {
      f.error(value_loc(o.check, "host"),
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
          // A reference stands for the team's value, which the pattern matches literally.
          std::map<std::string, std::string> stand_ins;
          for (const auto& name : referenced_variables(a.value)) stand_ins[name] = "x";
          std::regex compiled(substitute(a.value, stand_ins));
        } catch (const std::regex_error&) {
          f.error(value_loc(a, "pattern"), who + " has an invalid regular expression",
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
          f.error(value_loc(a, "min"), who + " has min greater than max",
                  "make `min:` at most `max:`");
        }
        break;
      case AnswerKind::variable:
        if (!names.variables.count(a.variable)) {
          f.error(value_loc(a, "variable"),
                  who + " refers to undefined variable '" + a.variable + "'",
                  "set `variable:` to a name declared under `variables:`");
        }
        break;
    }
  });
}

}  // namespace cyrange::scenario::detail
