#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/identity/identity.h>
#include <orchestrator/scoring/exercise_board.h>

namespace cyrange::scoring {

/// Every open exercise scoreboard of one daemon, and the rules of who may do what:
/// only trainees submit answers and take hints, and only for their own team (the team
/// comes from the caller's identity, never from the request); instructors and admins
/// push hints, adjust scores and set the board mode; a trainee sees only its own
/// team's details. Refusals are ErrorCode::permission_denied, but a trainee's call about an
/// exercise they do not play in is not_found, as for an id nobody used. Thread-safe.
class ScoreHub {
 public:
  /// `store` is shared by every exercise; `clock` gives an exercise's time (may be empty).
  explicit ScoreHub(std::shared_ptr<LedgerStore> store,
                    std::function<std::chrono::milliseconds(const std::string&)> clock = {});

  /// The default attempt policy of every board, open or opened later (AnswerBackoff).
  void set_answer_backoff(AnswerBackoff policy);

  /// Opens (or reopens) the scoreboard of `setup.exercise_id`, replaying its ledger.
  Status open(ExerciseScoring setup);
  /// The open board of `exercise`; not_found otherwise. Valid while the hub lives.
  Expected<ExerciseBoard*> find(const std::string& exercise) const;
  /// The exercises with an open board, sorted.
  std::vector<std::string> exercises() const;

  /// A trainee answers for its own team.
  Expected<Outcome> submit(const identity::Identity& caller, const std::string& exercise,
                           const std::string& objective, const std::string& part,
                           const std::string& value);
  /// A trainee takes a hint for its own team.
  Expected<Outcome> take_hint(const identity::Identity& caller, const std::string& exercise,
                              const std::string& objective, const std::string& hint);
  /// An instructor gives a hint to one team.
  Expected<Outcome> push_hint(const identity::Identity& caller, const std::string& exercise,
                              const std::string& team, const std::string& objective,
                              const std::string& hint);
  /// An instructor changes a team's score, saying why.
  Expected<Outcome> adjust(const identity::Identity& caller, const std::string& exercise,
                           const std::string& team, const std::string& objective, int points,
                           const std::string& reason);
  /// An instructor shows one team an objective's solution; the outcome carries its text.
  Expected<Outcome> reveal_solution(const identity::Identity& caller, const std::string& exercise,
                                    const std::string& team, const std::string& objective);
  /// A solution's text: any team's for staff, the own team's once revealed for a trainee.
  Expected<Bilingual> solution(const identity::Identity& caller, const std::string& exercise,
                               const std::string& team, const std::string& objective);
  /// An instructor grades one rubric item of a report as met, saying why and where the
  /// evidence is (e.g. a terminal session and time); both end up in the ledger. A trainee
  /// may grade only an item `graded_by: self` of their own team (`team` empty or theirs),
  /// the note then optional: self-assessed items score as declared.
  Expected<Outcome> grade_rubric(const identity::Identity& caller, const std::string& exercise,
                                 const std::string& team, const std::string& objective,
                                 const std::string& item, const std::string& note,
                                 const std::string& evidence);
  /// An instructor sets the board to live, frozen or hidden.
  Status set_mode(const identity::Identity& caller, const std::string& exercise, BoardMode mode);

  /// The snapshot the caller may see: everything for staff, the own view for a trainee.
  /// `team` may name the trainee's own team or be empty.
  Expected<ScoreUpdate> board(const identity::Identity& caller, const std::string& exercise,
                              const std::string& team);
  /// The tasks of one team: a trainee's own (`team` empty or its own), any named team for
  /// staff; designers none. Returns the team shown and its tasks.
  Expected<std::pair<std::string, std::vector<Task>>> tasks(const identity::Identity& caller,
                                                            const std::string& exercise,
                                                            const std::string& team);
  /// Starts a live stream with the same audience rules as board().
  Expected<std::shared_ptr<Subscription>> watch(const identity::Identity& caller,
                                                const std::string& exercise,
                                                const std::string& team,
                                                std::size_t capacity = 256);
  /// Ends a stream started by watch().
  void unwatch(const std::string& exercise, const std::shared_ptr<Subscription>& subscription);

 private:
  // The board of `exercise` once the caller's scope (for staff, their oversight) lets them
  // near it; a trainee hears identity::exercise_not_found whether it exists or not.
  Expected<ExerciseBoard*> board_for(const identity::Identity& caller,
                                     const std::string& exercise) const;
  Expected<std::string> own_team(const identity::Identity& caller, const ExerciseBoard& board);
  Expected<std::string> audience(const identity::Identity& caller, const ExerciseBoard& board,
                                 const std::string& team);

  std::shared_ptr<LedgerStore> store_;
  std::function<std::chrono::milliseconds(const std::string&)> clock_;
  mutable std::mutex mutex_;
  AnswerBackoff backoff_;
  std::map<std::string, std::unique_ptr<ExerciseBoard>> boards_;
  std::map<std::int64_t, std::string> team_names_;  // identity team id -> ledger team name
};

/// True for the roles that grade and watch everything: instructor and admin.
bool is_grader(const identity::Identity& caller);

}  // namespace cyrange::scoring
