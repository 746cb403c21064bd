#include <gtest/gtest.h>

#include <orchestrator/recorder/event.h>
#include <orchestrator/recorder/copy_rows.h>

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

TEST(CopyRows, UuidTextBecomesItsSixteenBytes) {
  EXPECT_EQ(uuid_bytes("0F8FAD5B-d9cb-469f-a165-70867728950e"),
            std::string("\x0f\x8f\xad\x5b\xd9\xcb\x46\x9f\xa1\x65\x70\x86\x77\x28\x95\x0e", 16));
  EXPECT_EQ(uuid_bytes("0f8fad5bd9cb469fa16570867728950e"), "");
  EXPECT_EQ(uuid_bytes("not-a-uuid"), "");
}

TEST(CopyRows, TupleHoldsEveryColumnInPostgresBinaryFormat) {
  Submission s;
  s.team_id = 7;
  s.client_id = "0f8fad5b-d9cb-469f-a165-70867728950e";
  // 2000-01-01 00:00:00.000001 UTC: one microsecond after PostgreSQL's epoch.
  const Event e{"ex\tred", EventKind::command, -2, 946684800000001, "{\"line\":\"a\\nb\"}"};
  std::string tuple = "kept";
  append_copy_tuple(tuple, s, e, 258, "p-1", uuid_bytes(s.client_id));
  const std::string be4_8("\0\0\0\x08", 4);
  const std::string expected =
      "kept" + std::string("\0\x09", 2) +                              // 9 fields
      std::string("\0\0\0\x06", 4) + "ex\tred" +                       // exercise_id, raw text
      std::string("\0\0\0\x10", 4) + uuid_bytes(s.client_id) +         // client_id
      be4_8 + std::string("\0\0\0\0\0\0\x01\x02", 8) +                 // seq 258
      be4_8 + std::string("\0\0\0\0\0\0\0\x07", 8) +                   // team_id
      std::string("\0\0\0\x03", 4) + "p-1" +                           // trainee
      std::string("\0\0\0\x07", 4) + "command" +                       // kind
      be4_8 + std::string("\xff\xff\xff\xff\xff\xff\xff\xfe", 8) +     // monotonic_ns -2
      be4_8 + std::string("\0\0\0\0\0\0\0\x01", 8) +                   // wall_at
      std::string("\0\0\0\x10", 4) + "\x01" + "{\"line\":\"a\\nb\"}";  // jsonb v1 + text
  EXPECT_EQ(tuple, expected);
  EXPECT_EQ(kCopyHeader.size(), 19u);
  EXPECT_EQ(kCopyHeader.substr(0, 11), std::string_view("PGCOPY\n\xff\r\n\0", 11));
}

}  // namespace
}  // namespace cyrange::recorder
