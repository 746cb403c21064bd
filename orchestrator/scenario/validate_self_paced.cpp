// Checks of what a scenario needs to run without an instructor: `self_paced:` itself,
// `auto_at:` fallbacks of manual triggers, decision defaults and who grades rubric items.
// Messages are English then Japanese, as in validate_topology.cpp's image profiles.
#include <algorithm>

#include <orchestrator/scenario/validate_checks.h>

namespace cyrange::scenario::detail {
namespace {

/// Something with a trigger that `auto_at:` may back up, and how to name it.
struct Triggered {
  const Trigger* trigger;
  bool has_trigger;  ///< false: an objective without `opens:` (open from the start)
  std::string en;    ///< "step 'x'"
  std::string ja;    ///< "ステップ 'x'"
  SourceLocation loc;
};

std::vector<Triggered> triggered_items(const Scenario& s) {
  std::vector<Triggered> out;
  for (const auto& step : s.timeline) {
    out.push_back(
        {&step.trigger, true, "step '" + step.id + "'", "ステップ '" + step.id + "'", step.loc});
  }
  for (const auto& m : s.messages) {
    out.push_back({&m.trigger, true, "message '" + m.id + "'", "メッセージ '" + m.id + "'", m.loc});
  }
  for_each_objective(s.objectives, [&](const Objective& o) {
    out.push_back(
        {&o.opens, o.has_opens, "objective '" + o.id + "'", "設問 '" + o.id + "'", o.loc});
  });
  return out;
}

bool is_manual(const Triggered& t) {
  return t.has_trigger && t.trigger->kind == Trigger::Kind::manual;
}

void check_settings(const SelfPaced& p, Findings& f) {
  if (!(p.clock_speed >= 0.5 && p.clock_speed <= 60)) {
    f.error(p.clock_speed_loc,
            "the self-paced clock speed is outside 0.5 to 60 / 自習時の時計の速さが 0.5〜60 "
            "の範囲外です",
            "set `clock_speed:` to exercise seconds per real second between 0.5 and 60 (1: real "
            "time) / clock_speed: には 0.5 以上 60 以下の値（1 で実時間）を指定してください");
  }
  if (p.time_limit_seconds && *p.time_limit_seconds <= 0) {
    f.error(p.time_limit_loc,
            "the self-paced time limit is not positive / 自習の制限時間が正の値ではありません",
            "give `time_limit:` a duration above zero such as 90m, or remove it for no limit / "
            "time_limit: には 90m のような正の時間を指定するか、制限しない場合は削除してください");
  }
  if (p.idle_pause_seconds <= 0) {
    f.error(
        p.idle_pause_loc,
        "the self-paced idle pause is not positive / 自習の無操作停止時間が正の値ではありません",
        "give `idle_pause:` a duration above zero such as 15m (the default) / "
        "idle_pause: には 15m（既定値）のような正の時間を指定してください");
  }
}

}  // namespace

void check_auto_at(const Scenario& s, const NameIndex&, Findings& f) {
  for (const Triggered& t : triggered_items(s)) {
    if (!t.trigger->auto_at_seconds || is_manual(t)) continue;
    f.error(t.trigger->auto_at_loc,
            t.en + " has `auto_at:` but its trigger is not `manual` / " + t.ja +
                " の auto_at: は手動（manual）トリガーにしか使えません",
            "write `manual` as its trigger (`opens:` for an objective), or remove `auto_at:` / "
            "トリガーを manual にする（設問は opens:）か、auto_at: を削除してください");
  }
}

void check_default_options(const Scenario& s, const NameIndex&, Findings& f) {
  for (const auto& step : s.timeline) {
    if (step.default_option.empty()) continue;
    if (step.category != "decision") {
      f.error(step.default_option_loc,
              "step '" + step.id + "' has `default_option:` but is not a decision / ステップ '" +
                  step.id + "' は意思決定ではないため default_option: は使えません",
              "set `category: decision` or remove `default_option:` / category: decision "
              "にするか、default_option: を削除してください");
      continue;
    }
    const bool known =
        std::any_of(step.options.begin(), step.options.end(),
                    [&](const DecisionOption& o) { return o.id == step.default_option; });
    if (!known) {
      std::string ids;
      for (const auto& o : step.options) ids += (ids.empty() ? "" : ", ") + o.id;
      f.error(step.default_option_loc,
              "the default option '" + step.default_option + "' of decision '" + step.id +
                  "' is not one of its options / 意思決定 '" + step.id + "' の既定の選択肢 '" +
                  step.default_option + "' は選択肢にありません",
              "name one of: " + ids + " / 次のいずれかを指定してください: " + ids);
    }
  }
}

void check_self_paced(const Scenario& s, const NameIndex&, Findings& f) {
  if (!s.self_paced) return;
  check_settings(*s.self_paced, f);
  if (!s.self_paced->enabled) return;
  // Nobody is there to fire, grade or decide: each of these would stop the run.
  for (const Triggered& t : triggered_items(s)) {
    if (!is_manual(t) || t.trigger->auto_at_seconds) continue;
    f.error(t.trigger->loc,
            t.en + " waits for an instructor (manual trigger) in a self-paced scenario / 自習用の" +
                "シナリオで " + t.ja + " が講師の操作（manual トリガー）を待っています",
            "add `auto_at:` with the exercise time it fires by itself (e.g. `auto_at: 10m`), or "
            "give it another trigger / 自動で発生する演習時刻を auto_at: で指定する（例: auto_at: "
            "10m）か、別のトリガーにしてください");
  }
  for_each_objective(s.objectives, [&](const Objective& o) {
    for (const auto& item : o.rubric) {
      if (item.graded_by != Grader::instructor) continue;
      f.error(
          item.graded_by_loc,
          "rubric item '" + item.id + "' of '" + o.id +
              "' needs an instructor to grade it in a self-paced scenario / 自習用のシナリオで" +
              "設問 '" + o.id + "' の評価項目 '" + item.id + "' の採点に講師が必要です",
          "write `graded_by: self` (the trainee grades it) or `graded_by: review` (an "
          "instructor reviews it later) / graded_by: self（受講者が自己採点）または "
          "graded_by: review（講師が後で採点）を指定してください");
    }
  });
  for (const auto& step : s.timeline) {
    if (step.category != "decision" || !step.default_option.empty()) continue;
    f.error(value_loc(step, "id"),
            "decision '" + step.id + "' has no default option in a self-paced scenario / " +
                "自習用のシナリオで意思決定 '" + step.id + "' に既定の選択肢がありません",
            "add `default_option:` naming the option taken when the time limit ends / 制限時間の"
            "終了時に選ばれる選択肢を default_option: で指定してください");
  }
}

}  // namespace cyrange::scenario::detail
