#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <orchestrator/scoring/ledger.h>
#include <orchestrator/scoring/engine.h>
#include <orchestrator/timeline/hub.h>

namespace cyrange::exercise {

/// Raises what trainees do as timeline triggers, on its own thread: the scoring worker
/// that recorded an answer, the engine thread that announced a change and the terminal
/// that saw a line never wait while the timeline runs a (possibly slow) dependent step.
///   - answer:OBJ   a team's answer to OBJ (or one of its parts) was judged, right or
///                  wrong (scoring::is_answer_entry());
///   - hint:OBJ     a hint of OBJ was taken by the team or pushed by an instructor;
///   - command:TEXT a line typed in one of the team's terminals matches TEXT
///                  (command_matches());
///   - objective OBJ opened (its timeline item is done), solved (a solve entry) and
///     failed (unsolved, the team's wrong answers reached the objective's limit, or one
///     part's wrong answers reached that part's own limit: the engine refuses it then).
/// Each is raised once per (exercise, team, trigger); the engine moves only items that
/// still wait, so a replay after a restart fires nothing twice. Thread-safe.
class TraineeEventRelay {
 public:
  /// `timelines` may be null: then nothing is raised.
  explicit TraineeEventRelay(std::shared_ptr<timeline::TimelineHub> timelines);
  /// Finishes the job being run and stops; queued jobs are dropped.
  ~TraineeEventRelay();
  TraineeEventRelay(const TraineeEventRelay&) = delete;
  TraineeEventRelay& operator=(const TraineeEventRelay&) = delete;

  /// The scoring rules of `exercise` by team, whose wrong-answer limits decide when an
  /// objective has failed (scoring::attempts_left()); without them nothing fails.
  void set_limits(const std::string& exercise,
                  std::map<std::string, scoring::ScoringRules> team_rules);
  /// A ledger entry of `exercise`; entries already seen (same seq) are ignored.
  void entry(const std::string& exercise, const scoring::LedgerEntry& entry);
  /// A change of a timeline; an objective item that is done has opened.
  void timeline_event(const timeline::TimelineEvent& event);
  /// A line typed in a terminal of `team`; fires the team's waiting command triggers it matches.
  void typed(const std::string& exercise, const std::string& team, const std::string& line);
  /// Re-announces the objectives already open in `exercise` (after a daemon restart).
  void catch_up(const std::string& exercise);
  /// Waits until every job queued so far has run (tests, shutdown ordering).
  void drain();

 private:
  enum class Kind { event, objective, typed, catch_up };
  struct Job {
    Kind kind;
    std::string exercise, team, name, state;
  };
  void push(Job job);
  void raise(const Job& job);
  void run();
  void run_job(const Job& job);
  bool used_up_locked(const std::string& exercise, const std::string& team,
                      const std::string& objective, const scoring::ObjectiveState& state) const;

  std::shared_ptr<timeline::TimelineHub> timelines_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<Job> queue_;
  bool busy_ = false;
  bool stopping_ = false;
  // Triggers raised: (exercise, team, kind, name, state).
  std::set<std::tuple<std::string, std::string, int, std::string, std::string>> raised_;
  std::set<std::pair<std::string, std::int64_t>> seen_;  // (exercise, ledger seq)
  std::map<std::string, std::map<std::string, scoring::ScoringRules>> rules_;  // exercise, team
  // Each objective's state folded from the entries seen, by (exercise, team, objective).
  std::map<std::tuple<std::string, std::string, std::string>, scoring::ObjectiveState> states_;
  std::thread thread_;
};

}  // namespace cyrange::exercise
