// The engine must fire the shipped scenario exactly as `cyrange scenario dry-run`
// (scenario::plan_timeline) announces it, whatever the speed and pauses.
#include <algorithm>
#include <filesystem>

#include <gtest/gtest.h>

#include <orchestrator/scenario/dry_run.h>
#include <orchestrator/scenario/parser.h>
#include <orchestrator/scenario/variables.h>
#include <orchestrator/timeline/compile.h>
#include <orchestrator/timeline/engine.h>

namespace cyrange::timeline {
namespace {

const std::filesystem::path kShipped =
    std::filesystem::path(CYRANGE_SOURCE_DIR) / "scenarios" / "targeted-email" / "scenario.yaml";

std::string kind_name(scenario::PlannedEvent::Kind kind) {
  switch (kind) {
    case scenario::PlannedEvent::Kind::message:
      return "message";
    case scenario::PlannedEvent::Kind::step:
      return "step";
    case scenario::PlannedEvent::Kind::objective:
      return "objective";
  }
  return "";
}

struct Fired {
  std::string what;  // "step:first-contact"
  double at;
};

class PlanTest : public ::testing::TestWithParam<double> {
 protected:
  void SetUp() override {
    auto loaded = scenario::load_scenario(kShipped);
    ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
    scenario_ = std::move(loaded).value();
    const auto vars = scenario::resolve_variables(scenario_, 42, "t1");
    ASSERT_TRUE(store_->add_executions("ex", "t1", compile_timeline(scenario_, vars)).ok());
    for (const auto& e : scenario::plan_timeline(scenario_)) {
      if (e.timed) planned_.push_back({kind_name(e.kind) + ":" + e.id, double(e.at_seconds)});
    }
    ASSERT_GE(planned_.size(), 10u);
  }

  // Exercise time of every executor call, with its kind, in call order.
  std::vector<Fired> fired(const ExerciseTimeline& t) {
    std::vector<Fired> out;
    for (const auto& call : executor_->calls()) {
      auto executions = t.executions("t1");
      for (const auto& e : *executions) {
        if (e.id == call.execution_id) {
          out.push_back(
              {std::string(to_string(e.item.kind)) + ":" + e.item.id, call.exercise_time});
        }
      }
    }
    return out;
  }

  scenario::Scenario scenario_;
  std::vector<Fired> planned_;
  std::shared_ptr<MemoryTimelineStore> store_ = std::make_shared<MemoryTimelineStore>();
  std::shared_ptr<RecordingExecutor> executor_ = std::make_shared<RecordingExecutor>();
  std::shared_ptr<ManualTimeSource> wall_ = std::make_shared<ManualTimeSource>();
};

TEST_P(PlanTest, FiresTimedItemsInPlanOrderAtPlannedTimes) {
  const double speed = GetParam();
  auto t = ExerciseTimeline::open("ex", store_, executor_, wall_);
  ASSERT_TRUE(t.has_value());
  ASSERT_TRUE((*t)->set_speed(speed).ok());
  ASSERT_TRUE((*t)->start().ok());
  double last = 0;
  bool paused_once = false;
  for (const auto& p : planned_) {
    // A pause halfway must shift nothing on the exercise clock.
    if (!paused_once && p.at > 1800) {
      ASSERT_TRUE((*t)->pause().ok());
      wall_->advance(900);
      ASSERT_TRUE((*t)->tick().has_value());
      ASSERT_TRUE((*t)->resume().ok());
      paused_once = true;
    }
    wall_->advance((p.at - last) / speed);
    last = p.at;
    ASSERT_TRUE((*t)->tick().has_value());
  }
  const auto got = fired(**t);
  ASSERT_EQ(got.size(), planned_.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].what, planned_[i].what) << "position " << i;
    EXPECT_NEAR(got[i].at, planned_[i].at, 1e-3) << got[i].what;
  }
  // The rest waits for people: manual, events, objectives.
  const auto executions = (*t)->executions("t1");
  const auto pending =
      std::count_if(executions->begin(), executions->end(),
                    [](const Execution& e) { return e.state == ExecState::pending; });
  EXPECT_EQ(static_cast<std::size_t>(pending), executions->size() - planned_.size());
}

TEST_P(PlanTest, OneLateTickCatchesUpInPlanOrder) {
  auto t = ExerciseTimeline::open("ex", store_, executor_, wall_);
  ASSERT_TRUE(t.has_value());
  ASSERT_TRUE((*t)->set_speed(GetParam()).ok());
  ASSERT_TRUE((*t)->start().ok());
  wall_->advance(planned_.back().at / GetParam() + 1);
  ASSERT_TRUE((*t)->tick().has_value());
  const auto got = fired(**t);
  ASSERT_EQ(got.size(), planned_.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].what, planned_[i].what);
}

INSTANTIATE_TEST_SUITE_P(Speeds, PlanTest, ::testing::Values(1.0, 60.0));

}  // namespace
}  // namespace cyrange::timeline
