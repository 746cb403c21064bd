#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <client-core/call.h>
#include <client-core/connection.h>
#include <client-core/localized_text.h>
#include <client-core/subscription.h>
#include <orchestrator/common/expected.h>

namespace cyrange::client {

/// What a ledger line records.
enum class EntryKind {
  solve,            ///< an objective is complete
  partial,          ///< one part of an objective was answered or checked
  wrong_answer,     ///< a wrong answer (maybe with a penalty)
  hint,             ///< a hint taken or pushed
  solution_reveal,  ///< the solution was shown to the team
  adjustment,       ///< an instructor changed the score, with a reason
  service_penalty,  ///< a team service was down for a while
  other,            ///< a kind this client does not know (a newer server)
};

/// The kind named by the wire's lower-case name ("wrong_answer"); other if unknown.
EntryKind parse_entry_kind(std::string_view name);
/// The wire's lower-case name of a kind ("wrong_answer"), for logs and the CLI.
std::string_view to_string(EntryKind kind);

/// The server's judgement of an answer, hint or adjustment.
enum class Verdict {
  unknown,
  correct,
  part_correct,
  wrong,
  already_solved,
  already_given,
  recorded
};

/// Who sees the board: everyone live, frozen at a moment, or hidden from trainees.
enum class BoardMode { unknown, live, frozen, hidden };

/// A team's progress on one objective.
enum class ObjectiveStatus { unknown, open, partial, solved };

/// How a task (or one of its parts) is answered.
enum class AnswerType { unknown, text, number, check_only, report_rubric };

/// One part of a task with the team's progress on it.
struct TaskPart {
  std::string id;
  LocalizedText question;
  AnswerType answer_type = AnswerType::unknown;
  int points = 0;
  bool solved = false;
  int wrong_attempts = 0;            ///< wrong answers to this part
  std::optional<int> attempts_left;  ///< its own or the task's limit; nothing: unlimited
};

/// One hint of a task; its text is empty until the team took it.
struct TaskHint {
  std::string id;  ///< what take_hint names: "hint-1" or "<part>/hint-1"
  int penalty = 0;
  bool taken = false;
  LocalizedText text;
};

/// Who grades a rubric item; a trainee may grade only `self` items, of their own team.
enum class RubricGrader { unknown, instructor, self, review };

/// One rubric item of a report task.
struct TaskRubricItem {
  std::string id;
  LocalizedText text;
  int points = 0;
  bool met = false;  ///< graded as met (by whoever graded_by names)
  RubricGrader graded_by = RubricGrader::unknown;
};

/// A task as a team works on it, with the team's variables filled in; never an answer.
struct Task {
  std::string objective;
  LocalizedText question;
  AnswerType answer_type = AnswerType::unknown;
  int points_available = 0;
  int points = 0;  ///< net points earned so far
  std::vector<TaskPart> parts;
  int wrong_attempts = 0;
  std::optional<int> attempts_left;  ///< nothing: wrong answers are not limited
  ObjectiveStatus status = ObjectiveStatus::unknown;
  std::vector<TaskHint> hints;
  bool solution_revealed = false;
  LocalizedText solution;  ///< empty until revealed
  std::vector<TaskRubricItem> rubric;
};

/// The tasks of one team, in the order of the scenario.
struct TaskList {
  std::string exercise_id;
  std::string team;
  std::vector<Task> tasks;
};

/// One line of the score ledger as a client sees it.
struct ScoreEntry {
  std::int64_t seq = 0;
  std::string team;
  std::string objective;
  std::string item;
  EntryKind kind = EntryKind::other;
  int points = 0;
  std::string actor;
  std::string reason;
  std::int64_t exercise_time_ms = 0;
};

/// A team's progress on one objective.
struct ObjectiveLine {
  std::string objective;
  ObjectiveStatus status = ObjectiveStatus::unknown;
  double partial_fraction = 0;
  int points = 0;
  int wrong_attempts = 0;
  std::vector<std::string> parts_solved;
  std::vector<std::string> hints_taken;
};

/// A team with its details.
struct TeamLine {
  std::string team;
  int total = 0;
  int rank = 0;  ///< 0 when the board is not live for this audience
  std::vector<ObjectiveLine> objectives;
};

/// One line of the board: totals only.
struct BoardLine {
  std::string team;
  int total = 0;
  int rank = 0;
};

/// A scoreboard snapshot or delta, as GetScoreboard and WatchScoreboard send it. A
/// snapshot replaces everything the client knew (also after a reconnect).
struct ScoreboardMessage {
  std::string exercise_id;
  bool snapshot = false;
  std::int64_t through_seq = 0;
  BoardMode mode = BoardMode::unknown;
  std::string team;  ///< the audience; empty for instructors
  std::vector<ScoreEntry> entries;
  std::vector<TeamLine> standings;  ///< instructors only
  std::optional<TeamLine> own;      ///< trainees: their own team
  std::vector<BoardLine> board;
};

/// The server's judgement of an answer, hint or adjustment.
struct ScoringReply {
  Verdict verdict = Verdict::unknown;
  LocalizedText message;  ///< for the person who acted
  std::vector<ScoreEntry> entries;
  LocalizedText content;  ///< a hint's or a solution's text, when one is shown
};

/// ScoringService, Qt-free. Every call has an asynchronous form (`*_async`, the Call
/// contract of call.h) and a blocking form built on it for the CLI and scripts.
class ScoringClient {
 public:
  /// Uses (and shares) `connection`.
  explicit ScoringClient(Connection connection);

  /// Answers an objective (or one part) for the caller's own team.
  Call<ScoringReply> submit_answer_async(const std::string& exercise, const std::string& objective,
                                         const std::string& part, const std::string& answer) const;
  /// Takes a hint for the caller's own team.
  Call<ScoringReply> take_hint_async(const std::string& exercise, const std::string& objective,
                                     const std::string& hint) const;
  /// Gives a hint to one team (instructors).
  Call<ScoringReply> push_hint_async(const std::string& exercise, const std::string& team,
                                     const std::string& objective, const std::string& hint) const;
  /// Changes a team's score, saying why (instructors).
  Call<ScoringReply> adjust_async(const std::string& exercise, const std::string& team,
                                  const std::string& objective, int points,
                                  const std::string& reason) const;
  /// Shows one team an objective's solution (instructors); the reply carries its text.
  Call<ScoringReply> reveal_solution_async(const std::string& exercise, const std::string& team,
                                           const std::string& objective) const;
  /// A revealed solution's text; trainees read only their own team's.
  Call<LocalizedText> solution_async(const std::string& exercise, const std::string& team,
                                     const std::string& objective) const;
  /// Grades one rubric item of a team's report as met, with a note and where the
  /// evidence is (instructors).
  Call<ScoringReply> grade_rubric_async(const std::string& exercise, const std::string& team,
                                        const std::string& objective, const std::string& item,
                                        const std::string& note, const std::string& evidence) const;
  /// Sets the board's mode for trainees (instructors).
  Call<Unit> set_mode_async(const std::string& exercise, BoardMode mode) const;
  /// The board the caller may see; `team` is empty or the trainee's own team.
  Call<ScoreboardMessage> scoreboard_async(const std::string& exercise,
                                           const std::string& team = {}) const;

  /// The tasks of a team: a trainee's own (`team` empty), the named team for instructors.
  Call<TaskList> list_tasks_async(const std::string& exercise, const std::string& team = {}) const;

  /// Blocking forms of the calls above.
  Expected<ScoringReply> submit_answer(const std::string& exercise, const std::string& objective,
                                       const std::string& part, const std::string& answer) const;
  Expected<ScoringReply> take_hint(const std::string& exercise, const std::string& objective,
                                   const std::string& hint) const;
  Expected<ScoringReply> push_hint(const std::string& exercise, const std::string& team,
                                   const std::string& objective, const std::string& hint) const;
  Expected<ScoringReply> adjust(const std::string& exercise, const std::string& team,
                                const std::string& objective, int points,
                                const std::string& reason) const;
  Expected<ScoringReply> reveal_solution(const std::string& exercise, const std::string& team,
                                         const std::string& objective) const;
  Expected<LocalizedText> solution(const std::string& exercise, const std::string& team,
                                   const std::string& objective) const;
  Expected<ScoringReply> grade_rubric(const std::string& exercise, const std::string& team,
                                      const std::string& objective, const std::string& item,
                                      const std::string& note, const std::string& evidence) const;
  Status set_mode(const std::string& exercise, BoardMode mode) const;
  Expected<ScoreboardMessage> scoreboard(const std::string& exercise,
                                         const std::string& team = {}) const;
  Expected<TaskList> list_tasks(const std::string& exercise, const std::string& team = {}) const;

  /// Streams the board (subscription.h): the snapshot, then every delta; after a lost
  /// link a new snapshot. `on_end` learns why the stream ended.
  Subscription watch(const std::string& exercise, const std::string& team,
                     std::function<void(const ScoreboardMessage&)> on_update,
                     std::function<void(const StreamEnd&)> on_end = {}) const;

 private:
  Connection connection_;
};

/// The lower-case name of a mode ("frozen"), for the CLI; and back (nullopt if unknown).
std::string_view to_string(BoardMode mode);
std::optional<BoardMode> parse_board_mode(std::string_view name);
/// The lower-case name of a verdict ("part_correct"), for logs and scripts.
std::string_view to_string(Verdict verdict);
/// The lower-case name of an objective's status ("solved"), for logs and the CLI.
std::string_view to_string(ObjectiveStatus status);
/// The lower-case name of an answer type ("check_only"), for logs and the CLI.
std::string_view to_string(AnswerType type);

}  // namespace cyrange::client
