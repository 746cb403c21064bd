#include <orchestrator/scoring/score_hub.h>

#include <algorithm>

namespace cyrange::scoring {
namespace {

using identity::Role;

Error denied(const std::string& what) { return make_error(ErrorCode::permission_denied, what); }

Error graders_only(const identity::Identity& caller, const std::string& action_en,
                   const std::string& action_ja) {
  return denied("User '" + caller.name + "' (" + std::string(identity::to_string(caller.role)) +
                ") may not " + action_en + "; only instructors and admins may. / " + action_ja +
                "はインストラクターのみ実行できます。");
}

// Who grades rubric item `item`; an item without its texts is an instructor's.
scenario::Grader grader_of(const ObjectiveTexts& texts, const std::string& item) {
  for (const auto& candidate : texts.rubric_items)
    if (candidate.id == item) return candidate.graded_by;
  return scenario::Grader::instructor;
}

}  // namespace

bool is_grader(const identity::Identity& caller) {
  return caller.role == Role::instructor || caller.role == Role::admin;
}

ScoreHub::ScoreHub(std::shared_ptr<LedgerStore> store,
                   std::function<std::chrono::milliseconds(const std::string&)> clock)
    : store_(std::move(store)), clock_(std::move(clock)) {}

void ScoreHub::set_answer_backoff(AnswerBackoff policy) {
  std::lock_guard lock(mutex_);
  backoff_ = policy;
  for (auto& [exercise, board] : boards_) board->set_answer_backoff(policy);
}

Status ScoreHub::open(ExerciseScoring setup) {
  const std::string exercise = setup.exercise_id;
  ExerciseBoard::Clock clock;
  if (clock_) clock = [c = clock_, exercise] { return c(exercise); };
  auto board = ExerciseBoard::open(std::move(setup), store_, std::move(clock));
  if (!board) return board.error();
  std::lock_guard lock(mutex_);
  (*board)->set_answer_backoff(backoff_);
  // Replacing a board would orphan the streams still reading it.
  if (boards_.contains(exercise)) {
    return make_error(ErrorCode::already_exists,
                      "The scoreboard of exercise '" + exercise + "' is already open.");
  }
  boards_.emplace(exercise, std::move(board).value());
  return Status::success();
}

Expected<ExerciseBoard*> ScoreHub::find(const std::string& exercise) const {
  std::lock_guard lock(mutex_);
  auto found = boards_.find(exercise);
  if (found == boards_.end()) {
    return make_error(ErrorCode::not_found,
                      "Exercise '" + exercise +
                          "' has no open scoreboard; check the exercise id or start the "
                          "exercise first. / 演習 '" +
                          exercise + "' の得点板はありません。");
  }
  return found->second.get();
}

std::vector<std::string> ScoreHub::exercises() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> ids;
  for (const auto& [id, board] : boards_) ids.push_back(id);
  return ids;
}

Expected<ExerciseBoard*> ScoreHub::board_for(const identity::Identity& caller,
                                             const std::string& exercise) const {
  // Scope first: a trainee hears the same about another run as about no exercise at all.
  if (Status scope = identity::check_exercise_scope(caller, exercise); !scope) return scope.error();
  auto board = find(exercise);
  if (!board && caller.role == Role::trainee) return identity::exercise_not_found(caller, exercise);
  return board;
}

Expected<std::string> ScoreHub::own_team(const identity::Identity& caller,
                                         const ExerciseBoard& board) {
  if (Status scope = identity::check_exercise_scope(caller, board.exercise()); !scope) {
    return scope.error();
  }
  if (caller.role != Role::trainee || !caller.team_id) {
    return denied("User '" + caller.name + "' (" + std::string(identity::to_string(caller.role)) +
                  ") is not a trainee; only trainees answer and take hints, for their own team. "
                  "Instructors use PushHint or Adjust. / 回答とヒントの取得は訓練生のみ行えます。");
  }
  std::string name;
  {
    std::lock_guard lock(mutex_);
    if (auto found = team_names_.find(*caller.team_id); found != team_names_.end()) {
      name = found->second;
    }
  }
  if (name.empty()) {
    auto resolved = store_->team_name(*caller.team_id);
    if (!resolved) return resolved.error();
    name = *resolved;
    std::lock_guard lock(mutex_);
    team_names_[*caller.team_id] = name;
  }
  if (!board.has_team(name)) return identity::exercise_not_found(caller, board.exercise());
  return name;
}

Expected<std::string> ScoreHub::audience(const identity::Identity& caller,
                                         const ExerciseBoard& board, const std::string& team) {
  if (is_grader(caller)) return std::string();  // instructors see everything
  if (caller.role != Role::trainee) {
    return denied("User '" + caller.name + "' (" + std::string(identity::to_string(caller.role)) +
                  ") may not watch exercise scores. / 得点板を閲覧する権限がありません。");
  }
  auto own = own_team(caller, board);
  if (!own) return own.error();
  if (!team.empty() && team != *own) {
    return denied("Trainee '" + caller.name + "' may see only the details of team '" + *own +
                  "', not of team '" + team + "'. / 他チームの詳細は閲覧できません。");
  }
  return own;
}

Expected<Outcome> ScoreHub::submit(const identity::Identity& caller, const std::string& exercise,
                                   const std::string& objective, const std::string& part,
                                   const std::string& value) {
  auto board = board_for(caller, exercise);
  if (!board) return board.error();
  auto team = own_team(caller, **board);
  if (!team) return team.error();
  return (*board)->submit(*team, objective, part, value, caller.name);
}

Expected<Outcome> ScoreHub::take_hint(const identity::Identity& caller, const std::string& exercise,
                                      const std::string& objective, const std::string& hint) {
  auto board = board_for(caller, exercise);
  if (!board) return board.error();
  auto team = own_team(caller, **board);
  if (!team) return team.error();
  return (*board)->give_hint(*team, objective, hint, caller.name);
}

Expected<Outcome> ScoreHub::push_hint(const identity::Identity& caller, const std::string& exercise,
                                      const std::string& team, const std::string& objective,
                                      const std::string& hint) {
  if (!is_grader(caller)) return graders_only(caller, "push hints to a team", "ヒントの配布");
  auto board = board_for(caller, exercise);
  if (!board) return board.error();
  return (*board)->give_hint(team, objective, hint, caller.name);
}

Expected<Outcome> ScoreHub::adjust(const identity::Identity& caller, const std::string& exercise,
                                   const std::string& team, const std::string& objective,
                                   int points, const std::string& reason) {
  if (!is_grader(caller)) return graders_only(caller, "adjust scores", "得点の調整");
  auto board = board_for(caller, exercise);
  if (!board) return board.error();
  return (*board)->adjust(team, objective, points, reason, caller.name);
}

Expected<Outcome> ScoreHub::reveal_solution(const identity::Identity& caller,
                                            const std::string& exercise, const std::string& team,
                                            const std::string& objective) {
  if (!is_grader(caller)) return graders_only(caller, "reveal solutions", "解答の公開");
  auto board = board_for(caller, exercise);
  if (!board) return board.error();
  const ObjectiveTexts* texts = (*board)->texts(team, objective);
  if (texts && texts->solution.en.empty()) {
    return make_error(ErrorCode::failed_precondition,
                      "Objective '" + objective +
                          "' has no `solution:` in the scenario, so there is nothing to reveal. / "
                          "この設問にはシナリオ上の解答がありません。");
  }
  return (*board)->reveal_solution(team, objective, caller.name);
}

Expected<Bilingual> ScoreHub::solution(const identity::Identity& caller,
                                       const std::string& exercise, const std::string& team,
                                       const std::string& objective) {
  auto board = board_for(caller, exercise);
  if (!board) return board.error();
  auto who = audience(caller, **board, team);
  if (!who) return who.error();
  const std::string shown_team = who->empty() ? team : *who;
  const ObjectiveTexts* texts = (*board)->texts(shown_team, objective);
  if (!texts || texts->solution.en.empty()) {
    return make_error(ErrorCode::not_found, "Objective '" + objective + "' of team '" + shown_team +
                                                "' has no solution text. / 解答がありません。");
  }
  if (!who->empty()) {
    const ScoreUpdate view = (*board)->snapshot(*who);
    bool revealed = false;
    if (view.own) {
      auto progress = view.own->objectives.find(objective);
      revealed = progress != view.own->objectives.end() && progress->second.state.solution_revealed;
    }
    if (!revealed) {
      return make_error(ErrorCode::failed_precondition,
                        "The solution of '" + objective +
                            "' has not been revealed to your team; ask your instructor. / "
                            "この設問の解答はまだ公開されていません。");
    }
  }
  return texts->solution;
}

Expected<Outcome> ScoreHub::grade_rubric(const identity::Identity& caller,
                                         const std::string& exercise, const std::string& team,
                                         const std::string& objective, const std::string& item,
                                         const std::string& note, const std::string& evidence) {
  if (caller.role != Role::trainee && !is_grader(caller)) {
    return graders_only(caller, "grade reports", "報告書の採点");
  }
  auto board = board_for(caller, exercise);
  if (!board) return board.error();
  std::string graded_team = team;
  if (!is_grader(caller)) {
    auto own = own_team(caller, **board);
    if (!own) return own.error();
    if (!team.empty() && team != *own) {
      return denied("Trainee '" + caller.name +
                    "' may grade only the self-assessed items of team '" + *own +
                    "', not of team '" + team + "'. / 他チームの評価項目は採点できません。");
    }
    graded_team = *own;
  }
  const ObjectiveTexts* texts = (*board)->texts(graded_team, objective);
  if (!texts ||
      std::find(texts->rubric.begin(), texts->rubric.end(), item) == texts->rubric.end()) {
    return make_error(ErrorCode::invalid_argument,
                      "Objective '" + objective + "' of team '" + graded_team +
                          "' has no rubric item '" + item +
                          "'; grade an item listed under `rubric:` in the scenario. / "
                          "指定の評価項目はありません。");
  }
  if (!is_grader(caller)) {
    // Only what the scenario declares self-assessed; the rest stays with the instructors.
    if (grader_of(*texts, item) != scenario::Grader::self) {
      return graders_only(caller, "grade rubric item '" + item + "' (not `graded_by: self`)",
                          "この評価項目の採点");
    }
    std::string reason = "Self-assessed by the trainee";
    if (!note.empty()) reason += ": " + note;
    if (!evidence.empty()) reason += " [evidence: " + evidence + "]";
    return (*board)->pass_check(graded_team, objective, item, reason, caller.name);
  }
  if (note.empty()) {
    return make_error(
        ErrorCode::invalid_argument,
        "Grading needs a note saying why the item is met. / 採点には理由が必要です。");
  }
  const std::string reason = evidence.empty() ? note : note + " [evidence: " + evidence + "]";
  return (*board)->pass_check(team, objective, item, reason, caller.name);
}

Status ScoreHub::set_mode(const identity::Identity& caller, const std::string& exercise,
                          BoardMode mode) {
  if (!is_grader(caller)) {
    return graders_only(caller, "freeze, hide or show the scoreboard", "得点板の表示切替");
  }
  auto board = board_for(caller, exercise);
  if (!board) return board.error();
  return (*board)->set_mode(mode, caller.name);
}

Expected<ScoreUpdate> ScoreHub::board(const identity::Identity& caller, const std::string& exercise,
                                      const std::string& team) {
  auto board = board_for(caller, exercise);
  if (!board) return board.error();
  auto who = audience(caller, **board, team);
  if (!who) return who.error();
  return (*board)->snapshot(*who);
}

Expected<std::pair<std::string, std::vector<Task>>> ScoreHub::tasks(
    const identity::Identity& caller, const std::string& exercise, const std::string& team) {
  auto board = board_for(caller, exercise);
  if (!board) return board.error();
  auto who = audience(caller, **board, team);
  if (!who) return who.error();
  const std::string shown = who->empty() ? team : *who;
  if (shown.empty()) {
    return make_error(ErrorCode::invalid_argument,
                      "Name the team whose tasks to list in exercise '" + exercise + "'.",
                      "演習 '" + exercise + "' で課題を表示するチームを指定してください。");
  }
  if (!(*board)->has_team(shown)) {
    return make_error(ErrorCode::not_found,
                      "Team '" + shown + "' does not play in exercise '" + exercise + "'.",
                      "チーム '" + shown + "' は演習 '" + exercise + "' に参加していません。");
  }
  return std::pair{shown, (*board)->tasks(shown)};
}

Expected<std::shared_ptr<Subscription>> ScoreHub::watch(const identity::Identity& caller,
                                                        const std::string& exercise,
                                                        const std::string& team,
                                                        std::size_t capacity) {
  auto board = board_for(caller, exercise);
  if (!board) return board.error();
  auto who = audience(caller, **board, team);
  if (!who) return who.error();
  return (*board)->subscribe(*who, capacity);
}

void ScoreHub::unwatch(const std::string& exercise,
                       const std::shared_ptr<Subscription>& subscription) {
  auto board = find(exercise);
  if (board) (*board)->unsubscribe(subscription);
}

}  // namespace cyrange::scoring
