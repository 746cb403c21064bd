// Planted evidence at the guest clock's time: ${time.start} and ${time.now} with offsets
// and formats, filled in from the wall times a step runs with.
#include <gtest/gtest.h>

#include <orchestrator/scenario/time_placeholders.h>

namespace cyrange::scenario {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

// 2026-12-07 09:30:05 UTC, the time of the documented examples.
const system_clock::time_point kExample{seconds(1796635805)};

TEST(TimePlaceholders, EachFormatWritesItsDocumentedExample) {
  ASSERT_EQ(time_formats().front().name, "iso");
  for (const auto& format : time_formats())
    EXPECT_EQ(format_time(kExample, format.name), format.example) << format.name;
}

TEST(TimePlaceholders, OffsetsAndFormatsAreParsed) {
  auto parsed = parse_time_placeholder("time.now-1d2h30m5s|syslog");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->anchor, TimePlaceholder::Anchor::now);
  EXPECT_EQ(parsed->offset_seconds, -(86400 + 2 * 3600 + 30 * 60 + 5));
  EXPECT_EQ(parsed->format, "syslog");
  parsed = parse_time_placeholder("time.start");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->anchor, TimePlaceholder::Anchor::start);
  EXPECT_EQ(parsed->offset_seconds, 0);
  EXPECT_EQ(parsed->format, "iso");
  for (const char* wrong :
       {"time.then", "time.now-", "time.now-5", "time.now|julian", "time.now+5x", "time.now-5m|"}) {
    auto refused = parse_time_placeholder(wrong);
    ASSERT_FALSE(refused) << wrong;
    EXPECT_FALSE(refused.error().message_ja.empty()) << wrong;
  }
}

TEST(TimePlaceholders, TextIsFilledFromTheStepsWallTimes) {
  const TimeAnchors anchors{kExample, kExample + seconds(3600)};
  EXPECT_EQ(fill_time_placeholders("at ${time.start|time} and ${time.now-5m|time}; "
                                   "${vars.user} and ${time.bogus} stay",
                                   anchors),
            "at 09:30:05 and 10:25:05; ${vars.user} and ${time.bogus} stay");
  EXPECT_EQ(fill_time_placeholders("${time.now+2d|date}${time.now", anchors),
            "2026-12-09${time.now");
}

}  // namespace
}  // namespace cyrange::scenario
