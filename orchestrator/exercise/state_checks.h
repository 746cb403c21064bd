#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <orchestrator/exercise/live_ranges.h>
#include <orchestrator/scenario/scenario.h>
#include <orchestrator/scoring/score_hub.h>
#include <orchestrator/timeline/hub.h>

namespace cyrange::exercise {

/// One range-state check of one team, with the team's variables already filled in.
struct TeamCheck {
  std::string team, objective, part;  ///< part empty: the objective itself
  std::string host, command, expect;  ///< expect: a regex over the command's output
};

/// The checks of a scenario for each team (objectives and parts with `check:`).
std::vector<TeamCheck> team_checks(
    const scenario::Scenario& scenario,
    const std::map<std::string, std::map<std::string, std::string>>& team_variables);

/// Runs the scenario's range-state checks on a schedule: every `period`, each open,
/// unsolved check runs its command in the team's guest through the guest agent, and
/// a match awards it on the scoreboard (actor "range-check", the evidence as reason).
/// Checks wait until the timeline has opened their objective. Thread-safe.
class StateCheckRunner {
 public:
  StateCheckRunner(std::shared_ptr<LiveRanges> ranges,
                   std::shared_ptr<timeline::TimelineHub> timelines,
                   std::shared_ptr<scoring::ScoreHub> scoring, std::chrono::milliseconds period);
  /// Stops the schedule.
  ~StateCheckRunner();
  StateCheckRunner(const StateCheckRunner&) = delete;
  StateCheckRunner& operator=(const StateCheckRunner&) = delete;

  /// Starts (or replaces) the checks of an exercise.
  void watch(const std::string& exercise, std::vector<TeamCheck> checks);
  /// Stops checking an exercise.
  void forget(const std::string& exercise);
  /// Runs every due check of `exercise` once now; how many passed.
  int run_once(const std::string& exercise);

 private:
  void loop();
  bool opened(const std::string& exercise, const TeamCheck& check) const;

  std::shared_ptr<LiveRanges> ranges_;
  std::shared_ptr<timeline::TimelineHub> timelines_;
  std::shared_ptr<scoring::ScoreHub> scoring_;
  std::chrono::milliseconds period_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<std::string, std::vector<TeamCheck>> checks_;  // by exercise; passed ones removed
  std::thread thread_;
};

}  // namespace cyrange::exercise
