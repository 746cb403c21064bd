// Who may list, steer and watch timelines, without gRPC.
#include <gtest/gtest.h>

#include <orchestrator/timeline/control.h>
#include <orchestrator/timeline/tests/test_items.h>

namespace cyrange::timeline {
namespace {

using namespace testing;
using identity::Identity;
using identity::Role;

Identity person(Role role, std::optional<std::int64_t> team = std::nullopt) {
  return Identity{1, std::string(identity::to_string(role)), role, team};
}

class ControlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store->add_team(11, "red");
    store->add_team(12, "blue");
    TimelineItem notice = at_step("notice", 0);
    notice.kind = ItemKind::message;
    notice.text_en = "The exercise starts.";
    TimelineItem attack = at_step("lure", 0);
    attack.params["to"] = "victim@example.org";
    for (const char* team : {"red", "blue"}) {
      ASSERT_TRUE(
          store->add_executions("ex", team, numbered({notice, attack, manual_step("later")})).ok());
    }
    ASSERT_TRUE(hub.resume_all().ok());
  }

  std::shared_ptr<MemoryTimelineStore> store = std::make_shared<MemoryTimelineStore>();
  std::shared_ptr<RecordingExecutor> executor = std::make_shared<RecordingExecutor>();
  std::shared_ptr<ManualTimeSource> wall = std::make_shared<ManualTimeSource>();
  TimelineHub hub{store, executor, wall};
  TimelineControl control{hub};
};

TEST_F(ControlTest, OnlyStaffSteerTheTimelineAndTheClock) {
  for (const Identity& who : {person(Role::trainee, 11), person(Role::designer)}) {
    EXPECT_EQ(control.clock(who, "ex", TimelineControl::ClockOp::start).error().code,
              ErrorCode::permission_denied);
    EXPECT_EQ(control.fire(who, "ex", "red", "later").error().code, ErrorCode::permission_denied);
    EXPECT_EQ(control.skip(who, "ex", "red", "later", "").error().code,
              ErrorCode::permission_denied);
  }
  EXPECT_TRUE(executor->calls().empty());
  ASSERT_TRUE(control.clock(person(Role::instructor), "ex", TimelineControl::ClockOp::start));
  ASSERT_TRUE(control.fire(person(Role::admin), "ex", "red", "later").ok());
  auto paused = control.clock(person(Role::instructor), "ex", TimelineControl::ClockOp::pause);
  ASSERT_TRUE(paused.has_value());
  EXPECT_TRUE(paused->paused);
  EXPECT_EQ(control.fire(person(Role::instructor), "nope", "red", "x").error().code,
            ErrorCode::not_found);
}

TEST_F(ControlTest, TraineesSeeOnlyDeliveredVisibleItemsOfTheirOwnTeam) {
  ASSERT_TRUE(control.clock(person(Role::instructor), "ex", TimelineControl::ClockOp::start));
  const Identity red = person(Role::trainee, 11);
  EXPECT_EQ(control.list(red, "ex", "blue").error().code, ErrorCode::permission_denied);
  EXPECT_EQ(control.list(person(Role::designer), "ex", "red").error().code,
            ErrorCode::permission_denied);
  auto mine = control.list(red, "ex", "red");
  ASSERT_TRUE(mine.has_value()) << mine.error().message;
  ASSERT_EQ(mine->executions.size(), 1u) << "only the delivered message, not the attack step";
  EXPECT_EQ(mine->executions[0].item.id, "notice");
  EXPECT_EQ(mine->executions[0].item.text_en, "The exercise starts.");
  auto all = control.list(person(Role::instructor), "ex", "red");
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->executions.size(), 3u);
  EXPECT_EQ(all->executions[1].item.params.at("to"), "victim@example.org");
}

TEST_F(ControlTest, WatchingIsLimitedToTheTraineesTeamAndVisibleEvents) {
  const Identity red = person(Role::trainee, 11);
  EXPECT_TRUE(control.authorize_watch(red, "ex", "red").ok());
  EXPECT_EQ(control.authorize_watch(red, "ex", "blue").error().code, ErrorCode::permission_denied);
  EXPECT_EQ(control.authorize_watch(red, "ex", "").error().code, ErrorCode::permission_denied);
  EXPECT_EQ(control.authorize_watch(person(Role::trainee), "ex", "red").error().code,
            ErrorCode::permission_denied);
  EXPECT_TRUE(control.authorize_watch(person(Role::instructor), "ex", "").ok());

  TimelineEvent attack;
  attack.exercise = "ex";
  attack.team = "red";
  attack.item_id = "lure";
  attack.state = ExecState::done;
  TimelineEvent message = attack;
  message.item_id = "notice";
  message.trainee_visible = true;
  EXPECT_FALSE(TimelineControl::should_deliver(red, "ex", "red", attack));
  EXPECT_TRUE(TimelineControl::should_deliver(red, "ex", "red", message));
  EXPECT_TRUE(TimelineControl::should_deliver(person(Role::instructor), "ex", "", attack));
  message.team = "blue";
  EXPECT_FALSE(TimelineControl::should_deliver(red, "ex", "red", message));
}

}  // namespace
}  // namespace cyrange::timeline
