#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <client-core/call.h>
#include <client-core/connection.h>
#include <client-core/localized_text.h>
#include <orchestrator/common/expected.h>

namespace cyrange::client {

/// One team's join code, shown once (the server keeps only its hash).
struct JoinCodeInfo {
  std::string team;
  std::string code;  ///< "ABCD-EFGH"
  std::int64_t expires_at_unix_ms = 0;
};

/// What an instructor asks cyranged to create.
struct NewExercise {
  std::string id;  ///< empty: derived from the scenario id
  std::string scenario_yaml;
  std::string scenario_file;  ///< for error messages
  std::vector<std::string> teams;
  std::uint64_t seed = 0;
};

/// Where an exercise stands.
enum class ExerciseState { unknown, provisioning, ready, failed, ended };

/// The state named by the wire's lower-case name; unknown if the client does not know it.
ExerciseState parse_exercise_state(std::string_view name);

/// An exercise as the server reports it.
struct ExerciseSummary {
  std::string id, scenario_id;
  LocalizedText title;
  ExerciseState state = ExerciseState::unknown;
  std::string detail;  ///< why it failed, when it did
  std::vector<std::string> teams;
  std::uint64_t seed = 0;
  /// get() for instructors and admins: the scenario text and its file name.
  std::string scenario_yaml, scenario_file;
};

/// One range-state check as it ran just now (ExerciseClient::run_checks).
struct CheckRun {
  std::string team, objective, part, host;
  bool passed = false;
  std::string detail;  ///< the evidence, or why it did not pass
};

/// ExerciseService, Qt-free: create, look at and end exercises. Asynchronous calls follow
/// call.h; the blocking forms are built on them.
class ExerciseClient {
 public:
  explicit ExerciseClient(Connection connection);

  /// Asynchronous forms of the calls below.
  Call<ExerciseSummary> create_async(const NewExercise& request) const;
  Call<ExerciseSummary> get_async(const std::string& id) const;
  Call<std::vector<ExerciseSummary>> list_async(bool include_ended = false) const;
  Call<ExerciseSummary> end_async(const std::string& id) const;
  Call<std::vector<CheckRun>> run_checks_async(const std::string& id, const std::string& team = {},
                                               const std::string& objective = {}) const;
  /// Starts reverting `team`'s range to its pristine state (instructors, admins); progress
  /// arrives as provisioning events (RangeClient's watch).
  Call<Unit> reset_team_async(const std::string& id, const std::string& team) const;
  /// New join codes, one per team, valid for `ttl` (0: 12 hours); the exercise's older
  /// codes stop working (instructors, admins).
  Call<std::vector<JoinCodeInfo>> create_join_codes_async(
      const std::string& id, std::chrono::seconds ttl = std::chrono::seconds(0)) const;

  /// Creates the exercise; the server provisions its ranges in the background.
  Expected<ExerciseSummary> create(const NewExercise& request) const;
  /// One exercise the caller may see.
  Expected<ExerciseSummary> get(const std::string& id) const;
  /// Exercises the caller may see, newest first.
  Expected<std::vector<ExerciseSummary>> list(bool include_ended = false) const;
  /// Tears the exercise's ranges down and records its end.
  Expected<ExerciseSummary> end(const std::string& id) const;
  /// Runs the unsolved range-state checks now (team, objective: empty for all); instructors.
  Expected<std::vector<CheckRun>> run_checks(const std::string& id, const std::string& team = {},
                                             const std::string& objective = {}) const;

  /// Blocking form of create_join_codes_async.
  Expected<std::vector<JoinCodeInfo>> create_join_codes(
      const std::string& id, std::chrono::seconds ttl = std::chrono::seconds(0)) const;

 private:
  Connection connection_;
};

}  // namespace cyrange::client
