// cyranged's operator settings of self-paced runs: --selfpaced-capacity,
// --selfpaced-idle-pause-min and --selfpaced-token-ttl-hours.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include <orchestrator/course/run_limits_flags.h>

namespace cyrange::course {
namespace {

using namespace std::chrono_literals;

// Parses `args` (without the program name) the way cyranged does.
RunLimits parse(std::vector<std::string> args) {
  CLI::App app{"cyranged"};
  RunLimits limits;
  add_run_limit_flags(app, limits);
  std::reverse(args.begin(), args.end());  // CLI11 takes them last first
  app.parse(args);
  return limits;
}

// The message of the error parsing `args` gives; empty when it parses.
std::string refusal(const std::vector<std::string>& args) {
  try {
    (void)parse(args);
  } catch (const CLI::ParseError& e) {
    return e.what();
  }
  return {};
}

TEST(RunLimitFlags, WithoutFlagsTheDefaultsStay) {
  const RunLimits limits = parse({});
  const RunLimits defaults;
  EXPECT_EQ(limits.capacity, defaults.capacity);
  EXPECT_EQ(limits.idle_pause, defaults.idle_pause);
  EXPECT_EQ(limits.token_ttl, defaults.token_ttl);
  EXPECT_EQ(defaults.capacity, 4);
  EXPECT_EQ(defaults.idle_pause, 15min);
  EXPECT_EQ(defaults.token_ttl, 12h);
}

TEST(RunLimitFlags, EachFlagSetsItsLimitInItsUnit) {
  const RunLimits limits = parse({"--selfpaced-capacity", "12", "--selfpaced-idle-pause-min=45",
                                  "--selfpaced-token-ttl-hours", "2"});
  EXPECT_EQ(limits.capacity, 12);
  EXPECT_EQ(limits.idle_pause, 45min);
  EXPECT_EQ(limits.token_ttl, 2h);
}

TEST(RunLimitFlags, TheLargestValuesAreAccepted) {
  const RunLimits limits =
      parse({"--selfpaced-capacity", std::to_string(kMaxRunCapacity), "--selfpaced-idle-pause-min",
             std::to_string(kMaxIdlePauseMinutes), "--selfpaced-token-ttl-hours",
             std::to_string(kMaxRunTokenHours)});
  EXPECT_EQ(limits.capacity, kMaxRunCapacity);
  EXPECT_EQ(limits.idle_pause, std::chrono::minutes(kMaxIdlePauseMinutes));
  EXPECT_EQ(limits.token_ttl, std::chrono::hours(kMaxRunTokenHours));
}

struct Bad {
  std::string flag, value;
};

class RunLimitFlagRefusal : public ::testing::TestWithParam<Bad> {};

TEST_P(RunLimitFlagRefusal, NamesTheFlagAndTheRangeInEnglishAndJapanese) {
  const Bad bad = GetParam();
  const std::string message = refusal({bad.flag, bad.value});
  ASSERT_FALSE(message.empty()) << bad.flag << " " << bad.value << " was accepted";
  EXPECT_NE(message.find(bad.flag), std::string::npos) << message;
  EXPECT_NE(message.find("give a whole number from 1 to "), std::string::npos) << message;
  EXPECT_NE(message.find("'" + bad.value + "'"), std::string::npos) << message;
  EXPECT_NE(message.find("までの整数を指定してください"), std::string::npos) << message;
}

INSTANTIATE_TEST_SUITE_P(
    ZeroNegativeTooLargeOrNotAWholeNumber, RunLimitFlagRefusal,
    ::testing::Values(
        Bad{"--selfpaced-capacity", "0"}, Bad{"--selfpaced-capacity", "-3"},
        Bad{"--selfpaced-capacity", "1001"}, Bad{"--selfpaced-capacity", "2.5"},
        Bad{"--selfpaced-idle-pause-min", "0"}, Bad{"--selfpaced-idle-pause-min", "-15"},
        Bad{"--selfpaced-idle-pause-min", "10081"}, Bad{"--selfpaced-idle-pause-min", "15m"},
        Bad{"--selfpaced-token-ttl-hours", "0"}, Bad{"--selfpaced-token-ttl-hours", "-1"},
        Bad{"--selfpaced-token-ttl-hours", "721"}, Bad{"--selfpaced-token-ttl-hours", "twelve"}));

TEST(RunLimitFlags, HelpShowsEveryFlagWithItsDefaultInBothLanguages) {
  CLI::App app{"cyranged"};
  RunLimits limits;
  add_run_limit_flags(app, limits);
  const std::string help = app.help();
  for (const char* text :
       {"--selfpaced-capacity", "--selfpaced-idle-pause-min", "--selfpaced-token-ttl-hours",
        "同時に演習環境を持てる", "一時停止", "トークン"})
    EXPECT_NE(help.find(text), std::string::npos) << text << " is missing from:\n" << help;
  EXPECT_NE(help.find("15"), std::string::npos) << help;
  EXPECT_NE(help.find("12"), std::string::npos) << help;
}

}  // namespace
}  // namespace cyrange::course
