#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/scoring/answer_throttle.h>
#include <orchestrator/scoring/engine.h>
#include <orchestrator/scoring/from_scenario.h>
#include <orchestrator/scoring/ledger_store.h>
#include <orchestrator/scoring/scoreboard.h>
#include <orchestrator/scoring/tasks.h>

namespace cyrange::scoring {

/// One message of a live scoreboard stream, shaped for one audience. The instructor
/// audience (team "") sees everything; a team sees its own details and, depending on
/// the board mode, the totals of the others.
struct ScoreUpdate {
  bool snapshot = false;         ///< a complete picture; deltas follow it
  std::int64_t through_seq = 0;  ///< the highest ledger seq folded in
  std::string team;              ///< the audience: "" for instructors
  BoardVisibility visibility;
  std::vector<LedgerEntry> entries;     ///< delta: new entries this audience may see
  std::vector<TeamStanding> standings;  ///< instructors: every team (snapshot) or the changed ones
  std::optional<TeamStanding> own;      ///< teams: own details (rank 0 unless the board is live)
  std::vector<TeamTotal> board;         ///< snapshot: the board it may see; delta: moved lines
};

class ExerciseBoard;

/// A bounded queue of updates for one stream. The writer never waits for a reader:
/// when the queue is full it is dropped and the next read returns a fresh snapshot.
class Subscription {
 public:
  /// The audience: "" for the instructor view, else a team.
  const std::string& team() const { return team_; }
  /// The next update, or nullptr when none is pending. Never blocks on the writer.
  std::shared_ptr<const ScoreUpdate> next();
  /// Called (outside every lock of the board) when an update becomes pending.
  void set_wake(std::function<void()> wake);
  /// How often the queue overflowed and was replaced by a snapshot.
  std::size_t resyncs() const;

  /// Internal: use ExerciseBoard::subscribe().
  Subscription(ExerciseBoard& board, std::string team, std::size_t capacity);

 private:
  friend class ExerciseBoard;
  bool push(std::shared_ptr<const ScoreUpdate> update);  // true: wake the reader
  void wake();

  ExerciseBoard& board_;
  const std::string team_;
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<std::shared_ptr<const ScoreUpdate>> queue_;
  bool resync_ = true;  // the first read is a snapshot
  bool closed_ = false;
  std::size_t resyncs_ = 0;
  std::function<void()> wake_;
};

/// The live score of one exercise: judges events with each team's engine, appends
/// the result to the LedgerStore, folds it into the live tally and fans it out to
/// subscribers. Thread-safe. Authorisation is the caller's job (ScoreHub).
class ExerciseBoard {
 public:
  /// Exercise time in milliseconds for the entries appended now.
  using Clock = std::function<std::chrono::milliseconds()>;

  /// Loads the exercise's ledger and board mode from `store`; `clock` may be empty
  /// (then time runs from the latest ledger entry, in wall milliseconds).
  static Expected<std::unique_ptr<ExerciseBoard>> open(ExerciseScoring setup,
                                                       std::shared_ptr<LedgerStore> store,
                                                       Clock clock);

  /// The exercise id.
  const std::string& exercise() const { return setup_.exercise_id; }
  /// True when `team` plays in this exercise.
  bool has_team(const std::string& team) const { return setup_.team_rules.contains(team); }

  /// The default attempt policy of objectives without a limit of their own.
  void set_answer_backoff(AnswerBackoff policy) { throttle_.set_policy(policy); }

  /// Judges and records an answer of `team`; resource_exhausted while the team must wait
  /// after many wrong answers to an objective without a limit (AnswerBackoff).
  Expected<Outcome> submit(const std::string& team, const std::string& objective,
                           const std::string& part, const std::string& value,
                           const std::string& actor);
  /// Awards a part (or the objective) a checker found done, e.g. a range-state check.
  Expected<Outcome> pass_check(const std::string& team, const std::string& objective,
                               const std::string& part, const std::string& evidence,
                               const std::string& actor);
  /// Gives a hint to `team` (taken by it or pushed by an instructor).
  Expected<Outcome> give_hint(const std::string& team, const std::string& objective,
                              const std::string& hint, const std::string& actor);
  /// Records an instructor adjustment (mandatory reason).
  /// Charges `team` for `service` being down from `down` until `up` (exercise time).
  Expected<Outcome> record_outage(const std::string& team, const std::string& service,
                                  std::chrono::milliseconds down, std::chrono::milliseconds up,
                                  const std::string& actor);
  /// The exercise time entries appended now would carry.
  std::chrono::milliseconds now() const { return clock_(); }
  /// Shows `team` the solution of `objective` (recorded once; later solving earns nothing).
  Expected<Outcome> reveal_solution(const std::string& team, const std::string& objective,
                                    const std::string& actor);
  /// The texts `team` may be shown of `objective`, or nullptr for an unknown one.
  const ObjectiveTexts* texts(const std::string& team, const std::string& objective) const;
  Expected<Outcome> adjust(const std::string& team, const std::string& objective, int points,
                           const std::string& reason, const std::string& actor);
  /// Changes what teams see of each other; every subscriber gets a fresh snapshot.
  Status set_mode(BoardMode mode, const std::string& actor);

  /// The tasks of `team` with its progress, in scenario order; empty for an unknown team.
  std::vector<Task> tasks(const std::string& team) const;
  /// A snapshot for `team` ("" for instructors).
  ScoreUpdate snapshot(const std::string& team) const;
  /// Every entry folded in so far, in seq order (for recomputation checks).
  std::vector<LedgerEntry> entries() const;
  /// Reads the stored entries again after their personal fields were redacted (consent
  /// withdrawal, erase): the points are the same, so the totals stay; who acted and what a
  /// trainee typed are the redacted ones from now on.
  Status reread_ledger();
  /// The live instructor scoreboard.
  Scoreboard scoreboard() const;

  /// Starts a stream for `team` ("" for instructors); its first update is a snapshot.
  std::shared_ptr<Subscription> subscribe(const std::string& team, std::size_t capacity = 256);
  /// Ends a stream; no further updates are queued for it.
  void unsubscribe(const std::shared_ptr<Subscription>& subscription);

 private:
  friend class Subscription;
  ExerciseBoard(ExerciseScoring setup, std::shared_ptr<LedgerStore> store, Clock clock);
  Expected<Outcome> record(const std::string& team, const std::string& objective,
                           const Decision& decide);
  void publish(const std::vector<LedgerEntry>& entries);
  ScoreUpdate snapshot_locked(const std::string& team) const;
  std::shared_ptr<const ScoreUpdate> resync(Subscription& subscription);
  const ScoringEngine& engine(const std::string& team) const;

  ExerciseScoring setup_;
  std::shared_ptr<LedgerStore> store_;
  Clock clock_;
  AnswerThrottle throttle_;
  std::map<std::string, ScoringEngine> engines_;
  DeriveOptions derive_options_;

  std::mutex write_mutex_;          // keeps ledger order == publish order; held during the DB write
  mutable std::mutex state_mutex_;  // tally and subscribers; never held during I/O
  ScoreTally tally_;
  std::vector<LedgerEntry> entries_;
  std::int64_t through_seq_ = 0;
  BoardVisibility visibility_;
  std::map<std::string, TeamTotal> last_board_;  // the board as the last delta left it
  std::set<std::shared_ptr<Subscription>> subscribers_;
};

}  // namespace cyrange::scoring
