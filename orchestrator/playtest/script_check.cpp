// A trainee script's references checked against the scenario it plays.
#include <orchestrator/playtest/script_dry_run.h>

namespace cyrange::playtest {
namespace {

namespace sc = cyrange::scenario;
using client::ScriptAction;
using client::WaitCondition;

const sc::Objective* find_objective(const sc::Scenario& s, const std::string& id) {
  for (const auto& o : s.objectives) {
    if (o.id == id) return &o;
  }
  return nullptr;
}

std::string objective_list(const sc::Scenario& s) {
  std::string out;
  for (const auto& o : s.objectives) out += (out.empty() ? "" : ", ") + o.id;
  return out;
}

// The hint ids of an objective as the scoring rules name them (hint-N, PART/hint-N).
std::vector<std::string> hint_ids(const sc::Objective& o) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < o.hints.size(); ++i) out.push_back("hint-" + std::to_string(i + 1));
  for (const auto& part : o.parts) {
    for (std::size_t i = 0; i < part.hints.size(); ++i)
      out.push_back(part.id + "/hint-" + std::to_string(i + 1));
  }
  return out;
}

class ScriptChecker {
 public:
  ScriptChecker(const sc::Scenario& s, const client::TraineeScript& script)
      : s_(s), script_(script) {}

  std::vector<std::string> run() {
    if (!script_.scenario.empty() && script_.scenario != s_.metadata.id) {
      errors_.push_back(script_.file + ":" + std::to_string(script_.scenario_line) + ":" +
                        std::to_string(script_.scenario_column) + ": error: the script plays '" +
                        script_.scenario + "', but " + s_.file + " is '" + s_.metadata.id +
                        "'; run it with its own scenario or correct `scenario:`");
    }
    for (std::size_t i = 0; i < script_.actions.size(); ++i) action(i);
    for (const auto& grade : script_.report_grades) report_grade(grade);
    for (const auto& choice : script_.decisions) decision(choice);
    return errors_;
  }

 private:
  void error(std::size_t i, const std::string& what, const std::string& fix) {
    errors_.push_back(script_.where(i) + ": error: " + what + "; " + fix);
  }

  const sc::Objective* objective(std::size_t i, const std::string& id, const std::string& who) {
    const sc::Objective* o = find_objective(s_, id);
    if (!o) {
      error(i, who + " names objective '" + id + "', which " + s_.file + " does not define",
            "use one of: " + objective_list(s_));
    }
    return o;
  }

  void action(std::size_t i) {
    const ScriptAction& a = script_.actions[i];
    if (a.when.kind == WaitCondition::Kind::objective_open ||
        a.when.kind == WaitCondition::Kind::objective_solved) {
      objective(i, a.when.objective, "`when:`");
    }
    switch (a.kind) {
      case ScriptAction::Kind::run:
        return run(i, a.run);
      case ScriptAction::Kind::answer:
        return answer(i, a.answer);
      case ScriptAction::Kind::hint:
        return hint(i, a.hint);
      case ScriptAction::Kind::wait:
      case ScriptAction::Kind::pause:
        return;
    }
  }

  void run(std::size_t i, const client::RunAction& run) {
    std::string terminals;
    for (const auto& h : s_.topology.hosts) {
      if (h.name == run.host && h.trainee_terminal) return;
      if (h.trainee_terminal) terminals += (terminals.empty() ? "" : ", ") + h.name;
    }
    error(i, "host '" + run.host + "' has no trainee terminal in " + s_.file,
          "run commands on one of: " + terminals);
  }

  void answer(std::size_t i, const client::AnswerAction& answer) {
    const sc::Objective* o = objective(i, answer.objective, "the answer");
    if (!o) return;
    if (o->parts.empty()) {
      if (!answer.part.empty()) {
        error(i,
              "objective '" + o->id + "' has no parts, but the answer names part '" + answer.part +
                  "'",
              "remove `part:`");
      } else if (!o->has_answer) {
        error(i, "objective '" + o->id + "' is scored by a range-state check, not by an answer",
              "change the range instead, then wait with `when: {objective_solved: " + o->id + "}`");
      }
      return;
    }
    std::string parts;
    for (const auto& p : o->parts) {
      if (p.id == answer.part) return;
      parts += (parts.empty() ? "" : ", ") + p.id;
    }
    error(i, "objective '" + o->id + "' has no part '" + answer.part + "'",
          "name one of its parts in `part:`: " + parts);
  }

  void hint(std::size_t i, const client::HintAction& hint) {
    const sc::Objective* o = objective(i, hint.objective, "the hint");
    if (!o) return;
    std::string ids;
    for (const auto& id : hint_ids(*o)) {
      if (id == hint.hint) return;
      ids += (ids.empty() ? "" : ", ") + id;
    }
    error(i, "objective '" + o->id + "' has no hint '" + hint.hint + "'",
          ids.empty() ? "it offers no hints; remove the action" : "use one of: " + ids);
  }

  void report_grade(const client::ReportGrade& grade) {
    const std::string where =
        script_.file + ":" + std::to_string(grade.line) + ":" + std::to_string(grade.column);
    const sc::Objective* o = find_objective(s_, grade.objective);
    std::string items;
    if (o)
      for (const auto& item : o->rubric) {
        if (item.id == grade.item) return;
        items += (items.empty() ? "" : ", ") + item.id;
      }
    errors_.push_back(
        where + ": error: the report grade names '" + grade.objective + "/" + grade.item +
        "', which is not a rubric item of " + s_.file + "; " +
        (items.empty() ? "name an objective that has a `rubric:`" : "use one of: " + items));
  }

  void decision(const client::DecisionChoice& choice) {
    const std::string where =
        script_.file + ":" + std::to_string(choice.line) + ":" + std::to_string(choice.column);
    std::string steps;
    for (const auto& step : s_.timeline) {
      if (step.category != "decision") continue;
      steps += (steps.empty() ? "" : ", ") + step.id;
      if (step.id != choice.step) continue;
      std::string options;
      for (const auto& option : step.options) {
        if (option.id == choice.option) return;
        options += (options.empty() ? "" : ", ") + option.id;
      }
      errors_.push_back(where + ": error: decision '" + step.id + "' has no option '" +
                        choice.option + "'; use one of: " + options);
      return;
    }
    errors_.push_back(where + ": error: the script chooses in '" + choice.step +
                      "', which is not a decision step of " + s_.file + "; " +
                      (steps.empty() ? "remove `decisions:`" : "use one of: " + steps));
  }

  const sc::Scenario& s_;
  const client::TraineeScript& script_;
  std::vector<std::string> errors_;
};

}  // namespace

std::map<std::string, int> objective_points(const sc::Scenario& scenario) {
  std::map<std::string, int> out;
  for (const auto& o : scenario.objectives) out[o.id] = sc::total_points(o);
  return out;
}

std::vector<std::string> check_script(const sc::Scenario& scenario,
                                      const client::TraineeScript& script) {
  return ScriptChecker(scenario, script).run();
}

}  // namespace cyrange::playtest
