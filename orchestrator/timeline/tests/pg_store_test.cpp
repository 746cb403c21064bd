// PgTimelineStore against a real, throw-away PostgreSQL database.
#include <gtest/gtest.h>

#include <orchestrator/store/testing/temp_database.h>
#include <orchestrator/timeline/pg_store.h>
#include <orchestrator/timeline/tests/test_items.h>

namespace cyrange::timeline {
namespace {

using namespace testing;

TEST(PgTimelineStore, RoundTripsItemsClocksAndCompareAndSet) {
  store::testing::TempDatabase db;
  auto opened = PgTimelineStore::open(db.uri());
  ASSERT_TRUE(opened.has_value()) << opened.error().message;
  PgTimelineStore& store = **opened;

  TimelineItem lure = after_step("lure", "contact", 600);
  lure.params = {{"to", "koho@city.example"}, {"subject", "取材のお願い"}};
  lure.text_ja = "添付を送る";
  lure.technique = "T1566.001";
  const auto items = numbered({decision("contact", 300, {"isolate", "keep"}), lure});
  ASSERT_TRUE(store.add_executions("ex", "red", items).ok());
  ASSERT_TRUE(store.add_executions("ex", "red", items).ok()) << "arming twice is harmless";
  auto loaded = store.load("ex");
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  ASSERT_EQ(loaded->size(), 2u);
  const Execution& l = (*loaded)[1];
  EXPECT_EQ(l.item.id, "lure");
  EXPECT_EQ(l.item.trigger.kind, TriggerSpec::Kind::after);
  EXPECT_EQ(l.item.trigger.after, "contact");
  EXPECT_DOUBLE_EQ(l.item.trigger.delay_seconds, 600);
  EXPECT_EQ(l.item.params.at("subject"), "取材のお願い");
  EXPECT_EQ(l.item.text_ja, "添付を送る");
  EXPECT_EQ((*loaded)[0].item.options, (std::vector<std::string>{"isolate", "keep"}));
  EXPECT_EQ(l.state, ExecState::pending);
  EXPECT_FALSE(l.due_at.has_value());

  ExecutionChange due = make_change(l.id, {ExecState::pending}, ExecState::due);
  due.due_at = 900.25;
  ASSERT_TRUE(*store.change(due));
  ExecutionChange claim = make_change(l.id, {ExecState::due}, ExecState::firing);
  claim.fired_at = 901;
  claim.count_attempt = true;
  EXPECT_TRUE(*store.change(claim));
  EXPECT_FALSE(*store.change(claim)) << "a second claim must lose";
  auto after = store.load("ex");
  const Execution& fired = (*after)[1];
  EXPECT_EQ(fired.state, ExecState::firing);
  EXPECT_DOUBLE_EQ(*fired.due_at, 900.25);
  EXPECT_DOUBLE_EQ(*fired.fired_at, 901);
  EXPECT_EQ(fired.attempts, 1);

  ManualTimeSource wall;
  ExerciseClock clock(wall);
  ASSERT_TRUE(clock.start().ok());
  ASSERT_TRUE(clock.set_speed(12).ok());
  wall.advance(10);
  ASSERT_TRUE(clock.pause().ok());
  ASSERT_TRUE(store.save_clock("ex", clock.state()).ok());
  auto saved = store.load_clock("ex");
  ASSERT_TRUE(saved.has_value() && saved->has_value());
  ExerciseClock restored(wall, **saved);
  EXPECT_NEAR(restored.now(), 120, 1e-3);
  EXPECT_TRUE(restored.paused());
  EXPECT_DOUBLE_EQ((*saved)->speed, 12);
  EXPECT_FALSE(store.load_clock("other")->has_value());
  EXPECT_EQ(*store.exercises(), (std::vector<std::string>{"ex"}));
  EXPECT_FALSE(store.team_name(987654)->has_value());
}

}  // namespace
}  // namespace cyrange::timeline
