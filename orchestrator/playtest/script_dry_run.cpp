// The dry run of a scenario under a scripted trainee: one team's exercise with the
// engines of a real day -- the timeline hub on the in-memory store, the exercise board
// on the in-memory ledger, the trainee-event relay and the expected-command matcher --
// on a hand-moved clock that stops at every due time, with the script's actions played
// in between.
#include <orchestrator/playtest/script_dry_run.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <set>

#include <orchestrator/exercise/state_checks.h>
#include <orchestrator/exercise/trainee_events.h>
#include <orchestrator/scenario/dry_run.h>
#include <orchestrator/scenario/variables.h>
#include <orchestrator/scoring/exercise_board.h>
#include <orchestrator/scoring/from_scenario.h>
#include <orchestrator/timeline/compile.h>
#include <orchestrator/timeline/hub.h>

namespace cyrange::playtest {
namespace {

namespace sc = cyrange::scenario;
namespace tl = cyrange::timeline;
namespace sco = cyrange::scoring;
using client::ScriptAction;
using client::WaitCondition;

constexpr const char* kExercise = "dry-run";
constexpr int kMaxSteps = 100000;  // guards against a timeline that never settles
// What the simulated trainee submits: the board's rules accept the first and refuse the
// second, so its engine applies limits, penalties and decay exactly as for real answers.
constexpr const char* kRightAnswer = "\x01right answer of the dry run";
constexpr const char* kWrongAnswer = "\x01wrong answer of the dry run";
constexpr const char* kInstructor = "instructor";
constexpr const char* kRangeCheck = "range-check";

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

std::string signed_points(int points) { return (points >= 0 ? "+" : "") + std::to_string(points); }

class Simulation {
 public:
  Simulation(const sc::Scenario& s, const client::TraineeScript& script,
             const ScriptDryRunOptions& options)
      : s_(s), script_(script), options_(options), team_(options.team) {}

  ~Simulation() {
    relay_.reset();  // its thread raises into the hub
    if (hub_) hub_->unsubscribe(subscription_);
  }

  Status start() {
    auto setup = sco::exercise_scoring(s_, kExercise, {team_}, options_.seed);
    if (!setup) return setup.error();
    vars_ = setup->team_variables.at(team_);
    real_rules_ = setup->team_rules.at(team_);
    for (auto& [id, objective] : setup->team_rules.at(team_).objectives)
      for (auto& part : objective.parts)
        if (!part.check_only) part.answer = sco::AnswerRule::exact(kRightAnswer);

    hub_ = std::make_shared<tl::TimelineHub>(std::make_shared<tl::MemoryTimelineStore>(),
                                             std::make_shared<CompletesEverything>(), time_);
    subscription_ = hub_->subscribe([this](const tl::TimelineEvent& e) { on_event(e); });
    if (Status st = hub_->arm(kExercise, s_, {team_}, options_.seed); !st) return st;
    auto timeline = hub_->find(kExercise);
    if (!timeline) return timeline.error();
    timeline_ = *timeline;
    for (const auto& item : tl::compile_timeline(s_, vars_)) {
      if (item.kind != tl::ItemKind::step) continue;
      std::string detail = item.type;
      if (!item.technique.empty()) detail += " " + item.technique;
      if (!item.target.empty()) detail += " -> " + item.target;
      step_details_[item.id] = " [" + detail + "]";
    }

    relay_ = std::make_unique<exercise::TraineeEventRelay>(hub_);
    relay_->set_limits(kExercise, setup->team_rules);
    // The exercise clock of the board is the timeline's, as in cyranged.
    auto board = sco::ExerciseBoard::open(
        std::move(*setup), std::make_shared<sco::MemoryLedgerStore>(), [this] {
          return std::chrono::milliseconds(static_cast<std::int64_t>(timeline_->now() * 1000));
        });
    if (!board) return board.error();
    board_ = std::move(*board);
    // The back-off paces answers in wall time, which a simulated clock does not have.
    board_->set_answer_backoff(sco::AnswerBackoff{0, {}, {}});

    const exercise::TeamVariableSets team_vars{{team_, vars_}};
    commands_ = exercise::team_commands(s_, team_vars);
    checks_ = exercise::team_checks(s_, team_vars);
    result.services_watched = !s_.availability.empty();
    if (Status st = timeline_->start(); !st) return st;
    return settle();
  }

  // Plays the actions in order; stops (with result.stopped) where the real run would.
  Status play() {
    for (std::size_t i = 0; i < script_.actions.size(); ++i) {
      const ScriptAction& a = script_.actions[i];
      if (Status st = wait(i, a.when); !st || !result.stopped.empty()) return st;
      if (auto at = options_.acted_at.find(i); at != options_.acted_at.end())
        if (Status st = advance_to(at->second); !st) return st;
      Status st = Status::success();
      switch (a.kind) {
        case ScriptAction::Kind::wait:
          break;
        case ScriptAction::Kind::pause:
          st = advance_to(timeline_->now() + a.pause_seconds);
          break;
        case ScriptAction::Kind::run:
          st = typed(i, a.run);
          break;
        case ScriptAction::Kind::hint:
          st = hint(i, a.hint);
          break;
        case ScriptAction::Kind::answer:
          st = answer(i, a.answer);
          break;
      }
      if (!st || !result.stopped.empty()) return st;
    }
    return Status::success();
  }

  // The instructor grades the report after the script, item by item, as the training day
  // submits the script's `report_grades:`.
  Status grade_reports() {
    if (options_.graded_at)
      if (Status st = advance_to(*options_.graded_at); !st) return st;
    for (const auto& g : script_.report_grades) {
      const std::string where = std::filesystem::path(script_.file).filename().string() + ":" +
                                std::to_string(g.line) + ":" + std::to_string(g.column);
      auto graded = board_->pass_check(team_, g.objective, g.item, g.note, kInstructor);
      line(true, "grade", where,
           g.objective + "/" + g.item + " graded as met" +
               (graded ? "" : ": refused: " + graded.error().message));
      if (Status st = scored(); !st) return st;
    }
    return Status::success();
  }

  // Lets the rest of the timeline run, notes what never did, and reads the scoreboard.
  Status finish() {
    if (Status st = advance_to(1e12); !st) return st;
    auto executions = timeline_->executions(team_);
    if (!executions) return executions.error();
    for (const auto& e : *executions) {
      if (e.state == tl::ExecState::pending) {
        result.never.push_back(std::string(tl::to_string(e.item.kind)) + " " + e.item.id +
                               " waits for " + waits_for(e.item.trigger));
      }
    }
    const sco::Scoreboard board = board_->scoreboard();
    const sco::TeamStanding* standing = board.find(team_);
    result.total = standing ? standing->total : 0;
    result.objectives = static_cast<int>(s_.objectives.size());
    for (const auto& o : s_.objectives) {
      DryRunObjective outcome{o.id, "open", 0, sc::total_points(o), 0, {}};
      result.full_marks += outcome.max_points;
      sco::ObjectiveState state;
      if (standing)
        if (auto it = standing->objectives.find(o.id); it != standing->objectives.end())
          state = it->second.state;
      outcome.points = state.points;
      outcome.wrong_answers = state.wrong_attempts;
      outcome.hints.assign(state.hints_taken.begin(), state.hints_taken.end());
      if (state.solved) {
        outcome.status = "solved";
        ++result.solved;
      } else if (used_up(o.id, state)) {
        outcome.status = "failed";
      } else if (!state.parts_solved.empty()) {
        outcome.status = "partial";
      } else if (!opened(o.id)) {
        outcome.status = "not opened";
      }
      result.scores.push_back(std::move(outcome));
    }
    for (const auto& c : checks_) {
      const std::string name = c.objective + (c.part.empty() ? "" : "/" + c.part);
      if (assumed_.count(name)) continue;
      result.not_assumed.push_back(name + " (check on " + c.host +
                                   "): no `when: {objective_solved: " + c.objective +
                                   "}` in the script says the trainee did it");
    }
    result.ledger = board_->entries();
    return Status::success();
  }

  ScriptDryRun result;

 private:
  void line(bool trainee, std::string kind, std::string id, std::string text) {
    std::lock_guard lock(lines_mutex_);
    result.lines.push_back(
        {timeline_->now(), trainee, std::move(kind), std::move(id), std::move(text)});
  }

  // Runs on whichever thread ticks the timeline; the relay hears of opened objectives
  // only from settle(), so one thread works at a time and the run is reproducible.
  void on_event(const tl::TimelineEvent& e) {
    std::string text;
    if (e.state == tl::ExecState::done && !e.choice.empty()) {
      text = "decided: " + e.choice;
    } else if (e.state == tl::ExecState::done) {
      if (e.kind == tl::ItemKind::objective) {
        text = "opens";
      } else {
        text = "fires" + (step_details_.count(e.item_id) ? step_details_[e.item_id] : "");
      }
    } else if (e.state == tl::ExecState::skipped) {
      text = "skipped: " + e.detail;
    } else {
      return;  // due and firing are steps on the way
    }
    std::lock_guard lock(lines_mutex_);
    if (e.kind == tl::ItemKind::objective && e.state == tl::ExecState::done)
      opened_events_.push_back(e);
    result.lines.push_back(
        {e.exercise_time, false, std::string(tl::to_string(e.kind)), e.item_id, std::move(text)});
  }

  // Until nothing more happens: the relay raises what it was told, the timeline runs
  // what fell due, and objectives that opened go back to the relay.
  Status settle() {
    for (int guard = 0; guard < kMaxSteps; ++guard) {
      relay_->drain();
      auto ran = timeline_->tick();
      if (!ran) return ran.error();
      auto chose = choose_presented();
      if (!chose) return chose.error();
      std::vector<tl::TimelineEvent> opened;
      {
        std::lock_guard lock(lines_mutex_);
        opened.swap(opened_events_);
      }
      if (opened.empty() && *ran == 0 && !*chose) return Status::success();
      for (const auto& e : opened) relay_->timeline_event(e);
    }
    return make_error(ErrorCode::internal, "The timeline of the dry run never settled.");
  }

  // The instructor's choices the script states (`decisions:`), each made as soon as the
  // timeline presents its decision step; true when one was made.
  Expected<bool> choose_presented() {
    bool chose = false;
    for (const auto& choice : script_.decisions) {
      if (chosen_.count(choice.step)) continue;
      auto executions = timeline_->executions(team_);
      if (!executions) return executions.error();
      for (const auto& e : *executions) {
        if (e.item.id != choice.step || e.state != tl::ExecState::done || !e.choice.empty())
          continue;
        chosen_.insert(choice.step);
        line(true, "decision",
             std::filesystem::path(script_.file).filename().string() + ":" +
                 std::to_string(choice.line) + ":" + std::to_string(choice.column),
             choice.step + ": the instructor chooses " + choice.option);
        if (Status st = timeline_->choose(team_, choice.step, choice.option); !st)
          return st.error();
        chose = true;
      }
    }
    return chose;
  }

  // New ledger entries reach the relay as cyranged passes them on, and the run's lines.
  // `typed_line`, when given, goes to the relay first, as the terminal passes it on. The
  // relay works on its own thread: it hears of anything only once the lines are written,
  // so that the run reads the same every time.
  Status scored(const std::string* typed_line = nullptr) {
    std::vector<sco::LedgerEntry> fresh;
    for (const auto& e : board_->entries()) {
      if (e.seq <= fed_seq_) continue;
      fed_seq_ = e.seq;
      fresh.push_back(e);
      line(false, "score", e.objective + (e.item.empty() ? "" : "/" + e.item),
           std::string(sco::to_string(e.kind)) + " " + signed_points(e.points));
      if (e.kind == sco::EntryKind::wrong_answer) {
        const sco::ObjectiveState state =
            board_->scoreboard().find(team_)->objectives.at(e.objective).state;
        if (!state.solved && used_up(e.objective, state))
          line(false, "objective", e.objective, "failed: no attempt left");
      }
    }
    if (typed_line) relay_->typed(kExercise, team_, *typed_line);
    for (const auto& e : fresh) relay_->entry(kExercise, e);
    return settle();
  }

  bool used_up(const std::string& objective, const sco::ObjectiveState& state) const {
    auto rules = real_rules_.objectives.find(objective);
    if (rules == real_rules_.objectives.end()) return false;
    for (const auto& part : rules->second.parts) {
      if (part.check_only || state.parts_solved.contains(part.id)) continue;
      if (auto left = sco::attempts_left(rules->second, part, state); left && *left <= 0)
        return true;
    }
    return false;
  }

  bool opened(const std::string& objective) const {
    return exercise::objective_opened(*hub_, kExercise, team_, objective);
  }

  bool solved(const std::string& objective) const {
    const sco::Scoreboard board = board_->scoreboard();
    const sco::TeamStanding* standing = board.find(team_);
    if (!standing) return false;
    auto it = standing->objectives.find(objective);
    return it != standing->objectives.end() && it->second.state.solved;
  }

  // The action's place with the file's name only, to keep the lines short.
  std::string place(std::size_t i) const {
    const auto& a = script_.actions[i];
    return std::filesystem::path(script_.file).filename().string() + ":" + std::to_string(a.line) +
           ":" + std::to_string(a.column);
  }

  void trainee_line(std::size_t i, const std::string& kind, const std::string& note) {
    line(true, kind, place(i), script_.describe(i) + note);
  }

  // The earliest due time among executions still waiting for their time.
  std::optional<double> next_due() {
    auto executions = timeline_->executions(team_);
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
    return settle();
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
    for (int guard = 0; guard < kMaxSteps && !opened(objective); ++guard) {
      const auto next = next_due();
      if (!next) return false;
      if (Status st = move_to(*next); !st) return st.error();
    }
    return opened(objective);
  }

  Status wait(std::size_t i, const WaitCondition& when) {
    switch (when.kind) {
      case WaitCondition::Kind::none:
        return Status::success();
      case WaitCondition::Kind::exercise_time:
        return advance_to(when.seconds);
      case WaitCondition::Kind::objective_open: {
        auto open = until_open(when.objective);
        if (!open) return open.error();
        if (!*open) {
          result.stopped = script_.where(i) + ": the script waits for objective '" +
                           when.objective + "' to open, which never happens in this run";
        }
        return Status::success();
      }
      case WaitCondition::Kind::objective_solved:
        return wait_solved(i, when.objective);
    }
    return Status::success();
  }

  // The script says the trainee did what the objective's range-state checks look for:
  // once the objective is open, they pass (at the wait's end on a real day, when known).
  Status wait_solved(std::size_t i, const std::string& objective) {
    if (solved(objective)) return Status::success();
    auto open = until_open(objective);
    if (!open) return open.error();
    if (*open) {
      if (auto at = options_.acted_at.find(i); at != options_.acted_at.end())
        if (Status st = advance_to(at->second); !st) return st;
      for (const auto& c : checks_) {
        if (c.objective != objective) continue;
        const std::string name = c.objective + (c.part.empty() ? "" : "/" + c.part);
        auto passed = board_->pass_check(
            team_, c.objective, c.part,
            "Assumed passing by the dry run: " + script_.where(i) + " waits for it.", kRangeCheck);
        if (!passed || passed->entries.empty()) continue;  // e.g. answered before
        assumed_.insert(name);
        result.assumed.push_back(name + " (check on " + c.host + ") at T+" +
                                 sc::format_clock(timeline_->now()) + ", because " + place(i) +
                                 " waits for " + objective + " to be solved");
        line(true, "assumed", place(i), name + " passes (range-state check assumed)");
        if (Status st = scored(); !st) return st;
      }
    }
    if (!solved(objective)) {
      result.stopped = script_.where(i) + ": the script waits for objective '" + objective +
                       "' to be solved, which nothing earlier in the script does";
    }
    return Status::success();
  }

  Status answer(std::size_t i, const client::AnswerAction& a) {
    // A value read from a command's output is not known here: the script's expectation
    // stands for it. A value written out is judged by the objective's real rule.
    bool right = a.expect != "wrong";
    if (a.value.find("${") == std::string::npos)
      if (auto rules = real_rules_.objectives.find(a.objective);
          rules != real_rules_.objectives.end()) {
        const sco::PartRule* part = rules->second.find_part(a.part);
        if (!part && a.part.empty() && rules->second.parts.size() == 1)
          part = &rules->second.parts.front();
        if (part && !part->check_only) right = part->answer.matches(a.value, vars_);
      }
    trainee_line(i, "answer",
                 std::string(opened(a.objective) ? "" : " (not open yet)") +
                     (right ? "" : " (a wrong answer)"));
    auto outcome = board_->submit(team_, a.objective, a.part, right ? kRightAnswer : kWrongAnswer,
                                  script_.trainee);
    if (!outcome) {
      result.stopped = script_.where(i) + ": the answer is refused: " + outcome.error().message;
      return scored();
    }
    const std::string verdict(sco::to_string(outcome->verdict));
    if (!a.expect.empty() && verdict != a.expect) {
      result.stopped =
          script_.where(i) + ": the answer is " + verdict + ", but the script expects " + a.expect;
    }
    return scored();
  }

  Status hint(std::size_t i, const client::HintAction& h) {
    trainee_line(i, "hint", "");
    auto outcome = board_->give_hint(team_, h.objective, h.hint, script_.trainee);
    if (!outcome)
      result.stopped = script_.where(i) + ": the hint is refused: " + outcome.error().message;
    return scored();
  }

  // A typed line goes where cyranged sends it: the relay (command: triggers) and the
  // matcher of expected commands. It is the command as written, before captures are
  // filled in, which the dry run cannot know.
  Status typed(std::size_t i, const client::RunAction& run) {
    trainee_line(i, "run", "");
    exercise::match_typed_line(
        team_, run.host, run.command, commands_,
        [this](const std::string&, const std::string& objective) { return opened(objective); },
        *board_);
    return scored(&run.command);
  }

  const sc::Scenario& s_;
  const client::TraineeScript& script_;
  const ScriptDryRunOptions& options_;
  const std::string team_;
  sco::TeamVariables vars_;
  sco::ScoringRules real_rules_;  // with the scenario's answers, to judge written-out values
  std::shared_ptr<tl::ManualTimeSource> time_ = std::make_shared<tl::ManualTimeSource>();
  std::shared_ptr<tl::TimelineHub> hub_;
  tl::TimelineHub::SubscriptionId subscription_ = 0;
  tl::ExerciseTimeline* timeline_ = nullptr;
  std::unique_ptr<sco::ExerciseBoard> board_;
  std::unique_ptr<exercise::TraineeEventRelay> relay_;
  std::vector<exercise::TeamCommand> commands_;
  std::vector<exercise::TeamCheck> checks_;
  std::set<std::string> assumed_;
  std::set<std::string> chosen_;  // decision steps the script's choice was made in
  std::map<std::string, std::string> step_details_;
  std::int64_t fed_seq_ = 0;
  std::mutex lines_mutex_;
  std::vector<tl::TimelineEvent> opened_events_;
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

}  // namespace cyrange::playtest
