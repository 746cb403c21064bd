// e2e: cyranged killed with SIGKILL while an attack step runs inside a guest, then
// restarted on the same database and port. The exercise must go on as if nothing
// happened: no trainee event lost or stored twice, no step run twice, scores equal
// to a recomputation from the ledger, the exercise still ready with its clock running.
#include <thread>

#include <tests/reliability/live_exercise_fixture.h>

namespace cyrange::reliability {
namespace {

using namespace std::chrono_literals;

class DaemonKillTest : public LiveExerciseTest {
 protected:
  DaemonKillTest() : LiveExerciseTest("rel_kill9") {}
};

TEST_F(DaemonKillTest, ExerciseResumesAfterSigkillWithNothingLostOrDoneTwice) {
  play_through(
      [&](const FaultMoment& moment) {
        std::cerr << "killing cyranged while '" << moment.firing.item << "' runs in "
                  << moment.firing.target << "\n";
        ASSERT_NO_FATAL_FAILURE(kill_daemon());
        // Down long enough for the trainee's recorder to notice and buffer.
        std::this_thread::sleep_for(3s);
        ASSERT_NO_FATAL_FAILURE(start_daemon());
      },
      // The step caught running is run again after the restart (its executor is
      // idempotent); the guest checks prove its effect happened once.
      /*max_attempts_of_interrupted=*/2);
  EXPECT_GE(recorder_streams_, 2u) << "the trainee's recorder never reconnected";
  ASSERT_TRUE(daemon_.has_value());
  const std::string log = daemon_->log();
  EXPECT_NE(log.find("exercise rel_kill9 reopened"), std::string::npos) << log;
  EXPECT_NE(log.find("resumed 1 exercise timeline"), std::string::npos) << log;
}

// The trainee keeps working for minutes while it cannot reach cyranged (from the
// client's side the same as its own network being gone): every event waits in the
// durable buffer and arrives exactly once when the server is back.
TEST_F(DaemonKillTest, TraineeBuffersThroughMinutesWithoutTheServerAndLosesNothing) {
  play_through(
      [&](const FaultMoment&) {
        ASSERT_NO_FATAL_FAILURE(kill_daemon());
        std::this_thread::sleep_for(150s);
        ASSERT_NO_FATAL_FAILURE(start_daemon());
      },
      /*max_attempts_of_interrupted=*/2);
  EXPECT_GE(recorder_streams_, 2u) << "the trainee's recorder never reconnected";
}

}  // namespace
}  // namespace cyrange::reliability
