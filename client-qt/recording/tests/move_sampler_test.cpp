#include <client-qt/recording/move_sampler.h>

#include <vector>

#include <gtest/gtest.h>

namespace cyrange::qt::recording {
namespace {

using namespace std::chrono_literals;

PendingInput move_at(std::int64_t ms, int x, int y) {
  PendingInput move;
  move.kind = client::TraineeEventKind::mouse_move;
  move.input_ms = ms;
  move.monotonic_ns = ms * 1'000'000;
  move.x = x;
  move.y = y;
  move.count = 1;
  return move;
}

TEST(MoveSampler, MovesWithinOneIntervalBecomeOneSampleWithTheLastPosition) {
  MoveSampler sampler(50ms);
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(sampler.add(move_at(1000 + 4 * i, i, 2 * i)));
  ASSERT_TRUE(sampler.holding());
  const auto sample = sampler.take();
  ASSERT_TRUE(sample);
  EXPECT_EQ(sample->count, 10u);
  EXPECT_EQ(sample->x, 9);
  EXPECT_EQ(sample->y, 18);
  EXPECT_EQ(sample->monotonic_ns, 1036 * 1'000'000);
  EXPECT_FALSE(sampler.holding());
  EXPECT_FALSE(sampler.take());
}

TEST(MoveSampler, AThousandHertzForOneSecondGivesTwentySamples) {
  MoveSampler sampler(50ms);
  std::vector<PendingInput> samples;
  for (int i = 0; i < 1000; ++i) {
    if (auto closed = sampler.add(move_at(i, i, 0))) samples.push_back(*closed);
  }
  if (auto last = sampler.take()) samples.push_back(*last);
  ASSERT_EQ(samples.size(), 20u);
  std::uint32_t total = 0;
  for (const auto& s : samples) {
    EXPECT_EQ(s.count, 50u);
    total += s.count;
  }
  EXPECT_EQ(total, 1000u);
  EXPECT_EQ(samples.back().x, 999);
}

TEST(MoveSampler, AMoveOneIntervalLaterOrFromAnEarlierClockOpensANewWindow) {
  MoveSampler sampler(50ms);
  EXPECT_FALSE(sampler.add(move_at(100, 1, 1)));
  auto closed = sampler.add(move_at(150, 2, 2));
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->x, 1);
  EXPECT_EQ(closed->count, 1u);
  // The input clock went back (e.g. another device): never merged across the jump.
  closed = sampler.add(move_at(20, 3, 3));
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->x, 2);
}

TEST(MoveSampler, AlreadyCoalescedMovesKeepTheirCount) {
  MoveSampler sampler(50ms);
  PendingInput move = move_at(0, 0, 0);
  move.count = 7;
  EXPECT_FALSE(sampler.add(move));
  EXPECT_FALSE(sampler.add(move_at(10, 5, 5)));
  EXPECT_EQ(sampler.take()->count, 8u);
}

TEST(KeyName, NamesKeysAsTheRecorderDoes) {
  EXPECT_EQ(key_name(Qt::Key_A), "a");
  EXPECT_EQ(key_name(Qt::Key_5), "5");
  EXPECT_EQ(key_name(Qt::Key_Slash), "/");
  EXPECT_EQ(key_name(Qt::Key_Return), "Return");
  EXPECT_EQ(key_name(Qt::Key_Backspace), "Backspace");
  EXPECT_EQ(key_name(Qt::Key_F5), "F5");
  EXPECT_EQ(key_name(Qt::Key_Shift), "Shift");
  EXPECT_EQ(key_name(Qt::Key_Adiaeresis), "ä");
  EXPECT_EQ(key_name(0), "");
}

TEST(ToTraineeEvent, SecretAndTerminalKeysLoseNameTextAndModifiers) {
  PendingInput input;
  input.kind = client::TraineeEventKind::key;
  input.key = Qt::Key_P;
  input.text = QStringLiteral("p");
  input.modifiers = 1;
  input.exercise = QStringLiteral("ex-1");
  const auto plain = to_trainee_event(input);
  EXPECT_EQ(plain.key, "p");
  EXPECT_EQ(plain.text, "p");
  EXPECT_EQ(plain.exercise_id, "ex-1");

  input.secret = true;
  const auto secret = to_trainee_event(input);
  EXPECT_TRUE(secret.secret);
  EXPECT_EQ(secret.key, "");
  EXPECT_EQ(secret.text, "");
  EXPECT_EQ(secret.modifiers, 0u);

  input.secret = false;
  input.timing_only = true;
  input.target = QStringLiteral("ws01");
  const auto terminal = to_trainee_event(input);
  EXPECT_EQ(terminal.key, "");
  EXPECT_EQ(terminal.text, "");
  EXPECT_EQ(terminal.target, "ws01");
}

}  // namespace
}  // namespace cyrange::qt::recording
