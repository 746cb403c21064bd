// When live personas act: the mapping of working hours onto the exercise clock, the
// jittered gaps and the determinism of the sequence, all without a clock.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include <orchestrator/workforce/live_schedule.h>
#include <orchestrator/workforce/population.h>

namespace cyrange::workforce {
namespace {

LivePlan all_day_plan() {
  LivePlan plan;
  plan.persona = "clerk";
  plan.start_minute = 0;
  plan.end_minute = 24 * 60;
  plan.every_seconds = 600;
  plan.browse = {"http://10.0.0.80/", "http://10.0.0.80/news.html"};
  plan.mail_to = {"colleague@example.jp"};
  return plan;
}

std::vector<LiveAction> first(LiveSchedule schedule, int n) {
  std::vector<LiveAction> out;
  for (int i = 0; i < n; ++i) out.push_back(schedule.pop());
  return out;
}

TEST(LiveSchedule, ExerciseTimeZeroIsNineInTheMorning) {
  EXPECT_DOUBLE_EQ(office_minute(0), 540);
  EXPECT_DOUBLE_EQ(office_minute(90 * 60), 630);  // T+1:30 is 10:30
  EXPECT_DOUBLE_EQ(office_minute(15 * 3600), 0);  // T+15:00 is midnight
  EXPECT_DOUBLE_EQ(office_minute(16 * 3600 + 30), 60.5);
}

TEST(LiveSchedule, WorkingHoursIncludeTheStartAndExcludeTheEnd) {
  EXPECT_TRUE(within_hours(510, 510, 1035));
  EXPECT_TRUE(within_hours(1034.9, 510, 1035));
  EXPECT_FALSE(within_hours(1035, 510, 1035));
  EXPECT_FALSE(within_hours(509.9, 510, 1035));
  EXPECT_TRUE(within_hours(23 * 60, 22 * 60, 6 * 60)) << "a night shift wraps";
  EXPECT_TRUE(within_hours(60, 22 * 60, 6 * 60));
  EXPECT_FALSE(within_hours(12 * 60, 22 * 60, 6 * 60));
  int start = 0, end = 0;
  ASSERT_TRUE(parse_working_hours("08:30-17:15", start, end));
  EXPECT_EQ(start, 510);
  EXPECT_EQ(end, 1035);
  EXPECT_FALSE(parse_working_hours("17:00-08:00", start, end));
  EXPECT_FALSE(parse_working_hours("8-5", start, end));
}

TEST(LiveSchedule, GapsStayWithinTheJitterAndAreNotAllEqual) {
  const auto actions = first(LiveSchedule(all_day_plan(), 42), 1000);
  std::set<long long> distinct;
  double previous = 0, total = 0;
  for (const auto& a : actions) {
    const double gap = a.at - previous;
    EXPECT_GE(gap, 600 * (1 - kLiveJitter)) << "action " << a.index;
    EXPECT_LT(gap, 600 * (1 + kLiveJitter)) << "action " << a.index;
    distinct.insert(static_cast<long long>(gap));
    total += gap;
    previous = a.at;
  }
  EXPECT_GT(distinct.size(), 300u) << "whole seconds of 1000 gaps spread over 600 values";
  EXPECT_NEAR(total / actions.size(), 600, 30) << "the mean gap is `every`";
}

TEST(LiveSchedule, SameSeedSameSequenceOtherTeamOrPersonaAnother) {
  const auto a = first(LiveSchedule(all_day_plan(), stream_root(7, "team1")), 50);
  const auto b = first(LiveSchedule(all_day_plan(), stream_root(7, "team1")), 50);
  const auto other_team = first(LiveSchedule(all_day_plan(), stream_root(7, "team2")), 50);
  LivePlan renamed = all_day_plan();
  renamed.persona = "clerk-2";
  const auto other_persona = first(LiveSchedule(renamed, stream_root(7, "team1")), 50);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].index, i);
    EXPECT_DOUBLE_EQ(a[i].at, b[i].at);
    EXPECT_EQ(a[i].kind, b[i].kind);
    EXPECT_EQ(a[i].target, b[i].target);
  }
  EXPECT_NE(a[0].at, other_team[0].at);
  EXPECT_NE(a[0].at, other_persona[0].at);
}

TEST(LiveSchedule, ActsOnlyWithinItsHoursMappedOntoTheExerciseClock) {
  LivePlan plan = all_day_plan();
  plan.start_minute = 13 * 60;  // 13:00-14:00 is T+4:00..T+5:00 on the first day
  plan.end_minute = 14 * 60;
  const auto actions = first(LiveSchedule(plan, 3), 40);
  EXPECT_GE(actions.front().at, 4 * 3600);
  EXPECT_LT(actions.front().at, 4 * 3600 + 600 * kLiveJitter + 1);
  bool next_day = false;
  for (const auto& a : actions) {
    EXPECT_TRUE(within_hours(office_minute(a.at), plan.start_minute, plan.end_minute))
        << "action " << a.index << " at T+" << a.at << " s";
    next_day = next_day || a.at >= 28 * 3600;
  }
  EXPECT_TRUE(next_day) << "after 14:00 the persona waits for 13:00 the next day";
}

TEST(LiveSchedule, SkipsWhatFellDueBeforeAGivenTime) {
  LiveSchedule schedule(all_day_plan(), 5);
  const auto expected = first(schedule, 20);
  const std::uint64_t dropped = schedule.skip_until(expected[12].at);
  EXPECT_EQ(dropped, 12u);
  EXPECT_EQ(schedule.peek().index, 12u);
  EXPECT_DOUBLE_EQ(schedule.peek().at, expected[12].at);
  EXPECT_EQ(schedule.skip_until(0), 0u);
}

TEST(LiveSchedule, MixesBrowsingAndMailFromItsLists) {
  const auto both = first(LiveSchedule(all_day_plan(), 9), 300);
  const auto mails = std::count_if(
      both.begin(), both.end(), [](const LiveAction& a) { return a.kind == LiveActionKind::mail; });
  EXPECT_GT(mails, 60);
  EXPECT_LT(mails, 140);
  std::set<std::string> targets;
  for (const auto& a : both) {
    targets.insert(a.target);
    if (a.kind == LiveActionKind::mail) {
      EXPECT_EQ(a.target, "colleague@example.jp");
    }
  }
  EXPECT_EQ(targets.size(), 3u);
  LivePlan browse_only = all_day_plan();
  browse_only.mail_to.clear();
  for (const auto& a : first(LiveSchedule(browse_only, 9), 100))
    EXPECT_EQ(a.kind, LiveActionKind::browse);
}

}  // namespace
}  // namespace cyrange::workforce
