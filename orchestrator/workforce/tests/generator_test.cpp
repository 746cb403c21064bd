// The day generator: determinism, the shape of the day, attack events merged in order.
#include <algorithm>
#include <array>
#include <map>
#include <regex>

#include <orchestrator/scenario/net.h>
#include <orchestrator/workforce/tests/support.h>

namespace cyrange::workforce {
namespace {

using namespace testing;

TEST(WorkforceGenerator, SameSeedSameBytesOtherSeedOrTeamOtherBytes) {
  const auto pop = make_population(60, 7, "team-1");
  const auto a = day_logs(pop, 7, "team-1");
  const auto b = day_logs(make_population(60, 7, "team-1"), 7, "team-1");
  EXPECT_EQ(a, b);
  const auto other_seed = day_logs(make_population(60, 8, "team-1"), 8, "team-1");
  const auto other_team = day_logs(make_population(60, 7, "team-2"), 7, "team-2");
  for (std::size_t k = 0; k < 4; ++k) {
    EXPECT_NE(a[k], other_seed[k]) << kLogFileNames[k];
    EXPECT_NE(a[k], other_team[k]) << kLogFileNames[k];
  }
}

TEST(WorkforceGenerator, StreamIsSortedByTime) {
  const auto pop = make_population(80);
  const auto options = day_options(7, "team-1");
  DayGenerator gen(pop, default_activity_profile(), options);
  const auto events =
      gen.collect(timeline_events(kakuu(), pop, options.day_start_ms + 10 * 3600'000LL,
                                  options.day_start_ms + 86'400'000LL, 7));
  ASSERT_GT(events.size(), 1000u);
  EXPECT_TRUE(std::is_sorted(events.begin(), events.end(),
                             [](auto& x, auto& y) { return x.time_ms < y.time_ms; }));
}

// Busy mornings, a lunch dip, almost nothing at night: the day people expect in the logs.
TEST(WorkforceGenerator, DayHasTheShapeOfAnOfficeDay) {
  const auto pop = make_population(300);
  const auto options = day_options(7, "team-1");
  DayGenerator gen(pop, default_activity_profile(), options);
  std::array<long long, 24> hourly{};
  std::vector<double> arrivals;
  gen.run({}, [&](const Event& e) {
    const auto minute = (e.time_ms - options.day_start_ms) / 60'000;
    ++hourly[static_cast<std::size_t>(minute / 60)];
    if (const auto* l = std::get_if<Logon>(&e.detail); l && l->kind == Logon::Kind::success) {
      arrivals.push_back(static_cast<double>(minute));
    }
  });
  EXPECT_LT(hourly[12] * 2, hourly[10]) << "lunch hour should be well below 10-11";
  EXPECT_LT(hourly[12] * 2, hourly[14]) << "lunch hour should be well below 14-15";
  EXPECT_LT(hourly[3] * 100, hourly[10] + 1) << "almost nothing at 03:00";
  EXPECT_GT(hourly[18], hourly[3]) << "an overtime tail in the evening";
  EXPECT_GT(hourly[10], hourly[17]) << "mornings busier than the end of the day";
  ASSERT_GT(arrivals.size(), 250u);  // a few are absent
  const auto in_window = std::count_if(arrivals.begin(), arrivals.end(), [](double m) {
    return m >= 7 * 60 + 30 && m <= 9 * 60 + 45;
  });
  EXPECT_GT(static_cast<double>(in_window), 0.95 * static_cast<double>(arrivals.size()));
}

// The attack's evidence is in the same files as the noise, where the scenario says.
TEST(WorkforceGenerator, AttackTimelineIsMergedIntoTheLogs) {
  const auto pop = make_population(120);
  const auto& vars = pop.variables;
  const auto logs = day_logs(pop, 7, "team-1", 0, 24 * 60, 10 * 60);
  const std::string c2 = vars.at("c2_domain");
  const std::string victim = vars.at("victim_mailbox");
  // Beacons: from the victim's workstation at the scenario's interval (+-10 % jitter).
  std::vector<double> times;
  for (const auto& line : lines_of(logs[0])) {
    if (line.find("http://" + c2 + "/news/update") == std::string::npos) continue;
    EXPECT_NE(line.find(" 10.30.0.101 "), std::string::npos) << line;
    times.push_back(std::stod(line.substr(0, line.find(' '))));
  }
  ASSERT_GT(times.size(), 20u);
  const double interval = std::stod(vars.at("beacon_interval"));
  for (std::size_t k = 1; k < times.size(); ++k) {
    EXPECT_NEAR(times[k] - times[k - 1], interval, interval * 0.1 + 0.2);
  }
  // The first beacon comes 36 minutes after 10:00 (5 + 10 + 15 + 5 + 1 minutes of after-chains).
  EXPECT_NEAR(times.front(), 1744592400.0 + 36 * 60, 1.0);  // 2025-04-14 10:00 JST = 01:00 UTC
  // The proxy resolves the C2 domain, and the lure reaches the victim's mailbox.
  EXPECT_NE(logs[2].find("query[A] " + c2 + " from 172.16.10.8"), std::string::npos);
  EXPECT_NE(logs[1].find("from=<reporter@" + vars.at("sender_domain") + ">"), std::string::npos);
  EXPECT_NE(logs[1].find("to=<" + victim + ">, relay=local"), std::string::npos);
  // Lateral movement: the file server audit shows ws01 reading the share.
  EXPECT_NE(logs[3].find("|10.30.0.101|ws01|share|openat|ok|r|export/001.csv"), std::string::npos);
}

TEST(WorkforceGenerator, BeaconJitterStaysWithinBounds) {
  const auto events = beacon_events("http://cdn-x.example/a", 1, "u", 2, 0, 3600'000, 60, 0.2, 9);
  ASSERT_GT(events.size(), 45u);
  for (std::size_t k = 1; k < events.size(); ++k) {
    const auto gap = events[k].time_ms - events[k - 1].time_ms;
    EXPECT_GE(gap, 48'000);
    EXPECT_LE(gap, 72'000);
  }
  EXPECT_NE(events[1].time_ms - events[0].time_ms, events[2].time_ms - events[1].time_ms);
}

TEST(WorkforceGenerator, MalformedDateIsRefused) {
  const auto bad = local_midnight_ms("14/04/2025", 540);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("YYYY-MM-DD"), std::string::npos);
  EXPECT_EQ(*local_midnight_ms("1970-01-02", 0), 86'400'000);
}

}  // namespace
}  // namespace cyrange::workforce
