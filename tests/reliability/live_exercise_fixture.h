#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include <client-core/connection.h>
#include <client-core/scoring_client.h>
#include <orchestrator/daemon/daemon_process.h>
#include <orchestrator/scenario/scenario.h>
#include <orchestrator/store/testing/temp_database.h>
#include <tests/reliability/recording_trainee.h>

namespace cyrange::reliability {

/// One timeline execution as PostgreSQL holds it.
struct ExecutionRow {
  std::int64_t id = 0;
  std::string item, state, kind, type, target;
  int attempts = 0;
  std::string fired_at, finished_at;  ///< exercise seconds as text; empty when NULL
};

/// What happened at the fault: the step that was running and the timeline just before.
struct FaultMoment {
  ExecutionRow firing;                          ///< the step caught 'firing'
  std::map<std::int64_t, ExecutionRow> before;  ///< every execution just before the fault
};

/// One exercise of scenarios/quick-check (one team, three tiny guests on the real
/// libvirt) served by a cyranged child process over TLS on a throw-away database, with
/// an instructor and one trainee enrolled. A test subclass names the exercise and
/// injects a fault through play_through(); TearDown ends the exercise even when the
/// test failed and checks that no libvirt object of it is left.
class LiveExerciseTest : public ::testing::Test {
 protected:
  /// `exercise` is the exercise id, also the prefix of every libvirt object (cyr-<id>-).
  /// Without `create_in_setup` the test creates the exercise itself (e.g. through the
  /// console), with kSeed and team_.
  explicit LiveExerciseTest(std::string exercise, bool create_in_setup = true);

  void SetUp() override;
  void TearDown() override;

  /// Starts cyranged on the fixture's port and database; the previous one must be gone.
  void start_daemon();
  /// SIGKILL, as a crash or the OOM killer would.
  void kill_daemon();
  /// Whether the current cyranged is still running.
  bool daemon_running();

  /// A fresh channel with the instructor's token (`timeout` per call).
  client::Connection instructor(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  /// A fresh channel with the trainee's token.
  client::Connection trainee();

  /// The whole play with `fault` in its middle: clock at x10, a recording trainee,
  /// scoring before, during and after the fault, the fault injected while a step runs
  /// inside a guest, then every assertion of the brief: the exact recording, each step
  /// once, scores equal to a recomputation, the exercise still ready and progressing.
  /// `max_attempts_of_interrupted` bounds the attempts of the step caught running.
  void play_through(const std::function<void(const FaultMoment&)>& fault,
                    int max_attempts_of_interrupted);

  /// Submits until the server answers (retrying while it is unreachable); the verdict.
  std::string submit_until_answered(const std::string& objective, const std::string& answer,
                                    std::chrono::milliseconds budget);
  /// Takes a hint until the server answers; the verdict.
  std::string hint_until_answered(const std::string& objective, std::chrono::milliseconds budget);

  /// Every timeline execution of the exercise, by id.
  std::map<std::int64_t, ExecutionRow> executions() const;
  /// Runs `sql` on the test database; the first field of the first row.
  std::string query(const std::string& sql) const;
  /// The CA certificate clients must trust.
  std::filesystem::path ca_file() const;
  /// The scenario the fixture plays (scenarios/quick-check).
  static std::filesystem::path scenario_file();
  /// Publishes the scenario as self-paced course `id`, open to every trainee, whose
  /// clock runs `clock_speed` exercise seconds per second.
  void publish_course(const std::string& id, double clock_speed);

  /// Draws the team's variables, so the test knows the right answers.
  static constexpr std::uint64_t kSeed = 8;

  const std::string exercise_;
  const bool create_in_setup_;
  const std::string team_ = "team1";
  std::filesystem::path dir_;  ///< temporary files: TLS, logs, the trainee's buffer
  std::unique_ptr<store::testing::TempDatabase> db_;
  std::optional<scenario::Scenario> scenario_;
  std::map<std::string, std::string> variables_;  ///< the team's drawn variables
  std::string instructor_token_, trainee_token_;
  std::string address_;  ///< 127.0.0.1:<port>, kept across restarts
  std::optional<daemon::DaemonProcess> daemon_;
  int daemon_runs_ = 0;
  std::uint64_t recorder_streams_ = 0;  ///< streams the trainee's recorder opened in play_through

 private:
  void create_exercise();
  void end_exercise();
  void expect_recording_exact(RecordingTrainee& trainee);
  void expect_each_step_once(const FaultMoment& fault, int max_attempts_of_interrupted);
  void expect_guest_effects_once();
  void expect_scoreboard_recomputes();
  void expect_ledger_once();
  void expect_ready_and_progressing();
};

}  // namespace cyrange::reliability
