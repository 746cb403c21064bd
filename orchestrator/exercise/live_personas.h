#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/inject/step_kit.h>
#include <orchestrator/scenario/scenario.h>
#include <orchestrator/timeline/hub.h>
#include <orchestrator/workforce/live_schedule.h>

namespace cyrange::exercise {

/// One live persona of one team, with the team's variables filled in.
struct TeamPersona {
  workforce::LivePlan plan;
  std::string workstation;  ///< host the persona acts from
  std::string user;         ///< login on the workstation, named in its browser log
  std::string mailbox;      ///< sender of its mails
  std::string proxy;        ///< "ADDR:PORT" of the range's proxy; empty: does not browse
  std::string mail_host;    ///< the range's mail server; empty: does not mail
};

/// The live personas of one team and the root of their random streams.
struct TeamPersonas {
  std::string team;
  std::uint64_t root = 0;  ///< workforce::stream_root(seed, team)
  std::vector<TeamPersona> personas;
};

/// The scenario's live personas for each team (teams without any are left out).
std::vector<TeamPersonas> live_personas(const scenario::Scenario& scenario,
                                        const std::vector<std::string>& teams, std::uint64_t seed);

/// Exercise seconds of `exercise` while its clock runs; nullopt when it is not started,
/// paused or unknown (then the personas wait).
using ExerciseTimeFn = std::function<std::optional<double>(const std::string& exercise)>;

/// ExerciseTimeFn over the daemon's timelines.
ExerciseTimeFn running_exercise_time(std::shared_ptr<timeline::TimelineHub> timelines);

/// Performs one action of `persona` in the team's guests through the inject step kit:
/// a page fetched with wget through the proxy from the workstation (squid's access log,
/// and the workstation's /var/log/cyrange-sim/browser.log), or an everyday mail the
/// `send_mail` step delivers with the workstation as sending host (mail log, mailbox).
/// `execution_id` names the guest-side markers, so an action is never delivered twice.
Status perform_live_action(const TeamPersona& persona, const workforce::LiveAction& action,
                           inject::TeamTarget& target, std::chrono::system_clock::time_point now,
                           std::int64_t execution_id);

/// The marker id of a persona's action: far above the timeline's execution ids, unique
/// per (team, persona, index) within one exercise.
std::int64_t live_execution_id(const std::string& team, const std::string& persona,
                               std::uint64_t index);

/// What the personas of one exercise have done so far.
struct LiveStats {
  long long done = 0;     ///< actions performed
  long long failed = 0;   ///< actions that could not be performed (logged)
  long long skipped = 0;  ///< actions left out because a later one was already due
};

/// Makes the live personas act while their exercise's clock runs: one thread per
/// (exercise, team) wakes every `poll`, asks the exercise time and performs each
/// persona's actions that fell due (only the newest when several did: a slow guest or a
/// clock jump never replays a backlog). A paused clock pauses them. Failures are
/// logged and counted; nothing stops the exercise. Thread-safe.
class LivePersonaRunner {
 public:
  /// Actions run in the guests `resolve` finds, at the times `time` gives.
  LivePersonaRunner(inject::TargetResolver resolve, ExerciseTimeFn time,
                    std::chrono::milliseconds poll);
  /// Stops every thread.
  ~LivePersonaRunner();
  LivePersonaRunner(const LivePersonaRunner&) = delete;
  LivePersonaRunner& operator=(const LivePersonaRunner&) = delete;

  /// Starts (or replaces) the personas of `exercise`. Actions due before the exercise time
  /// first seen are not replayed (a restarted daemon picks up where the clock is).
  void watch(const std::string& exercise, std::vector<TeamPersonas> teams);
  /// Stops the personas of `exercise`; returns once none of its actions runs.
  void forget(const std::string& exercise);
  /// The counts of `exercise` (also after forget()).
  LiveStats stats(const std::string& exercise) const;

 private:
  struct Worker;
  void run(Worker& worker);

  inject::TargetResolver resolve_;
  ExerciseTimeFn time_;
  std::chrono::milliseconds poll_;
  mutable std::mutex mutex_;
  std::map<std::string, std::vector<std::unique_ptr<Worker>>> workers_;  // by exercise
  std::map<std::string, LiveStats> stats_;                               // by exercise
};

}  // namespace cyrange::exercise
