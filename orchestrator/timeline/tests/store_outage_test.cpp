// The store going away for a while (PostgreSQL restarted) while the engine runs: a
// step that ends during the outage is recorded once the store is back, so what
// follows it still falls due; nothing runs twice.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <orchestrator/timeline/engine.h>
#include <orchestrator/timeline/tests/test_items.h>

namespace cyrange::timeline {
namespace {

using namespace testing;

/// The in-memory store with an outage switch. `lose_acks` makes a change that went
/// through report failure anyway, as a commit does when the connection breaks after it.
class OutageStore : public TimelineStore {
 public:
  Status add_executions(const std::string& exercise, const std::string& team,
                        const std::vector<TimelineItem>& items) override {
    return inner.add_executions(exercise, team, items);
  }
  Expected<std::vector<Execution>> load(const std::string& exercise) override {
    if (down) return outage();
    return inner.load(exercise);
  }
  Expected<std::vector<std::string>> exercises() override { return inner.exercises(); }
  Expected<bool> change(const ExecutionChange& change) override {
    if (down) return outage();
    auto changed = inner.change(change);
    if (lose_acks) return outage();
    return changed;
  }
  Expected<std::optional<ClockState>> load_clock(const std::string& exercise) override {
    return inner.load_clock(exercise);
  }
  Status save_clock(const std::string& exercise, const ClockState& state) override {
    if (down) return outage();
    return inner.save_clock(exercise, state);
  }
  Expected<std::optional<std::string>> team_name(std::int64_t team_id) override {
    return inner.team_name(team_id);
  }

  MemoryTimelineStore inner;
  bool down = false;
  bool lose_acks = false;

 private:
  static Error outage() {
    return make_error(ErrorCode::unavailable, "The test store is down (a simulated outage).");
  }
};

/// Runs steps through a RecordingExecutor; running item `trigger` starts `on_run`.
class OutageDuringStep : public StepExecutor {
 public:
  Status execute(const StepContext& context) override {
    if (context.item->id == trigger && on_run) on_run();
    return recorder.execute(context);
  }
  bool idempotent(const TimelineItem& item) const override { return recorder.idempotent(item); }

  RecordingExecutor recorder;
  std::string trigger;
  std::function<void()> on_run;
};

class StoreOutageTest : public ::testing::Test {
 protected:
  std::unique_ptr<ExerciseTimeline> open() {
    auto opened = ExerciseTimeline::open("ex", store, executor, wall);
    EXPECT_TRUE(opened.has_value()) << opened.error().message;
    return std::move(opened).value();
  }

  // Steps a (at T+10) and b (after a); `during_a` happens while a runs, at the first tick.
  std::unique_ptr<ExerciseTimeline> run_a_with(std::function<void()> during_a, double b_delay) {
    EXPECT_TRUE(store
                    ->add_executions("ex", "red",
                                     numbered({at_step("a", 10), after_step("b", "a", b_delay)}))
                    .ok());
    auto t = open();
    EXPECT_TRUE(t->start().ok());
    executor->trigger = "a";
    executor->on_run = std::move(during_a);
    wall->advance(10);
    (void)t->tick();  // runs a, then fails to store its end
    executor->on_run = nullptr;
    return t;
  }

  std::shared_ptr<OutageStore> store = std::make_shared<OutageStore>();
  std::shared_ptr<OutageDuringStep> executor = std::make_shared<OutageDuringStep>();
  std::shared_ptr<ManualTimeSource> wall = std::make_shared<ManualTimeSource>();
};

TEST_F(StoreOutageTest, AStepEndingDuringAnOutageIsRecordedAfterItAndItsFollowerRuns) {
  auto t = run_a_with([this] { store->down = true; }, 5);  // the database goes while a runs
  EXPECT_EQ(executor->recorder.fired("red"), (std::vector<std::string>{"a"}));
  EXPECT_EQ(state_of(*t, "red", "a"), "firing") << "its end could not be stored yet";
  wall->advance(10);
  EXPECT_FALSE(t->tick().has_value()) << "ticks fail while the store is down";
  store->down = false;
  ASSERT_TRUE(t->tick().has_value());
  EXPECT_EQ(state_of(*t, "red", "a"), "done");
  wall->advance(5);
  ASSERT_TRUE(t->tick().has_value());
  EXPECT_EQ(state_of(*t, "red", "b"), "done");
  EXPECT_EQ(executor->recorder.fired("red"), (std::vector<std::string>{"a", "b"}));
  auto stored = store->inner.load("ex");
  ASSERT_TRUE(stored.has_value());
  for (const auto& e : *stored) EXPECT_EQ(e.attempts, 1) << e.item.id;
}

TEST_F(StoreOutageTest, AnEndStoredWhoseAcknowledgementWasLostIsTakenFromTheStore) {
  // a's end commits, but the acknowledgement is lost.
  auto t = run_a_with([this] { store->lose_acks = true; }, 0);
  store->lose_acks = false;
  ASSERT_TRUE(t->tick().has_value());
  EXPECT_EQ(state_of(*t, "red", "a"), "done");
  EXPECT_EQ(state_of(*t, "red", "b"), "done");
  EXPECT_EQ(executor->recorder.fired("red"), (std::vector<std::string>{"a", "b"}));
}

TEST_F(StoreOutageTest, ReRunsAfterACrashSurviveAFirstTickThatFails) {
  ASSERT_TRUE(
      store
          ->add_executions("ex", "red",
                           numbered({at_step("a", 10), after_step("b", "a", 0), at_step("c", 15)}))
          .ok());
  std::int64_t interrupted = 0;
  {
    auto first = open();
    ASSERT_TRUE(first->start().ok());
    interrupted = first->executions("red")->front().id;
  }
  // A crash left a 'firing' (its executor is idempotent, so it is run again).
  store->inner.force_state(interrupted, ExecState::firing);
  wall->advance(20);
  auto t = open();
  store->down = true;
  EXPECT_FALSE(t->tick().has_value()) << "c falls due, which needs the store";
  EXPECT_TRUE(executor->recorder.calls().empty());
  store->down = false;
  ASSERT_TRUE(t->tick().has_value());
  for (const char* item : {"a", "b", "c"}) EXPECT_EQ(state_of(*t, "red", item), "done") << item;
  EXPECT_EQ(executor->recorder.runs(interrupted), 1);
}

}  // namespace
}  // namespace cyrange::timeline
