// compute_analytics on hand-made inputs: every number checked against a hand count.
#include <gtest/gtest.h>

#include <orchestrator/analytics/analytics.h>

namespace cyrange::analytics {
namespace {

constexpr std::int64_t kStart = 1714554000000000;  // 2024-05-01 09:00:00 UTC

std::int64_t at(double seconds) { return kStart + static_cast<std::int64_t>(seconds * 1e6); }

AnalyticsInput day() {
  AnalyticsInput in;
  in.exercise = "ex";
  in.start_unix_us = kStart;
  in.teams = {"red", "blue", "green"};
  auto act = [&](const char* team, const char* who, const char* kind, double s,
                 std::int64_t idle_ms = 0) {
    in.actions.push_back({team, who, kind, at(s), idle_ms});
  };
  act("red", "p-alice", "command", 40);
  act("red", "p-alice", "command", 10);  // out of order on purpose
  act("red", "p-alice", "command", 20);
  act("red", "p-alice", "hint", 25);
  act("red", "p-alice", "idle", 50, 30000);
  act("red", "p-alice", "answer", 55);
  act("red", "p-alice", "command", 70);
  act("red", "p-dave", "idle", 5, 2500);  // idle is not an action
  act("red", "p-dave", "command", 30);
  act("red", "p-dave", "command", 100);  // after the last solve: counts for no objective
  act("blue", "p-bob", "command", 15);
  in.ledger = {{"red", "c2-domain", "solve", at(90)},
               {"red", "first-victim", "hint", at(26)},
               {"red", "first-victim", "solve", at(60)},
               {"red", "first-victim", "solve", at(95)},  // a second solve is not a new one
               {"blue", "first-victim", "solve", at(120)}};
  return in;
}

const ActorAnalytics& row(const std::vector<ActorAnalytics>& rows, const std::string& team,
                          const std::string& trainee = "") {
  for (const auto& r : rows)
    if (r.team == team && r.trainee == trainee) return r;
  throw std::runtime_error("no row " + team + "/" + trainee);
}

TEST(Analytics, TeamRowsAddUpTheirTraineesAgainstTheLedger) {
  const ExerciseAnalytics a = compute_analytics(day());
  ASSERT_EQ(a.teams.size(), 3u);  // green has no data but is reported
  const auto& red = row(a.teams, "red");
  ASSERT_TRUE(red.first_action_s);
  EXPECT_DOUBLE_EQ(*red.first_action_s, 10);
  ASSERT_EQ(red.objectives.size(), 2u);
  EXPECT_EQ(red.objectives[0].objective, "first-victim");
  EXPECT_DOUBLE_EQ(red.objectives[0].solved_after_s, 60);
  EXPECT_EQ(red.objectives[0].commands, 4);  // alice 10, 20, 40 and dave 30
  EXPECT_EQ(red.objectives[1].objective, "c2-domain");
  EXPECT_DOUBLE_EQ(red.objectives[1].solved_after_s, 90);
  EXPECT_EQ(red.objectives[1].commands, 1);  // alice 70
  EXPECT_EQ(red.commands, 6);
  EXPECT_EQ(red.hints, 1);  // the ledger's
  EXPECT_DOUBLE_EQ(red.idle_s, 32.5);

  const auto& green = row(a.teams, "green");
  EXPECT_FALSE(green.first_action_s);
  EXPECT_TRUE(green.objectives.empty());
  EXPECT_EQ(green.commands, 0);
  const auto& blue = row(a.teams, "blue");
  ASSERT_EQ(blue.objectives.size(), 1u);
  EXPECT_EQ(blue.objectives[0].commands, 1);
  EXPECT_DOUBLE_EQ(*blue.first_action_s, 15);
}

TEST(Analytics, TraineeRowsShowTheTeamsSolvesWithTheirOwnCommands) {
  const ExerciseAnalytics a = compute_analytics(day());
  ASSERT_EQ(a.trainees.size(), 3u);
  const auto& alice = row(a.trainees, "red", "p-alice");
  EXPECT_DOUBLE_EQ(*alice.first_action_s, 10);
  ASSERT_EQ(alice.objectives.size(), 2u);
  EXPECT_EQ(alice.objectives[0].commands, 3);
  EXPECT_EQ(alice.objectives[1].commands, 1);
  EXPECT_EQ(alice.commands, 4);
  EXPECT_EQ(alice.hints, 1);  // her recorded hint request
  EXPECT_DOUBLE_EQ(alice.idle_s, 30);
  const auto& dave = row(a.trainees, "red", "p-dave");
  EXPECT_DOUBLE_EQ(*dave.first_action_s, 30);  // the idle period at 5 s is no action
  EXPECT_EQ(dave.objectives[0].commands, 1);
  EXPECT_EQ(dave.objectives[1].commands, 0);
  EXPECT_EQ(dave.commands, 2);
  EXPECT_EQ(dave.hints, 0);
  EXPECT_DOUBLE_EQ(dave.idle_s, 2.5);
}

}  // namespace
}  // namespace cyrange::analytics
