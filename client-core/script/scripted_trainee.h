#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <client-core/script/console_shell.h>
#include <client-core/scoring_client.h>
#include <client-core/script/trainee_script.h>
#include <orchestrator/common/expected.h>

namespace cyrange::client {

/// Everything a scripted trainee can do in an exercise: the same things a person
/// at the trainee client does. GrpcTraineeSession is the real one; tests use fakes.
class TraineeSession {
 public:
  virtual ~TraineeSession() = default;
  /// Blocks until `condition` holds for the team; unavailable after `timeout` (wall
  /// time), with a message naming what did not happen.
  virtual Status wait_until(const WaitCondition& condition, std::chrono::milliseconds timeout) = 0;
  /// Exercise seconds now.
  virtual Expected<double> exercise_time() = 0;
  /// Types `command` into the terminal of `host` and returns its output.
  virtual Expected<ConsoleOutput> run_command(const std::string& host, const std::string& command,
                                              std::chrono::milliseconds timeout) = 0;
  /// Answers an objective (or one part) for the team.
  virtual Expected<ScoringReply> submit_answer(const std::string& objective,
                                               const std::string& part,
                                               const std::string& answer) = 0;
  /// Takes a hint for the team.
  virtual Expected<ScoringReply> take_hint(const std::string& objective,
                                           const std::string& hint) = 0;
  /// The team's own line of the scoreboard.
  virtual Expected<TeamLine> progress() = 0;
};

/// What one action did.
struct ActionOutcome {
  std::size_t index = 0;
  std::string where;        ///< FILE:LINE:COL
  std::string description;  ///< e.g. "answer first-victim = ${victim}"
  bool ok = false;
  std::string detail;  ///< verdict, captured values or the error
  std::optional<double> exercise_time;
  /// Exercise seconds at which the action took effect: an answer's or a hint's ledger
  /// time, else the moment after its wait when it began (a command is typed then). A dry
  /// run of the same script acts at these times (playtest::ScriptDryRunOptions::acted_at).
  std::optional<double> acted_at;
};

/// How run_scripted_trainee() waits and reports.
struct RunOptions {
  std::chrono::milliseconds wait_timeout{std::chrono::minutes(10)};     ///< per `when:`, wall
  std::chrono::milliseconds command_timeout{std::chrono::seconds(60)};  ///< per run, wall
  /// Called after every action (e.g. to print progress); may be empty.
  std::function<void(const ActionOutcome&)> on_action;
};

/// A team's result on one objective at the end of the run.
struct ObjectiveOutcome {
  std::string objective;
  ObjectiveStatus status = ObjectiveStatus::unknown;  ///< as the scoreboard says
  int points = 0;
  int wrong_attempts = 0;
  std::vector<std::string> hints_taken;
  std::optional<double> solved_at;  ///< exercise seconds of the solving answer, when known
};

/// The result of a playtest: whether the script ran to its end, what each action
/// did, and the team's score as the server sees it afterwards.
struct PlaytestResult {
  std::string trainee;
  bool completed = false;  ///< every action ran and did what it expects
  std::string failure;     ///< why not, naming the action (FILE:LINE:COL)
  std::vector<ActionOutcome> actions;
  std::map<std::string, std::string> captures;
  std::vector<ObjectiveOutcome> objectives;  ///< from the final scoreboard
  int total = 0;
  std::vector<std::string> hints_taken;  ///< OBJECTIVE/HINT in the order taken
};

/// Plays `script` in `session`, action by action; stops at the first action that
/// fails (an RPC error, a wait that times out, a capture that does not match, an
/// answer with an unexpected verdict). The final score is read in any case.
PlaytestResult run_scripted_trainee(TraineeSession& session, const TraineeScript& script,
                                    const RunOptions& options = {});

/// A readable summary: outcome, total, each objective with points and solve time,
/// hints taken. `max_points` (objective -> points), when given, adds "of N".
std::string format_summary(const PlaytestResult& result,
                           const std::map<std::string, int>& max_points = {});

/// "HH:MM:SS" of exercise seconds.
std::string format_exercise_time(double seconds);

}  // namespace cyrange::client
