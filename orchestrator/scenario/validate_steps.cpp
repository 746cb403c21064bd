// What the engine will do with each step and check: step types it carries out and the
// parameters they need (orchestrator/inject/step_catalog.h), and state checks placed on
// routers, where trainees have no terminal. Warnings: the exercise still runs, but a day
// of it can be lost to a step that does nothing or fails when it is due.
#include <orchestrator/inject/step_catalog.h>
#include <orchestrator/scenario/personas.h>
#include <orchestrator/scenario/validate_checks.h>

namespace cyrange::scenario::detail {
namespace {

std::string known_types() {
  std::string out;
  for (const auto& spec : inject::step_catalog()) out += (out.empty() ? "" : ", ") + spec.type;
  return out;
}

/// The parameters a step has once the engine fills in those of the persona it acts as.
std::set<std::string> given_params(const Scenario& s, const Step& step) {
  std::set<std::string> given;
  for (const auto& [key, value] : step.params)
    if (!value.empty()) given.insert(key);
  if (auto who = step.params.find("persona"); who != step.params.end()) {
    // An undefined persona is an error of its own; its login is not missing on top.
    given.insert("user");
    if (const Persona* p = find_persona(s, who->second); p && !p->mailbox.empty())
      given.insert("mailbox");
  }
  return given;
}

}  // namespace

void check_step_types(const Scenario& s, const NameIndex&, Findings& f) {
  for (const auto& step : s.timeline) {
    // A decision is shown to the team whatever its type; a ${vars.x} type is drawn per team.
    if (step.category == "decision" || step.type.empty() ||
        step.type.find("${") != std::string::npos)
      continue;
    const inject::StepTypeSpec* spec = inject::find_step_type(step.type);
    if (!spec) {
      f.warning(value_loc(step, "type"),
                both("step '" + step.id + "' has type '" + step.type +
                         "', which the engine does not carry out: when it is due it is marked "
                         "done without acting in the range",
                     "ステップ '" + step.id + "' の種類 '" + step.type +
                         "' はエンジンが実行しません。予定時刻に演習環境では何もせず完了扱いに"
                         "なります"),
                both("use one of: " + known_types() +
                         " (a note to the team is trainee_notice or an entry of `messages:`)",
                     "次のいずれかにしてください: " + known_types() +
                         "（チームへの連絡は trainee_notice か `messages:` の項目です）"));
      continue;
    }
    const std::set<std::string> given = given_params(s, step);
    std::string missing;
    for (const auto& key : spec->required())
      if (!given.count(key)) missing += (missing.empty() ? "" : ", ") + key;
    if (missing.empty()) continue;
    f.warning(value_loc(step, step.value_locs.by_key.count("params") ? "params" : "type"),
              both("step '" + step.id + "' (" + step.type + ") lacks the required parameter(s) " +
                       missing + ": it fails when it is due",
                   "ステップ '" + step.id + "'（" + step.type + "）に必須のパラメーター " +
                       missing + " がありません。予定時刻に失敗します"),
              both("add " + missing +
                       " under `params:` (docs/scenario-reference.md, section Step types, lists "
                       "each type's parameters)",
                   "`params:` に " + missing +
                       " を書いてください（各種類のパラメーターは "
                       "docs/scenario-reference.md の Step types にあります）"));
  }
}

void check_router_checks(const Scenario& s, const NameIndex& names, Findings& f) {
  for_each_objective(s.objectives, [&](const Objective& o) {
    if (!o.has_check || !names.routers.count(o.check.host)) return;
    f.warning(value_loc(o.check, "host"),
              both("the check of objective '" + o.id + "' runs on router '" + o.check.host +
                       "', where trainees have no terminal: only a timeline step can change "
                       "what it checks",
                   "設問 '" + o.id + "' の確認はルーター '" + o.check.host +
                       "' で実行されますが、受講者はルーターの端末を使えません。確認内容を変え"
                       "られるのはタイムラインのステップだけです"),
              both("check on the host where the trainees do the task (one with "
                   "`trainee_terminal: true`), or the hosts whose traffic the router carries",
                   "受講者が作業するホスト（`trainee_terminal: true` のもの）か、ルーターが中継"
                   "する通信の端のホストで確認してください"));
  });
}

}  // namespace cyrange::scenario::detail
