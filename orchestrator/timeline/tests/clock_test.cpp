#include <gtest/gtest.h>

#include <orchestrator/timeline/clock.h>

namespace cyrange::timeline {
namespace {

TEST(ExerciseClock, StandsAtZeroUntilStarted) {
  ManualTimeSource wall;
  ExerciseClock clock(wall);
  wall.advance(100);
  EXPECT_DOUBLE_EQ(clock.now(), 0);
  EXPECT_FALSE(clock.pause().ok());
  ASSERT_TRUE(clock.start().ok());
  wall.advance(7.5);
  EXPECT_DOUBLE_EQ(clock.now(), 7.5);
  EXPECT_FALSE(clock.start().ok()) << "a second start must be refused";
}

TEST(ExerciseClock, IntegratesSpeedOverUnpausedWallTime) {
  ManualTimeSource wall;
  ExerciseClock clock(wall);
  ASSERT_TRUE(clock.start().ok());
  wall.advance(10);  // 10 at x1
  ASSERT_TRUE(clock.set_speed(6).ok());
  wall.advance(5);  // 30 at x6
  ASSERT_TRUE(clock.pause().ok());
  wall.advance(1000);  // frozen
  EXPECT_DOUBLE_EQ(clock.now(), 40);
  ASSERT_TRUE(clock.set_speed(2).ok());  // while paused: applies after resume
  ASSERT_TRUE(clock.resume().ok());
  wall.advance(3);  // 6 at x2
  EXPECT_DOUBLE_EQ(clock.now(), 46);
  EXPECT_FALSE(clock.resume().ok());
  EXPECT_FALSE(clock.set_speed(0).ok());
  EXPECT_FALSE(clock.set_speed(-1).ok());
}

TEST(ExerciseClock, PersistedStateContinuesInANewClock) {
  ManualTimeSource wall;
  ClockState saved;
  {
    ExerciseClock clock(wall);
    ASSERT_TRUE(clock.start().ok());
    ASSERT_TRUE(clock.set_speed(4).ok());
    wall.advance(10);
    saved = clock.state();
  }
  wall.advance(5);  // the daemon was down; exercise time keeps running (x4)
  ExerciseClock restored(wall, saved);
  EXPECT_DOUBLE_EQ(restored.now(), 60);
  EXPECT_TRUE(restored.started());
}

}  // namespace
}  // namespace cyrange::timeline
