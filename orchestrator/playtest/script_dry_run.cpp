// The dry run of a scenario under a scripted trainee: the real timeline engine on
// the in-memory store and a hand-moved clock, stopping at every due time, with the
// script's actions played in between.
#include <orchestrator/playtest/script_dry_run.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include <orchestrator/scenario/dry_run.h>
#include <orchestrator/scenario/variables.h>
#include <orchestrator/timeline/compile.h>
#include <orchestrator/timeline/engine.h>

namespace cyrange::playtest {
namespace {

namespace sc = cyrange::scenario;
namespace tl = cyrange::timeline;
using client::ScriptAction;
using client::WaitCondition;

constexpr const char* kExercise = "dry-run";
constexpr int kMaxSteps = 100000;  // guards against a timeline that never settles

// Nothing runs in a range: every message, step and objective simply completes.
class CompletesEverything : public tl::StepExecutor {
 public:
  Status execute(const tl::StepContext&) override { return Status::success(); }
  bool idempotent(const tl::TimelineItem&) const override { return true; }
};

std::string waits_for(const tl::TriggerSpec& t) {
  using Kind = tl::TriggerSpec::Kind;
  switch (t.kind) {
    case Kind::at:
      return "exercise time " + sc::format_clock(t.at_seconds);
    case Kind::after:
      return "step " + t.after + " (which never ran)";
    case Kind::event:
      return "event " + t.event;
    case Kind::objective:
      return "objective " + t.objective + " to be " + t.state;
    case Kind::manual:
      return "the instructor (manual trigger)";
  }
  return "";
}

class Simulation {
 public:
  Simulation(const sc::Scenario& s, const client::TraineeScript& script,
             const ScriptDryRunOptions& options)
      : s_(s), script_(script), options_(options) {
    for (const auto& o : s.objectives) objectives_[o.id] = &o;
  }

  Status start() {
    const auto items =
        tl::compile_timeline(s_, sc::resolve_variables(s_, options_.seed, options_.team));
    for (const auto& item : items) {
      if (item.kind != tl::ItemKind::step) continue;
      std::string detail = item.type;
      if (!item.technique.empty()) detail += " " + item.technique;
      if (!item.target.empty()) detail += " -> " + item.target;
      step_details_[item.id] = " [" + detail + "]";
    }
    if (Status st = store_->add_executions(kExercise, options_.team, items); !st) return st;
    auto opened =
        tl::ExerciseTimeline::open(kExercise, store_, std::make_shared<CompletesEverything>(),
                                   time_, [this](const tl::TimelineEvent& e) { on_event(e); });
    if (!opened) return opened.error();
    timeline_ = std::move(opened).value();
    if (Status st = timeline_->start(); !st) return st;
    return tick();
  }

  // Plays the actions in order; stops (with result_.stopped) at a wait that cannot end.
  Status play() {
    for (std::size_t i = 0; i < script_.actions.size(); ++i) {
      const ScriptAction& a = script_.actions[i];
      if (Status st = wait(i, a.when); !st || !result.stopped.empty()) return st;
      Status st = Status::success();
      switch (a.kind) {
        case ScriptAction::Kind::wait:
          break;
        case ScriptAction::Kind::pause:
          st = advance_to(timeline_->now() + a.pause_seconds);
          break;
        case ScriptAction::Kind::run:
          trainee_line(i, "run", "");
          st = typed(i, a.run);
          break;
        case ScriptAction::Kind::hint:
          trainee_line(i, "hint", "");
          break;
        case ScriptAction::Kind::answer:
          st = answer(i, a.answer);
          break;
      }
      if (!st) return st;
    }
    return Status::success();
  }

  // The instructor grades the report after the script: a rubric objective whose every
  // item the script's `report_grades:` names is solved.
  Status grade_reports() {
    for (const auto& o : s_.objectives) {
      if (o.rubric.empty() || solved_.count(o.id)) continue;
      std::size_t graded = 0;
      for (const auto& item : o.rubric)
        for (const auto& g : script_.report_grades)
          if (g.objective == o.id && g.item == item.id) {
            ++graded;
            break;
          }
      if (graded < o.rubric.size()) continue;
      solved_.insert(o.id);
      result.lines.push_back({timeline_->now(), true, "solved", "report_grades",
                              o.id + " solved (every rubric item graded as met)"});
      if (Status st = timeline_->on_objective(options_.team, o.id, "solved"); !st) return st;
    }
    return tick();
  }

  // Lets the rest of the timeline run and notes what never did.
  Status finish() {
    if (Status st = advance_to(1e12); !st) return st;
    auto executions = timeline_->executions(options_.team);
    if (!executions) return executions.error();
    for (const auto& e : *executions) {
      if (e.state == tl::ExecState::pending) {
        result.never.push_back(std::string(tl::to_string(e.item.kind)) + " " + e.item.id +
                               " waits for " + waits_for(e.item.trigger));
      }
    }
    result.objectives = static_cast<int>(s_.objectives.size());
    result.solved = static_cast<int>(solved_.size());
    return Status::success();
  }

  ScriptDryRun result;

 private:
  void on_event(const tl::TimelineEvent& e) {
    std::string text;
    if (e.state == tl::ExecState::done) {
      if (e.kind == tl::ItemKind::objective) {
        open_.insert(e.item_id);
        text = "opens";
      } else {
        text = "fires" + (step_details_.count(e.item_id) ? step_details_[e.item_id] : "");
      }
    } else if (e.state == tl::ExecState::skipped) {
      text = "skipped: " + e.detail;
    } else {
      return;  // due and firing are steps on the way
    }
    result.lines.push_back(
        {e.exercise_time, false, std::string(tl::to_string(e.kind)), e.item_id, std::move(text)});
  }

  // The action's place with the file's name only, to keep the lines short.
  std::string place(std::size_t i) const {
    const auto& a = script_.actions[i];
    return std::filesystem::path(script_.file).filename().string() + ":" + std::to_string(a.line) +
           ":" + std::to_string(a.column);
  }

  void trainee_line(std::size_t i, const std::string& kind, const std::string& note) {
    result.lines.push_back({timeline_->now(), true, kind, place(i), script_.describe(i) + note});
  }

  Status tick() {
    auto ran = timeline_->tick();
    if (!ran) return ran.error();
    return Status::success();
  }

  // The earliest due time among executions still waiting for their time.
  std::optional<double> next_due() {
    auto executions = timeline_->executions(options_.team);
    if (!executions) return std::nullopt;
    std::optional<double> next;
    for (const auto& e : *executions) {
      if ((e.state == tl::ExecState::pending || e.state == tl::ExecState::due) && e.due_at &&
          (!next || *e.due_at < *next)) {
        next = *e.due_at;
      }
    }
    return next;
  }

  // Moves the clock to `t` (never back) and runs what fell due.
  Status move_to(double t) {
    const double delta = t - timeline_->now();
    if (delta > 0) time_->advance(delta + 1e-6);  // a hair past, so rounding never misses it
    return tick();
  }

  // Moves to `t`, stopping at every due time on the way so each fires at its own time.
  Status advance_to(double t) {
    for (int guard = 0; guard < kMaxSteps; ++guard) {
      const auto next = next_due();
      if (!next || *next > t) break;
      if (Status st = move_to(*next); !st) return st;
    }
    if (t >= 1e12) return Status::success();
    return move_to(t);
  }

  // Runs the timeline until `objective` opens; false when nothing more can happen.
  Expected<bool> until_open(const std::string& objective) {
    for (int guard = 0; guard < kMaxSteps && !open_.count(objective); ++guard) {
      const auto next = next_due();
      if (!next) return false;
      if (Status st = move_to(*next); !st) return st.error();
    }
    return open_.count(objective) > 0;
  }

  Status wait(std::size_t i, const WaitCondition& when) {
    switch (when.kind) {
      case WaitCondition::Kind::none:
        return Status::success();
      case WaitCondition::Kind::exercise_time:
        return advance_to(when.seconds);
      case WaitCondition::Kind::objective_open: {
        auto opened = until_open(when.objective);
        if (!opened) return opened.error();
        if (!*opened) {
          result.stopped = script_.where(i) + ": the script waits for objective '" +
                           when.objective + "' to open, which never happens in this run";
        }
        return Status::success();
      }
      case WaitCondition::Kind::objective_solved: {
        if (solved_.count(when.objective)) return Status::success();
        auto it = objectives_.find(when.objective);
        if (it != objectives_.end() && it->second->has_check) {
          auto opened = until_open(when.objective);
          if (!opened) return opened.error();
          if (*opened) return solve(i, when.objective, " (range-state check assumed passing)");
        }
        result.stopped = script_.where(i) + ": the script waits for objective '" + when.objective +
                         "' to be solved, which no earlier answer does";
        return Status::success();
      }
    }
    return Status::success();
  }

  Status answer(std::size_t i, const client::AnswerAction& a) {
    const bool wrong = a.expect == "wrong";  // the script itself says so
    trainee_line(i, "answer",
                 std::string(open_.count(a.objective) ? "" : " (not open yet)") +
                     (wrong ? " (a wrong guess)" : ""));
    auto it = objectives_.find(a.objective);
    if (wrong || it == objectives_.end() || solved_.count(a.objective)) return Status::success();
    auto& parts = answered_[a.objective];
    parts.insert(a.part);
    for (const auto& part : it->second->parts) {
      if (!parts.count(part.id)) return Status::success();
    }
    return solve(i, a.objective, "");
  }

  // A typed command solves the open objectives whose expected commands it matches (the
  // command as written, before captures are filled in).
  Status typed(std::size_t i, const client::RunAction& run) {
    for (const auto& o : s_.objectives) {
      if (!open_.count(o.id) || solved_.count(o.id)) continue;
      for (const auto& c : o.expected_commands) {
        if (!c.host.empty() && c.host != run.host) continue;
        bool match = false;
        try {
          match = std::regex_search(run.command, std::regex(c.pattern));
        } catch (const std::regex_error&) {
        }
        if (!match) continue;
        if (Status st = solve(i, o.id, " (expected command typed)"); !st) return st;
        break;
      }
    }
    return Status::success();
  }

  // Marks the objective solved for the timeline, as cyranged does when the ledger says so.
  Status solve(std::size_t i, const std::string& objective, const std::string& note) {
    solved_.insert(objective);
    result.lines.push_back(
        {timeline_->now(), true, "solved", place(i), objective + " solved" + note});
    if (Status st = timeline_->on_objective(options_.team, objective, "solved"); !st) return st;
    return tick();
  }

  const sc::Scenario& s_;
  const client::TraineeScript& script_;
  const ScriptDryRunOptions& options_;
  std::shared_ptr<tl::MemoryTimelineStore> store_ = std::make_shared<tl::MemoryTimelineStore>();
  std::shared_ptr<tl::ManualTimeSource> time_ = std::make_shared<tl::ManualTimeSource>();
  std::unique_ptr<tl::ExerciseTimeline> timeline_;
  std::map<std::string, const sc::Objective*> objectives_;
  std::map<std::string, std::string> step_details_;
  std::map<std::string, std::set<std::string>> answered_;
  std::set<std::string> open_, solved_;
};

}  // namespace

Expected<ScriptDryRun> dry_run_script(const sc::Scenario& scenario,
                                      const client::TraineeScript& script,
                                      const ScriptDryRunOptions& options) {
  Simulation simulation(scenario, script, options);
  if (Status st = simulation.start(); !st) return st.error();
  if (Status st = simulation.play(); !st) return st.error();
  if (Status st = simulation.grade_reports(); !st) return st.error();
  if (Status st = simulation.finish(); !st) return st.error();
  return std::move(simulation.result);
}

std::string format_script_dry_run(const ScriptDryRun& run, double speed) {
  std::string out;
  char line[64];
  for (const auto& l : run.lines) {
    std::snprintf(line, sizeof line, "T+%s (wall %s)  %-9s ", sc::format_clock(l.at).c_str(),
                  sc::format_clock(l.at / speed).c_str(), l.trainee ? "trainee" : l.kind.c_str());
    std::string id = l.id;
    if (id.size() < 18) id.resize(18, ' ');
    out += line + id + " " + l.text + "\n";
  }
  for (const auto& n : run.never) out += "never ran / 未実行: " + n + "\n";
  if (!run.stopped.empty()) out += "the script stopped / スクリプト中断: " + run.stopped + "\n";
  out += std::to_string(run.solved) + " of " + std::to_string(run.objectives) +
         " objectives solved in the dry run / 模擬実行で達成した目標 " +
         std::to_string(run.solved) + " / " + std::to_string(run.objectives) + "\n";
  return out;
}

Expected<ScriptDryRunReport> dry_run_script_file(const sc::Scenario& scenario,
                                                 const std::string& script_file, double speed,
                                                 const ScriptDryRunOptions& options) {
  auto script = client::load_trainee_script(script_file);
  if (!script) return script.error();
  const auto problems = check_script(scenario, *script);
  if (!problems.empty()) {
    std::string message;
    for (const auto& p : problems) message += (message.empty() ? "" : "\n") + p;
    return make_error(ErrorCode::invalid_argument, message);
  }
  auto run = dry_run_script(scenario, *script, options);
  if (!run) return run.error();
  ScriptDryRunReport report;
  report.text = "scripted trainee '" + script->trainee + "' (" + script_file +
                "); its answers count as correct unless it expects them wrong / "
                "回答は expect: wrong 以外を正解として扱います\n" +
                format_script_dry_run(*run, speed);
  report.ok = run->stopped.empty();
  return report;
}

}  // namespace cyrange::playtest
