// Trigger logic of ExerciseTimeline on a hand-driven clock and the in-memory store.
#include <gtest/gtest.h>

#include <orchestrator/timeline/engine.h>
#include <orchestrator/timeline/item_json.h>
#include <orchestrator/timeline/tests/test_items.h>

namespace cyrange::timeline {
namespace {

using namespace testing;

class EngineTest : public ::testing::Test {
 protected:
  void arm(const std::string& team, std::vector<TimelineItem> items) {
    ASSERT_TRUE(store->add_executions("ex1", team, numbered(std::move(items))).ok());
  }
  std::unique_ptr<ExerciseTimeline> open() {
    auto opened = ExerciseTimeline::open("ex1", store, executor, wall,
                                         [this](const TimelineEvent& e) { events.push_back(e); });
    EXPECT_TRUE(opened.has_value()) << opened.error().message;
    return std::move(opened).value();
  }
  void advance_and_tick(ExerciseTimeline& t, double wall_seconds) {
    wall->advance(wall_seconds);
    auto ran = t.tick();
    ASSERT_TRUE(ran.has_value()) << ran.error().message;
  }

  std::shared_ptr<MemoryTimelineStore> store = std::make_shared<MemoryTimelineStore>();
  std::shared_ptr<RecordingExecutor> executor = std::make_shared<RecordingExecutor>();
  std::shared_ptr<ManualTimeSource> wall = std::make_shared<ManualTimeSource>();
  std::vector<TimelineEvent> events;
};

TEST_F(EngineTest, NothingFiresBeforeStartAndAtStepsFireOnTime) {
  arm("t1", {at_step("a", 0), at_step("b", 60), at_step("c", 120)});
  auto t = open();
  advance_and_tick(*t, 500);
  EXPECT_TRUE(executor->calls().empty());
  ASSERT_TRUE(t->start().ok());
  EXPECT_EQ(executor->fired("t1"), (std::vector<std::string>{"a"}));
  advance_and_tick(*t, 59);
  EXPECT_EQ(executor->fired("t1").size(), 1u);
  advance_and_tick(*t, 1);
  EXPECT_EQ(executor->fired("t1"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(state_of(*t, "t1", "b"), "done");
  EXPECT_EQ(state_of(*t, "t1", "c"), "pending");
}

TEST_F(EngineTest, AfterTriggersChainWithDelaysAndSpeed) {
  arm("t1", {at_step("a", 10), after_step("b", "a", 30), after_step("c", "b", 0)});
  auto t = open();
  ASSERT_TRUE(t->set_speed(10).ok());
  ASSERT_TRUE(t->start().ok());
  advance_and_tick(*t, 1);  // T+10
  EXPECT_EQ(executor->fired("t1"), (std::vector<std::string>{"a"}));
  advance_and_tick(*t, 2.9);  // T+39
  EXPECT_EQ(executor->fired("t1").size(), 1u);
  advance_and_tick(*t, 0.1);  // T+40: b, and c right after it (delay 0)
  EXPECT_EQ(executor->fired("t1"), (std::vector<std::string>{"a", "b", "c"}));
  const auto calls = executor->calls();
  EXPECT_NEAR(calls[1].exercise_time, 40, 1e-6);
}

TEST_F(EngineTest, LateCatchUpKeepsDueTimeOrderAcrossChains) {
  arm("t1", {at_step("a", 10), after_step("b", "a", 30), at_step("c", 35), at_step("d", 50)});
  auto t = open();
  ASSERT_TRUE(t->start().ok());
  advance_and_tick(*t, 100);
  EXPECT_EQ(executor->fired("t1"), (std::vector<std::string>{"a", "c", "b", "d"}));
}

TEST_F(EngineTest, PauseFreezesTheTimelineAndResumeContinues) {
  arm("t1", {at_step("a", 60)});
  auto t = open();
  ASSERT_TRUE(t->start().ok());
  advance_and_tick(*t, 30);
  ASSERT_TRUE(t->pause().ok());
  advance_and_tick(*t, 3600);
  EXPECT_TRUE(executor->calls().empty());
  EXPECT_DOUBLE_EQ(t->now(), 30);
  ASSERT_TRUE(t->resume().ok());
  advance_and_tick(*t, 29);
  EXPECT_TRUE(executor->calls().empty());
  advance_and_tick(*t, 1);
  EXPECT_EQ(executor->fired("t1"), (std::vector<std::string>{"a"}));
}

TEST_F(EngineTest, TraineeEventsAndObjectiveStatesTriggerOnlyTheirTeam) {
  const std::vector<TimelineItem> items = {event_step("on-answer", "answer:first-victim"),
                                           event_step("on-hint", "hint:c2-domain"),
                                           objective_message("ciso", "first-victim", "solved")};
  arm("t1", items);
  arm("t2", items);
  auto t = open();
  ASSERT_TRUE(t->start().ok());
  ASSERT_TRUE(t->on_event("t1", "answer:first-victim").ok());
  ASSERT_TRUE(t->on_event("t1", "answer:other").ok());
  ASSERT_TRUE(t->on_objective("t1", "first-victim", "opened").ok());
  EXPECT_EQ(executor->fired("t1"), (std::vector<std::string>{"on-answer"}));
  ASSERT_TRUE(t->on_objective("t1", "first-victim", "solved").ok());
  EXPECT_EQ(executor->fired("t1"), (std::vector<std::string>{"on-answer", "ciso"}));
  EXPECT_TRUE(executor->fired("t2").empty()) << "team t2 did nothing and must see nothing";
  ASSERT_TRUE(t->on_event("t1", "answer:first-victim").ok());
  EXPECT_EQ(executor->fired("t1").size(), 2u) << "an event fires its step once";
  EXPECT_EQ(t->on_event("nobody", "x").error().code, ErrorCode::not_found);
}

TEST_F(EngineTest, ManualFireSkipAndFailedRetry) {
  arm("t1", {manual_step("press"), at_step("x", 100), after_step("y", "x", 10),
             after_step("z", "y", 10), at_step("flaky", 5)});
  auto t = open();
  EXPECT_EQ(t->fire("t1", "press").error().code, ErrorCode::failed_precondition)
      << "firing before the start is refused";
  executor->fail_item("flaky");
  ASSERT_TRUE(t->start().ok());
  ASSERT_TRUE(t->fire("t1", "press").ok());
  EXPECT_EQ(state_of(*t, "t1", "press"), "done");
  EXPECT_EQ(t->fire("t1", "press").error().code, ErrorCode::failed_precondition);

  ASSERT_TRUE(t->skip("t1", "x", "not today").ok());
  EXPECT_EQ(state_of(*t, "t1", "y"), "skipped") << "skipping cascades along after-chains";
  EXPECT_EQ(state_of(*t, "t1", "z"), "skipped");
  advance_and_tick(*t, 500);
  EXPECT_EQ(state_of(*t, "t1", "flaky"), "failed");
  EXPECT_EQ(executor->fired("t1"), (std::vector<std::string>{"press", "flaky"}));

  executor->fail_item("flaky", false);
  ASSERT_TRUE(t->fire("t1", "flaky").ok());
  EXPECT_EQ(state_of(*t, "t1", "flaky"), "done");
  EXPECT_EQ(t->skip("t1", "flaky", "").error().code, ErrorCode::failed_precondition);
  EXPECT_EQ(t->fire("t1", "nope").error().code, ErrorCode::not_found);
}

TEST_F(EngineTest, AManualItemWithAutoAtFiresByItselfAtThatExerciseTime) {
  arm("t1", {auto_step("ceo-call", 120), manual_step("press")});
  auto t = open();
  ASSERT_TRUE(t->set_speed(2).ok());
  ASSERT_TRUE(t->start().ok());
  advance_and_tick(*t, 59.5);  // T+119
  EXPECT_TRUE(executor->fired("t1").empty());
  EXPECT_EQ(state_of(*t, "t1", "ceo-call"), "pending");
  advance_and_tick(*t, 0.5);  // T+120
  EXPECT_EQ(executor->fired("t1"), (std::vector<std::string>{"ceo-call"}));
  EXPECT_NEAR(executor->calls().at(0).exercise_time, 120, 1e-6);
  EXPECT_EQ(state_of(*t, "t1", "press"), "pending") << "without auto_at it waits for a person";
}

TEST(ItemJson, AutoAtRoundTripsAndItemsStoredBeforeItWaitForTheInstructor) {
  auto stored = item_from_json(item_to_json(auto_step("call", 90)));
  ASSERT_TRUE(stored.has_value()) << stored.error().message;
  ASSERT_TRUE(stored->trigger.auto_at_seconds.has_value());
  EXPECT_DOUBLE_EQ(*stored->trigger.auto_at_seconds, 90);
  auto plain = item_from_json(item_to_json(manual_step("press")));
  ASSERT_TRUE(plain.has_value());
  EXPECT_FALSE(plain->trigger.auto_at_seconds.has_value());
  // A row written by an earlier cyrange has no "auto_at_seconds" key at all.
  std::string old = item_to_json(manual_step("press"));
  const std::string key = ",\"auto_at_seconds\":null";
  ASSERT_NE(old.find(key), std::string::npos) << old;
  old.erase(old.find(key), key.size());
  auto older = item_from_json(old);
  ASSERT_TRUE(older.has_value()) << older.error().message;
  EXPECT_FALSE(older->trigger.auto_at_seconds.has_value());
}

TEST_F(EngineTest, AnAutoAtItemFiredOrSkippedByHandEarlierDoesNotFireAgain) {
  arm("t1", {auto_step("call", 120), auto_step("mail", 120), auto_step("late", 120)});
  auto t = open();
  ASSERT_TRUE(t->start().ok());
  advance_and_tick(*t, 30);
  ASSERT_TRUE(t->fire("t1", "call").ok());
  ASSERT_TRUE(t->skip("t1", "mail", "not needed").ok());
  EXPECT_EQ(executor->fired("t1"), (std::vector<std::string>{"call"}));
  advance_and_tick(*t, 90);  // T+120: only the untouched one runs
  advance_and_tick(*t, 600);
  EXPECT_EQ(executor->fired("t1"), (std::vector<std::string>{"call", "late"}));
  EXPECT_EQ(state_of(*t, "t1", "mail"), "skipped");
  EXPECT_NEAR(executor->calls().at(0).exercise_time, 30, 1e-6);
}

TEST_F(EngineTest, DecisionBranchesFollowTheChosenOption) {
  arm("t1", {decision("shutdown", 60, {"isolate", "keep"}),
             event_step("isolated-notice", "decision:shutdown:isolate"),
             after_step("isolated-followup", "isolated-notice", 30),
             event_step("kept-ransom", "decision:shutdown:keep"),
             after_step("kept-followup", "kept-ransom", 30)});
  auto t = open();
  ASSERT_TRUE(t->start().ok());
  EXPECT_EQ(t->choose("t1", "shutdown", "isolate").error().code, ErrorCode::failed_precondition)
      << "a decision not yet presented cannot be answered";
  advance_and_tick(*t, 60);
  EXPECT_EQ(state_of(*t, "t1", "shutdown"), "done");
  EXPECT_EQ(t->choose("t1", "shutdown", "pay").error().code, ErrorCode::invalid_argument);
  ASSERT_TRUE(t->choose("t1", "shutdown", "keep").ok());
  EXPECT_EQ(state_of(*t, "t1", "kept-ransom"), "done");
  EXPECT_EQ(state_of(*t, "t1", "isolated-notice"), "skipped");
  EXPECT_EQ(state_of(*t, "t1", "isolated-followup"), "skipped");
  EXPECT_EQ(state_of(*t, "t1", "kept-followup"), "pending");
  advance_and_tick(*t, 30);
  EXPECT_EQ(state_of(*t, "t1", "kept-followup"), "done");
  EXPECT_EQ(t->choose("t1", "shutdown", "isolate").error().code, ErrorCode::failed_precondition)
      << "a decision is taken once";
}

// Self-paced runs: nobody is there to decide, so the scenario's default option is taken
// once the decision is presented, recorded as an instructor's choice would be.
TEST_F(EngineTest, ChooseDefaultsTakesTheDefaultOptionOfPresentedDecisionsOnly) {
  TimelineItem shutdown = decision("shutdown", 60, {"isolate", "keep"});
  shutdown.default_option = "keep";
  TimelineItem disclose = decision("disclose", 60, {"now", "later"});
  disclose.default_option = "later";
  arm("t1", {shutdown, event_step("isolated-notice", "decision:shutdown:isolate"),
             event_step("kept-ransom", "decision:shutdown:keep"),
             decision("no-default", 60, {"a", "b"}), decision("later", 120, {"x", "y"})});
  arm("t2", {disclose, event_step("told-press", "decision:disclose:now")});
  auto t = open();
  ASSERT_TRUE(t->start().ok());
  auto none = t->choose_defaults();
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_TRUE(none->empty()) << "nothing was presented yet";
  advance_and_tick(*t, 60);
  // Team t2's trainee decided before the engine did: that choice stands.
  ASSERT_TRUE(t->choose("t2", "disclose", "now").ok());
  events.clear();
  auto chosen = t->choose_defaults();
  ASSERT_TRUE(chosen) << chosen.error().message;
  EXPECT_EQ(*chosen, std::vector<std::string>{"t1/shutdown:keep"});
  auto executions = t->executions("t1");
  ASSERT_TRUE(executions);
  for (const auto& e : *executions) {
    if (e.item.id != "shutdown") continue;
    EXPECT_EQ(e.choice, "keep");
    ASSERT_TRUE(e.chosen_at.has_value());
    EXPECT_NEAR(*e.chosen_at, 60, 1e-6);
  }
  EXPECT_EQ(state_of(*t, "t1", "kept-ransom"), "done");
  EXPECT_EQ(state_of(*t, "t1", "isolated-notice"), "skipped");
  EXPECT_EQ(state_of(*t, "t1", "no-default"), "done") << "presented, and left for someone";
  EXPECT_EQ(state_of(*t, "t2", "told-press"), "done");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.front().item_id, "shutdown");
  EXPECT_EQ(events.front().choice, "keep");
  auto again = t->choose_defaults();
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->empty()) << "a decision is taken once";
}

TEST_F(EngineTest, TeamsProgressIndependently) {
  arm("t1", {manual_step("m"), after_step("n", "m", 10)});
  arm("t2", {manual_step("m"), after_step("n", "m", 10)});
  auto t = open();
  ASSERT_TRUE(t->start().ok());
  advance_and_tick(*t, 100);
  ASSERT_TRUE(t->fire("t2", "m").ok());
  advance_and_tick(*t, 10);
  EXPECT_EQ(executor->fired("t2"), (std::vector<std::string>{"m", "n"}));
  EXPECT_TRUE(executor->fired("t1").empty());
  EXPECT_EQ(state_of(*t, "t1", "n"), "pending");
}

TEST_F(EngineTest, EventsReportEveryTransitionAndVisibility) {
  TimelineItem message = at_step("hello", 0);
  message.kind = ItemKind::message;
  arm("t1", {message, at_step("attack", 0)});
  auto t = open();
  ASSERT_TRUE(t->start().ok());
  std::vector<std::string> seen;
  for (const auto& e : events) {
    seen.push_back(e.item_id + ":" + std::string(to_string(e.state)) +
                   (e.trainee_visible ? ":visible" : ""));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"hello:due", "attack:due", "hello:firing",
                                            "hello:done:visible", "attack:firing", "attack:done"}));
}

}  // namespace
}  // namespace cyrange::timeline

namespace cyrange::timeline {
namespace {

// Keeps the parameters and texts each step ran with.
class ParamsExecutor : public StepExecutor {
 public:
  Status execute(const StepContext& context) override {
    seen.push_back(*context.item);
    return Status::success();
  }
  bool idempotent(const TimelineItem&) const override { return true; }
  std::vector<TimelineItem> seen;
};

TEST(EngineTimePlaceholders, StepsRunWithTheGuestClocksTimeFilledIn) {
  auto store = std::make_shared<MemoryTimelineStore>();
  auto steps = std::make_shared<ParamsExecutor>();
  auto wall = std::make_shared<ManualTimeSource>();  // 2023-11-14 22:13:20 UTC
  TimelineItem plant = testing::at_step("plant", 60);
  plant.params["commands"] = "echo '${time.now-5m|syslog}' started ${time.start|iso}";
  plant.text_en = "Planted at ${time.now|time}";
  ASSERT_TRUE(store->add_executions("ex1", "t1", testing::numbered({plant})));
  auto t = ExerciseTimeline::open("ex1", store, steps, wall);
  ASSERT_TRUE(t) << t.error().message;
  ASSERT_TRUE((*t)->start());
  wall->advance(60);
  ASSERT_TRUE((*t)->tick());
  ASSERT_EQ(steps->seen.size(), 1u);
  EXPECT_EQ(steps->seen[0].params.at("commands"),
            "echo 'Nov 14 22:09:20' started 2023-11-14T22:13:20Z");
  EXPECT_EQ(steps->seen[0].text_en, "Planted at 22:14:20");
  // The stored item keeps the placeholders: a re-run fills them in at its own time.
  auto executions = (*t)->executions("t1");
  ASSERT_TRUE(executions);
  EXPECT_EQ(executions->at(0).item.params.at("commands"),
            "echo '${time.now-5m|syslog}' started ${time.start|iso}");
}

}  // namespace
}  // namespace cyrange::timeline
