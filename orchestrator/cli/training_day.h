#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include <client-core/connection.h>
#include <client-core/scoring_client.h>
#include <client-core/script/scripted_trainee.h>
#include <orchestrator/common/expected.h>
#include <orchestrator/scenario/scenario.h>
#include <orchestrator/scoring/ledger.h>

namespace cyrange::cli {

/// How `cyrange demo` runs a training day.
struct TrainingDayOptions {
  std::filesystem::path scenario = "scenarios/targeted-email/scenario.yaml";
  std::string exercise = "day";  ///< the run's exercise id gets a time suffix
  std::uint64_t seed = 2026;
  double speed = 60;  ///< exercise seconds per wall second
  std::string database_uri = "postgresql:///cyrange";
  std::string libvirt_uri = "qemu:///system";
  std::filesystem::path state_dir = "/var/lib/cyrange";  ///< tls/, images/, pools/
  std::filesystem::path output_dir = "cyrange-output";   ///< <exercise>/ with the exports
  bool keep = false;  ///< leave the exercise and cyranged running at the end
};

/// One scripted trainee of the day: a login, its team and its script.
struct DayTrainee {
  std::string user, team;
  std::filesystem::path script;
};

/// What the day produced, for the summary and the after-action exports.
struct DayResult {
  std::string exercise;
  client::ScoreboardMessage final_board;  ///< instructor view at the end
  std::vector<client::PlaytestResult> trainees;
  std::map<std::string, std::string> team_of_trainee;  ///< login -> team
  std::vector<scoring::LedgerEntry> ledger;            ///< the exercise's whole ledger
  std::map<std::string, int> max_points;               ///< objective -> points
  std::vector<std::filesystem::path> exports;
  double wall_seconds = 0;
  /// Each team's total in the dry run of its script at the times the script acted.
  std::map<std::string, int> dry_run_totals;
  /// Each team's downtime charged by availability probes, which a dry run never sees.
  std::map<std::string, int> downtime;
  std::vector<std::string> dry_run_notes;  ///< the runs' assumptions, for the summary
};

/// The README's main job: a whole training day on this machine, headless. Starts
/// cyranged, creates the exercise from the scenario with two teams, provisions
/// their ranges, runs the timeline on a sped-up clock while an ideal and a careless
/// scripted trainee play it through the gRPC APIs, scores live, prints the summary,
/// writes the exports and ends cleanly.
Expected<DayResult> run_training_day(const TrainingDayOptions& options, std::ostream& out);

/// Dry-runs each trainee's script for its team (same seed, at the exercise times its
/// actions took effect) and keeps the totals in `result` for verify_playthrough().
Status dry_run_day(const scenario::Scenario& scenario, std::uint64_t seed,
                   const std::vector<DayTrainee>& trainees,
                   const std::map<std::string, client::TraineeScript>& scripts, DayResult& result);

/// The playthrough verdict: the ideal trainee completed its script with full marks, the
/// careless one stayed below them, and every team's total (less downtime) equals the dry
/// run of its script; failed_precondition saying what went wrong.
Status verify_playthrough(const DayResult& result);

/// Writes the after-action data of the day into `dir`: the final scoreboard, the
/// ledger, per-objective solve times and hints (JSON), the trainees' playtest
/// outcomes, and every recorded terminal as asciicast v2 (read from PostgreSQL).
/// Returns the files written.
Expected<std::vector<std::filesystem::path>> write_day_exports(const DayResult& result,
                                                               const std::string& database_uri,
                                                               const std::filesystem::path& dir);

/// The final summary a person reads: scoreboard, per-objective solve times per team,
/// hints taken, and where the exports are.
void print_day_summary(const DayResult& result, std::ostream& out);

}  // namespace cyrange::cli
