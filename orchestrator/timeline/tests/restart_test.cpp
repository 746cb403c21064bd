// Kill -9 in miniature: an engine on PostgreSQL fires part of a timeline and is
// dropped without any cleanup, with one execution left 'firing' as a crash in
// the middle of a step leaves it; a new engine on the same database resumes.
// Nothing may run twice and nothing that fell due may be skipped.
#include <map>

#include <gtest/gtest.h>

#include <orchestrator/store/testing/temp_database.h>
#include <orchestrator/timeline/engine.h>
#include <orchestrator/timeline/pg_store.h>
#include <orchestrator/timeline/tests/test_items.h>

namespace cyrange::timeline {
namespace {

using namespace testing;

std::shared_ptr<PgTimelineStore> open_store(const std::string& uri) {
  auto opened = PgTimelineStore::open(uri);
  EXPECT_TRUE(opened.has_value()) << opened.error().message;
  return std::shared_ptr<PgTimelineStore>(std::move(opened).value());
}

// Runs whose count exceeds one, as "id xN" lines.
std::string runs_twice(const RecordingExecutor& executor) {
  std::map<std::int64_t, int> runs;
  for (const auto& call : executor.calls()) ++runs[call.execution_id];
  std::string out;
  for (const auto& [id, n] : runs) {
    if (n > 1) out += std::to_string(id) + " x" + std::to_string(n) + "\n";
  }
  return out;
}

class RestartTest : public ::testing::TestWithParam<bool> {};

TEST_P(RestartTest, ResumesWithoutDuplicatesOrGaps) {
  const bool idempotent = GetParam();
  store::testing::TempDatabase db;
  auto wall = std::make_shared<ManualTimeSource>();
  auto executor = std::make_shared<RecordingExecutor>();  // counts runs per execution id
  executor->set_idempotent(idempotent);
  const auto items = numbered({at_step("a", 10), after_step("b", "a", 20), at_step("c", 60),
                               after_step("d", "c", 30), at_step("e", 200), manual_step("m")});
  std::int64_t interrupted_id = 0;
  {
    auto store = open_store(db.uri());
    ASSERT_TRUE(store->add_executions("ex", "red", items).ok());
    ASSERT_TRUE(store->add_executions("ex", "blue", items).ok());
    auto first = ExerciseTimeline::open("ex", store, executor, wall);
    ASSERT_TRUE(first.has_value()) << first.error().message;
    ASSERT_TRUE((*first)->set_speed(2).ok());
    ASSERT_TRUE((*first)->start().ok());
    wall->advance(20);  // T+40: a and b ran for both teams
    ASSERT_TRUE((*first)->tick().has_value());
    ASSERT_EQ(executor->calls().size(), 4u);
    // The crash hits while c of team red runs: claimed, executor never finished.
    wall->advance(10);  // T+60
    const auto red = (*first)->executions("red");
    for (const auto& e : *red) {
      if (e.item.id == "c") interrupted_id = e.id;
    }
    ExecutionChange due = make_change(interrupted_id, {ExecState::pending}, ExecState::due);
    due.due_at = 60;
    ASSERT_TRUE(*store->change(due));
    ExecutionChange claim = make_change(interrupted_id, {ExecState::due}, ExecState::firing);
    claim.fired_at = 60;
    claim.count_attempt = true;
    ASSERT_TRUE(*store->change(claim));
    // kill -9: the engine object and its connection go away, nothing is finished.
  }
  wall->advance(100);  // down for a while; d (T+90) and e (T+200) fell due meanwhile

  auto store = open_store(db.uri());
  auto second = ExerciseTimeline::open("ex", store, executor, wall);
  ASSERT_TRUE(second.has_value()) << second.error().message;
  EXPECT_NEAR((*second)->now(), 260, 1e-3) << "the clock continues from its persisted state";
  ASSERT_TRUE((*second)->tick().has_value());

  EXPECT_EQ(runs_twice(*executor), "") << "some execution ran more than once";
  for (const char* team : {"red", "blue"}) {
    for (const char* item : {"a", "b", "c", "d", "e"}) {
      const std::string state = state_of(**second, team, item);
      const bool red = std::string(team) == "red";
      if (!idempotent && red && std::string(item) == "c") {
        EXPECT_EQ(state, "failed")
            << "a non-idempotent step caught firing is left to the instructor";
      } else if (!idempotent && red && std::string(item) == "d") {
        continue;  // checked below
      } else {
        EXPECT_EQ(state, "done") << team << "/" << item << " fell due and must have run";
      }
    }
    EXPECT_EQ(state_of(**second, team, "m"), "pending");
  }
  const int expected_runs = idempotent ? 1 : 0;  // the crashed run never reached the recorder
  EXPECT_EQ(executor->runs(interrupted_id), expected_runs);
  if (!idempotent) {
    // Team red's d waits for c, which failed: the instructor decides (fire c again).
    EXPECT_EQ(state_of(**second, "red", "d"), "pending");
  }

  // A third engine finds nothing left to do.
  const auto before = executor->calls().size();
  second->reset();
  auto third = ExerciseTimeline::open("ex", open_store(db.uri()), executor, wall);
  ASSERT_TRUE(third.has_value());
  wall->advance(1000);
  ASSERT_TRUE((*third)->tick().has_value());
  EXPECT_EQ(executor->calls().size(), before);
}

// A manual item's `auto_at` lives in the stored item and its due time in the stored
// execution: a new engine fires what is left of it once, and nothing fired by hand again.
TEST(AutoAtRestart, ANewEngineFiresTheRestOnceAndNothingTwice) {
  store::testing::TempDatabase db;
  auto wall = std::make_shared<ManualTimeSource>();
  auto executor = std::make_shared<RecordingExecutor>();
  const auto items =
      numbered({auto_step("hand", 100), auto_step("auto", 100), auto_step("later", 300)});
  {
    auto store = open_store(db.uri());
    ASSERT_TRUE(store->add_executions("ex", "red", items).ok());
    auto first = ExerciseTimeline::open("ex", store, executor, wall);
    ASSERT_TRUE(first.has_value()) << first.error().message;
    ASSERT_TRUE((*first)->start().ok());
    wall->advance(50);
    ASSERT_TRUE((*first)->fire("red", "hand").ok());
    wall->advance(60);  // T+110: "auto" fell due at 100
    ASSERT_TRUE((*first)->tick().has_value());
    ASSERT_EQ(executor->fired("red"), (std::vector<std::string>{"hand", "auto"}));
  }  // cyranged goes away

  auto second = ExerciseTimeline::open("ex", open_store(db.uri()), executor, wall);
  ASSERT_TRUE(second.has_value()) << second.error().message;
  const auto loaded = (*second)->executions("red");
  ASSERT_TRUE(loaded.has_value());
  for (const auto& e : *loaded) {
    ASSERT_TRUE(e.item.trigger.auto_at_seconds.has_value()) << e.item.id;
    EXPECT_EQ(e.item.trigger.kind, TriggerSpec::Kind::manual);
  }
  ASSERT_TRUE((*second)->tick().has_value());
  EXPECT_EQ(executor->fired("red"), (std::vector<std::string>{"hand", "auto"}));
  EXPECT_EQ(state_of(**second, "red", "later"), "pending");
  wall->advance(190);  // T+300
  ASSERT_TRUE((*second)->tick().has_value());
  EXPECT_EQ(executor->fired("red"), (std::vector<std::string>{"hand", "auto", "later"}));
  EXPECT_EQ(runs_twice(*executor), "");
  EXPECT_NEAR(executor->calls().at(2).exercise_time, 300, 1e-3);
}

INSTANTIATE_TEST_SUITE_P(Executors, RestartTest, ::testing::Values(true, false),
                         [](const auto& info) {
                           return info.param ? "idempotent" : "not_idempotent";
                         });

// The default option of a decision is stored with the item, and the choice the engine
// makes with it is recorded like anyone's: a new engine on the database sees both.
TEST(DefaultDecisionTest, TheDefaultIsStoredAndItsChoiceSurvivesARestart) {
  store::testing::TempDatabase db;
  auto wall = std::make_shared<ManualTimeSource>();
  auto executor = std::make_shared<RecordingExecutor>();
  TimelineItem pay = decision("pay", 30, {"yes", "no"});
  pay.default_option = "no";
  {
    auto store = open_store(db.uri());
    ASSERT_TRUE(store
                    ->add_executions("ex", "solo",
                                     numbered({pay, event_step("refused", "decision:pay:no")}))
                    .ok());
    auto first = ExerciseTimeline::open("ex", store, executor, wall);
    ASSERT_TRUE(first.has_value()) << first.error().message;
    ASSERT_TRUE((*first)->start().ok());
    wall->advance(30);
    ASSERT_TRUE((*first)->tick().has_value());
  }
  auto store = open_store(db.uri());
  auto second = ExerciseTimeline::open("ex", store, executor, wall);
  ASSERT_TRUE(second.has_value()) << second.error().message;
  auto chosen = (*second)->choose_defaults();
  ASSERT_TRUE(chosen) << chosen.error().message;
  EXPECT_EQ(*chosen, std::vector<std::string>{"solo/pay:no"});
  auto third = ExerciseTimeline::open("ex", open_store(db.uri()), executor, wall);
  ASSERT_TRUE(third.has_value()) << third.error().message;
  auto executions = (*third)->executions("solo");
  ASSERT_TRUE(executions);
  ASSERT_EQ(executions->size(), 2u);
  EXPECT_EQ((*executions)[0].item.default_option, "no");
  EXPECT_EQ((*executions)[0].choice, "no");
  EXPECT_TRUE((*executions)[0].chosen_at.has_value());
  EXPECT_EQ((*executions)[1].state, ExecState::done);
}

}  // namespace
}  // namespace cyrange::timeline
