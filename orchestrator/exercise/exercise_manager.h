#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/exercise/live_personas.h>
#include <orchestrator/exercise/live_ranges.h>
#include <orchestrator/exercise/range_registry.h>
#include <orchestrator/exercise/state_checks.h>
#include <orchestrator/inbox/inbox.h>
#include <orchestrator/range/host_pool.h>
#include <orchestrator/scenario/includes.h>
#include <orchestrator/range/hypervisor.h>
#include <orchestrator/scoring/score_hub.h>
#include <orchestrator/timeline/hub.h>

namespace cyrange::exercise {

class TraineeEventRelay;

/// What the manager drives; null hypervisor: exercises cannot be created (unavailable).
struct ExerciseManagerDeps {
  std::shared_ptr<range::Hypervisor> hypervisor;
  std::string libvirt_uri;
  std::shared_ptr<range::HostPool> hosts;  ///< places each team's range; null: all on hypervisor
  std::shared_ptr<RangeRegistry> registry;
  std::shared_ptr<LiveRanges> ranges;  ///< torn-down teams are forgotten here
  std::shared_ptr<timeline::TimelineHub> timelines;
  std::shared_ptr<scoring::ScoreHub> scoring;
  std::shared_ptr<inbox::Inbox> inbox;  ///< null: no briefing is delivered
  std::string image_cache = "/var/lib/cyrange/images";
  /// The scenario library whose topology templates submitted scenarios may include
  /// (`include: ../templates/NAME.yaml`); nothing outside it is read.
  std::filesystem::path scenario_library = scenario::default_scenario_library();
  /// Run image recipes for profiles missing from image_cache; false: such an exercise fails
  /// and says how the operator builds the image (a scenario from the API runs no scripts).
  bool build_images = false;
  std::string pool_root = "/var/lib/cyrange/pools";
  /// Guests booting at once across every team of an exercise; also saved to disk or restored
  /// at once when an exercise is suspended or resumed.
  int max_boots = 4;
  std::chrono::milliseconds check_period{5000};  ///< how often range-state checks run
  std::chrono::milliseconds persona_poll{1000};  ///< how often live personas look at the clock
};

/// What an instructor asks for.
struct ExerciseRequest {
  std::string id;  ///< empty: derived from the scenario id
  std::string scenario_yaml;
  std::string scenario_file;
  std::vector<std::string> teams;
  std::uint64_t seed = 0;  ///< 0: drawn at random (and recorded, so staff see it)
};

/// An exercise as clients see it.
struct ExerciseInfo {
  std::string id, scenario_id, title_ja, title_en, state, detail;
  std::vector<std::string> teams;
  std::uint64_t seed = 0;
};

/// `text` parsed (its includes read from the scenario library `library`, see
/// scenario::parse_submitted_scenario) and validated; invalid_argument lists every error as
/// FILE:LINE:COL and ends "fix them and <then>" (English and Japanese).
Expected<scenario::Scenario> checked_scenario(const std::string& text, const std::string& file,
                                              const std::filesystem::path& library,
                                              const std::string& then_en,
                                              const std::string& then_ja);

/// The life of exercises in cyranged: create (validate the scenario, record it,
/// provision every team's range in the background, then arm the timeline and open
/// the scoreboard), reopen after a restart, end (tear the ranges down). Answers, hints,
/// typed commands and objective states reach the timeline (TraineeEventRelay), so
/// `on_event` and `on_objective` triggers fire.
/// Authorisation is the caller's job. Thread-safe.
class ExerciseManager {
 public:
  explicit ExerciseManager(ExerciseManagerDeps deps);
  /// Waits for provisioning still running.
  ~ExerciseManager();
  ExerciseManager(const ExerciseManager&) = delete;
  ExerciseManager& operator=(const ExerciseManager&) = delete;

  /// Opens the scoreboard of every live exercise recorded with its scenario and
  /// links it to the timeline (daemon start); a suspended exercise's scores are loaded
  /// too (its guests are watched once it resumes). Exercises still "provisioning" when
  /// the daemon died are marked failed: their ranges were half built.
  Status reopen_all();
  /// Loads the scores of one exercise, also an ended one (a self-paced run's results and
  /// the review items waiting in them), without touching its range; nothing when open.
  Status reopen_scores(const std::string& id);
  /// Validates and records the exercise, then provisions in the background.
  /// invalid_argument lists every scenario error as FILE:LINE:COL.
  Expected<ExerciseInfo> create(const ExerciseRequest& request);
  /// One exercise; not_found otherwise.
  Expected<ExerciseInfo> get(const std::string& id);
  /// Exercises, newest first.
  Expected<std::vector<ExerciseInfo>> list(bool include_ended);
  /// Runs the unsolved range-state checks of an exercise now (optionally one team's or one
  /// objective's); not_found for an exercise that is not live.
  Expected<std::vector<CheckResult>> run_checks(const std::string& exercise,
                                                const std::string& team,
                                                const std::string& objective);
  /// Pauses a ready exercise to disk (self-paced runs): stops its clock, its range-state
  /// checks and live personas, then saves every guest's memory to disk with libvirt
  /// managed save, so no QEMU process of it remains. State "suspended".
  /// failed_precondition unless the exercise is ready.
  Status suspend(const std::string& id);
  /// Restores every guest of a suspended exercise from its saved state (also after a
  /// daemon restart), then runs its checks, personas and clock again. State "ready".
  Status resume(const std::string& id);
  /// Reverts one team's range of a ready exercise to its pristine state (every guest as it
  /// was when the range became ready) in the background; progress and the outcome are
  /// recorded like provisioning's, and the servers' history of ordinary work is written
  /// again. Scores and the timeline go on. failed_precondition while that team resets.
  Status reset_team(const std::string& id, const std::string& team);
  /// Removes every range object of the exercise and records its end.
  Expected<ExerciseInfo> end(const std::string& id);
  /// A line typed in a terminal of `team` on `host`: fires the timeline's matching command
  /// triggers and solves the objectives whose expected commands it matches.
  void command_typed(const std::string& exercise, const std::string& team, const std::string& host,
                     const std::string& line);

 private:
  void provision(std::string id, scenario::Scenario scenario, std::vector<range::RangeSpec> specs,
                 std::uint64_t seed);
  void write_history(const std::string& id, const scenario::Scenario& scenario,
                     const std::vector<std::string>& teams, std::uint64_t seed);
  Status open_scoring(const std::string& id, const scenario::Scenario& scenario,
                      const std::vector<std::string>& teams, std::uint64_t seed);
  // The scoreboard alone (opened unless it is), with the answer limits the relay enforces.
  Status open_board(const std::string& id, const scenario::Scenario& scenario,
                    const std::vector<std::string>& teams, std::uint64_t seed);
  // Range-state checks and live personas of an exercise whose guests run.
  Status watch_guests(const std::string& id, const scenario::Scenario& scenario,
                      const std::vector<std::string>& teams, std::uint64_t seed);
  void reset_range(const std::string& id, const range::RangeSpec& spec,
                   const scenario::Scenario& scenario, std::uint64_t seed);
  // Every guest's libvirt name, from the stored team specs.
  Expected<std::vector<std::string>> domains_of(const std::string& id);
  ExerciseInfo info(const ExerciseRow& row);

  ExerciseManagerDeps deps_;
  std::mutex mutex_;
  std::map<std::string, std::thread> provisioning_;  // by exercise id, and resets by id#team
  std::set<std::string> resetting_;                  // id#team of resets still running
  std::map<std::string, std::pair<std::string, std::string>> titles_;    // id -> (ja, en)
  std::map<std::string, std::shared_ptr<scoring::Subscription>> links_;  // scores -> timeline
  std::shared_ptr<TraineeEventRelay> relay_;  // trainee events and objective states -> timeline
  timeline::TimelineHub::SubscriptionId opened_ = 0;  // objective items done -> "opened"
  std::unique_ptr<StateCheckRunner> checks_;          // range-state checks on a schedule
  std::unique_ptr<LivePersonaRunner> personas_;       // live personas act in the guests
};

}  // namespace cyrange::exercise
