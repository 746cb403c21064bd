#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <orchestrator/exercise/check_lanes.h>
#include <orchestrator/inject/step_kit.h>
#include <orchestrator/scenario/scenario.h>
#include <orchestrator/scoring/score_hub.h>
#include <orchestrator/timeline/hub.h>

namespace cyrange::exercise {

/// Each team's variables, by team.
using TeamVariableSets = std::map<std::string, std::map<std::string, std::string>>;

/// One range-state check of one team, with the team's variables already filled in.
struct TeamCheck {
  std::string team, objective, part;  ///< part empty: the objective itself
  std::string host, command, expect;  ///< expect: a regex over the command's output
};

/// One expected command of one team: a line typed in a terminal of `host` ("" any)
/// that matches `pattern` solves the part.
struct TeamCommand {
  std::string team, objective, part;
  std::string host, pattern;
};

/// One team service watched for availability.
struct TeamService {
  std::string team, id, host, service;
  std::chrono::milliseconds from{0};  ///< exercise time from which it is watched
};

/// What one run of a range-state check found.
struct CheckResult {
  std::string team, objective, part, host;
  bool passed = false;
  std::string detail;  ///< the evidence, or why it did not pass
};

/// Everything of a scenario that a checker, not an answer, decides.
struct ExerciseChecks {
  std::vector<TeamCheck> state;
  std::vector<TeamCommand> commands;
  std::vector<TeamService> services;
};

/// The checks of a scenario for each team (objectives and parts with `check:`).
std::vector<TeamCheck> team_checks(const scenario::Scenario& scenario,
                                   const TeamVariableSets& team_variables);
/// The expected commands of a scenario for each team.
std::vector<TeamCommand> team_commands(const scenario::Scenario& scenario,
                                       const TeamVariableSets& team_variables);
/// The scenario's `availability:` entries for each team.
std::vector<TeamService> team_services(const scenario::Scenario& scenario,
                                       const std::vector<std::string>& teams);
/// All three for every team.
ExerciseChecks exercise_checks(const scenario::Scenario& scenario,
                               const TeamVariableSets& team_variables);

/// True once the timeline has opened `objective` for `team` (or never schedules it).
bool objective_opened(timeline::TimelineHub& timelines, const std::string& exercise,
                      const std::string& team, const std::string& objective);

/// Whether the timeline has opened (team, objective) yet.
using OpenedFn = std::function<bool(const std::string& team, const std::string& objective)>;

/// A line matching an open expected command solves it: how many parts `line` solved.
/// Matched commands are removed from `commands`.
int match_typed_line(const std::string& team, const std::string& host, const std::string& line,
                     std::vector<TeamCommand>& commands, const OpenedFn& opened,
                     scoring::ExerciseBoard& board);

/// Where one watched service stands between probes.
struct ServiceWatch {
  int failures = 0;                           ///< consecutive failed probes
  bool down = false;                          ///< two failures in a row
  std::chrono::milliseconds charged_from{0};  ///< start of the downtime not yet charged
};

/// Probes `service` once and charges the team for downtime: after two failed probes in
/// a row the service is down from the first failure; downtime is charged every minute
/// and when it comes back. A probe that cannot run (agent timeout) changes nothing.
void probe_service(const TeamService& service, ServiceWatch& watch, inject::GuestRunner& guests,
                   scoring::ExerciseBoard& board);

/// Runs the scenario's checks for every live exercise: range-state checks and availability
/// probes every `period`, each team's on a lane of its own (CheckLanes), so a team whose guest
/// hangs or prints endlessly delays no other team's scoring; expected commands are matched on
/// the runner's thread as typed lines arrive. A passed check is awarded on the scoreboard with
/// its evidence as the reason (actors "range-check", "command-check"); downtime is charged by
/// "availability-check". Checks wait until the timeline has opened their objective.
/// Thread-safe.
class StateCheckRunner {
 public:
  /// `guests` finds a team's guests (LiveRanges::resolver in cyranged).
  StateCheckRunner(inject::TargetResolver guests, std::shared_ptr<timeline::TimelineHub> timelines,
                   std::shared_ptr<scoring::ScoreHub> scoring, std::chrono::milliseconds period);
  /// Stops the schedule and waits for the teams' rounds under way.
  ~StateCheckRunner();
  StateCheckRunner(const StateCheckRunner&) = delete;
  StateCheckRunner& operator=(const StateCheckRunner&) = delete;

  /// Starts (or replaces) the checks of an exercise.
  void watch(const std::string& exercise, ExerciseChecks checks);
  /// Stops checking an exercise.
  void forget(const std::string& exercise);
  /// Runs the unsolved range-state checks of `exercise` once now (optionally only one
  /// team's or one objective's), awarding those that pass. Teams run side by side; a team
  /// whose scheduled round is under way is waited for.
  std::vector<CheckResult> run_once(const std::string& exercise, const std::string& team = "",
                                    const std::string& objective = "");
  /// Probes every watched service of `exercise` once now.
  void probe_services(const std::string& exercise);
  /// A line a trainee typed in a terminal of `host`; matched on the runner's thread.
  void typed(const std::string& exercise, const std::string& team, const std::string& host,
             const std::string& line);

 private:
  struct Watched {
    ExerciseChecks checks;  // passed state checks and matched commands are removed
    std::map<std::string, ServiceWatch> services;  // by team + "/" + id
  };
  struct Typed {
    std::string exercise, team, host, line;
  };
  void loop();
  void match(const Typed& typed);
  void start_round();
  // The lock one team's checks run under (a scheduled round, an on-demand run).
  std::shared_ptr<std::mutex> team_lock(const std::string& exercise, const std::string& team);
  std::vector<CheckResult> check_team(const std::string& exercise, const std::string& team,
                                      const std::string& objective);
  void probe_team(const std::string& exercise, const std::string& team);

  inject::TargetResolver guests_;
  std::shared_ptr<timeline::TimelineHub> timelines_;
  std::shared_ptr<scoring::ScoreHub> scoring_;
  std::chrono::milliseconds period_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<std::string, Watched> watched_;                         // by exercise
  std::map<std::string, std::shared_ptr<std::mutex>> team_locks_;  // by exercise + "/" + team
  std::deque<Typed> typed_;
  CheckLanes lanes_;  // after everything a round uses, so it is stopped first
  std::thread thread_;
};

}  // namespace cyrange::exercise
