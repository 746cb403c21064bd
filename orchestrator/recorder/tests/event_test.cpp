#include <gtest/gtest.h>

#include <orchestrator/recorder/event.h>
#include <orchestrator/recorder/pg_event_store.h>

namespace cyrange::recorder {
namespace {

TEST(JsonObject, EscapesQuotesControlCharactersAndDropsNul) {
  std::string raw = "a\"b\\c\nd";
  raw += '\x01';
  raw += '\0';
  raw += "e";
  const std::string json = JsonObject().str("t", raw).num("n", -5).boolean("r", true).done();
  EXPECT_EQ(json, "{\"t\":\"a\\\"b\\\\c\\nd\\u0001e\",\"n\":-5,\"r\":true}");
}

TEST(Uuid, AcceptsCanonicalFormOnly) {
  EXPECT_TRUE(is_uuid("0f8fad5b-d9cb-469f-a165-70867728950e"));
  EXPECT_FALSE(is_uuid("0f8fad5bd9cb469fa16570867728950e"));
  EXPECT_FALSE(is_uuid("0f8fad5b-d9cb-469f-a165-70867728950g"));
  EXPECT_FALSE(is_uuid(""));
}

TEST(WallTime, FormatsMicrosecondsAsUtcTimestamp) {
  EXPECT_EQ(format_wall_time(0), "1970-01-01 00:00:00.000000+00");
  EXPECT_EQ(format_wall_time(1714555800123456), "2024-05-01 09:30:00.123456+00");
  EXPECT_EQ(format_wall_time(-1), "1969-12-31 23:59:59.999999+00");
}

}  // namespace
}  // namespace cyrange::recorder
