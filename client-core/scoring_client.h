#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <client-core/connection.h>
#include <orchestrator/common/expected.h>

namespace cyrange::client {

/// One line of the score ledger as a client sees it.
struct ScoreEntry {
  std::int64_t seq = 0;
  std::string team;
  std::string objective;
  std::string item;
  std::string kind;  ///< solve, partial, wrong_answer, hint, solution_reveal, adjustment, ...
  int points = 0;
  std::string actor;
  std::string reason;
  std::int64_t exercise_time_ms = 0;
};

/// A team's progress on one objective.
struct ObjectiveLine {
  std::string objective;
  std::string status;  ///< open, partial or solved
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

/// A scoreboard snapshot or delta, as GetScoreboard and WatchScoreboard send it.
struct ScoreboardMessage {
  std::string exercise_id;
  bool snapshot = false;
  std::int64_t through_seq = 0;
  std::string mode;  ///< live, frozen or hidden
  std::string team;  ///< the audience; empty for instructors
  std::vector<ScoreEntry> entries;
  std::vector<TeamLine> standings;  ///< instructors only
  std::optional<TeamLine> own;      ///< trainees: their own team
  std::vector<BoardLine> board;
};

/// The server's judgement of an answer, hint or adjustment.
struct ScoringReply {
  std::string verdict;  ///< correct, part_correct, wrong, already_solved, already_given, recorded
  std::string message;  ///< bilingual, for the person who acted
  std::vector<ScoreEntry> entries;
  std::string content_ja{}, content_en{};  ///< a hint's or a solution's text, when one is shown
};

/// A running WatchScoreboard stream; destroying it cancels the stream.
class ScoreboardWatch {
 public:
  virtual ~ScoreboardWatch() = default;
  /// Cancels the stream and waits until its callbacks have stopped.
  virtual void stop() = 0;
};

/// ScoringService calls with domain results. Unary calls block; watch() calls back
/// on its own thread.
class ScoringClient {
 public:
  /// Uses (and shares) `connection`.
  explicit ScoringClient(Connection connection);

  /// Answers an objective (or one part) for the caller's own team.
  Expected<ScoringReply> submit_answer(const std::string& exercise, const std::string& objective,
                                       const std::string& part, const std::string& answer) const;
  /// Takes a hint for the caller's own team.
  Expected<ScoringReply> take_hint(const std::string& exercise, const std::string& objective,
                                   const std::string& hint) const;
  /// Gives a hint to one team (instructors).
  Expected<ScoringReply> push_hint(const std::string& exercise, const std::string& team,
                                   const std::string& objective, const std::string& hint) const;
  /// Changes a team's score, saying why (instructors).
  Expected<ScoringReply> adjust(const std::string& exercise, const std::string& team,
                                const std::string& objective, int points,
                                const std::string& reason) const;
  /// Shows one team an objective's solution (instructors); the reply carries its text.
  Expected<ScoringReply> reveal_solution(const std::string& exercise, const std::string& team,
                                         const std::string& objective) const;
  /// A revealed solution's text (ja, en); trainees read only their own team's.
  Expected<std::pair<std::string, std::string>> solution(const std::string& exercise,
                                                         const std::string& team,
                                                         const std::string& objective) const;
  /// Grades one rubric item of a team's report as met, with a note and where the evidence
  /// is (instructors).
  Expected<ScoringReply> grade_rubric(const std::string& exercise, const std::string& team,
                                      const std::string& objective, const std::string& item,
                                      const std::string& note, const std::string& evidence) const;
  /// Sets the board to "live", "frozen" or "hidden" for trainees (instructors).
  Status set_mode(const std::string& exercise, const std::string& mode) const;
  /// The board the caller may see; `team` is empty or the trainee's own team.
  Expected<ScoreboardMessage> scoreboard(const std::string& exercise,
                                         const std::string& team = {}) const;
  /// Streams the board: `on_update` for the snapshot and every delta, then `on_end`
  /// once with the reason the stream ended (cancelled after stop()). Both run on the
  /// watch's thread and must not block for long.
  std::unique_ptr<ScoreboardWatch> watch(const std::string& exercise, const std::string& team,
                                         std::function<void(const ScoreboardMessage&)> on_update,
                                         std::function<void(const Error&)> on_end) const;

 private:
  Connection connection_;
};

}  // namespace cyrange::client
