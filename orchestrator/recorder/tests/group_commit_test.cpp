// The writer's group commit against the real PostgreSQL: several submissions in
// one transaction stay exactly-once per (client, seq), a trainee without consent
// is refused inside a group without sinking the others, typed text survives the
// binary COPY byte for byte, a killed connection is replaced, and writers that
// share their known facts stay correct.
#include <thread>

#include <gtest/gtest.h>

#include <orchestrator/recorder/pg_event_store.h>
#include <orchestrator/recorder/tests/recorder_test_env.h>

namespace cyrange::recorder {
namespace {

using testing::query_one;
using testing::RecordingStack;

constexpr const char* kAliceClient = "3f2b8c1e-5d4a-4c3b-9e2f-00000000000a";
constexpr const char* kDaveClient = "3f2b8c1e-5d4a-4c3b-9e2f-00000000000d";

// `count` clicks of `user` from `client` starting at `first`; monotonic_ns is
// tag * 100 + index, so a stored row tells which submission it came from.
Submission clicks(const RecordingStack& stack, std::int64_t user, const char* client,
                  std::uint64_t first, int count, int tag) {
  Submission s;
  s.user_id = user;
  s.team_id = stack.red_team;
  s.client_id = client;
  s.first_seq = first;
  for (int i = 0; i < count; ++i) {
    s.events.push_back({"ex-red", EventKind::click, tag * 100 + i, 1714555800000000 + i, "{}"});
  }
  return s;
}

TEST(GroupCommit, ConsecutiveAndOverlappingSubmissionsOfAClientAreStoredOnce) {
  RecordingStack stack;
  auto store = RecordingStack::must(PgEventStore::open(stack.db.uri()));
  const Submission first = clicks(stack, stack.alice_id, kAliceClient, 1, 3, 1);   // 1..3
  const Submission second = clicks(stack, stack.alice_id, kAliceClient, 4, 3, 2);  // 4..6
  const Submission resent = clicks(stack, stack.alice_id, kAliceClient, 2, 7, 3);  // 2..8
  auto results = store->commit({&first, &second, &resent});
  ASSERT_EQ(results.size(), 3u);
  for (const auto& result : results) {
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(*result, 8u);
  }
  const std::string& uri = stack.db.uri();
  EXPECT_EQ(query_one(uri,
                      "SELECT count(*) || '/' || count(DISTINCT seq) || '/' || min(seq) || "
                      "'-' || max(seq) FROM recorder_events"),
            "8/8/1-8");
  // Each sequence comes from the first submission that carried it.
  EXPECT_EQ(query_one(uri,
                      "SELECT string_agg(monotonic_ns::text, ',' ORDER BY seq) FROM "
                      "recorder_events"),
            "100,101,102,200,201,202,305,306");
  EXPECT_EQ(query_one(uri, "SELECT highest_committed_seq FROM recorder_clients"), "8");

  // The whole group again, as after a lost acknowledgement: nothing is added.
  results = store->commit({&first, &second, &resent});
  for (const auto& result : results) {
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(*result, 8u);
  }
  EXPECT_EQ(query_one(uri, "SELECT count(*) FROM recorder_events"), "8");
}

TEST(GroupCommit, ATraineeWithoutConsentIsRefusedInsideAMergedTransaction) {
  RecordingStack stack;
  const auto dave = RecordingStack::must(
      stack.identities->add_user({"dave", identity::Role::trainee, "red", "", ""}));
  auto store = RecordingStack::must(PgEventStore::open(stack.db.uri()));
  const Submission alice_1 = clicks(stack, stack.alice_id, kAliceClient, 1, 3, 1);
  const Submission from_dave = clicks(stack, dave, kDaveClient, 1, 3, 2);
  const Submission alice_2 = clicks(stack, stack.alice_id, kAliceClient, 4, 3, 3);
  auto results = store->commit({&alice_1, &from_dave, &alice_2});
  ASSERT_EQ(results.size(), 3u);
  ASSERT_TRUE(results[0]) << results[0].error().message;
  ASSERT_FALSE(results[1]);
  EXPECT_EQ(results[1].error().code, ErrorCode::failed_precondition);
  EXPECT_NE(results[1].error().message.find("ex-red"), std::string::npos);
  ASSERT_TRUE(results[2]) << results[2].error().message;
  EXPECT_EQ(*results[0], 6u);
  EXPECT_EQ(*results[2], 6u);
  const std::string& uri = stack.db.uri();
  EXPECT_EQ(query_one(uri, "SELECT count(*) FROM recorder_events"), "6");
  EXPECT_EQ(query_one(uri,
                      "SELECT count(*) FROM recorder_events WHERE trainee = (SELECT "
                      "pseudonym FROM trainee_pseudonyms WHERE user_id = " +
                          std::to_string(stack.alice_id) + ")"),
            "6");
  EXPECT_EQ(
      query_one(uri, std::string("SELECT count(*) FROM recorder_clients WHERE client_id = '") +
                         kDaveClient + "' AND highest_committed_seq > 0"),
      "0");
}

TEST(GroupCommit, TypedTextSurvivesCopyEncodingByteForByte) {
  RecordingStack stack;
  auto store = RecordingStack::must(PgEventStore::open(stack.db.uri()));
  const std::string line = "awk -F'\\t' '{print $1}'\tlog\r\nEOF \\. \\N 演習\\n";
  Submission s = clicks(stack, stack.alice_id, kAliceClient, 1, 1, 1);
  s.events[0].kind = EventKind::command;
  s.events[0].data_json = JsonObject().str("host", "ws01").str("line", line).done();
  auto results = store->commit({&s});
  ASSERT_TRUE(results.at(0)) << results.at(0).error().message;
  EXPECT_EQ(query_one(stack.db.uri(), "SELECT data->>'line' FROM recorder_events"), line);
  EXPECT_EQ(query_one(stack.db.uri(),
                      "SELECT kind || ' ' || wall_at AT TIME ZONE 'UTC' FROM "
                      "recorder_events"),
            "command 2024-05-01 09:30:00");
}

TEST(GroupCommit, AWriterWhoseConnectionWasKilledReconnectsAndStoresOnce) {
  RecordingStack stack;
  auto store = RecordingStack::must(PgEventStore::open(stack.db.uri()));
  const Submission first = clicks(stack, stack.alice_id, kAliceClient, 1, 3, 1);
  ASSERT_TRUE(store->commit({&first}).at(0));
  // As a PostgreSQL restart does to every connection: the writer's backend dies.
  EXPECT_EQ(query_one(stack.db.uri(),
                      "SELECT count(pg_terminate_backend(pid)) > 0 FROM pg_stat_activity WHERE "
                      "datname = current_database() AND pid <> pg_backend_pid() AND "
                      "usename = current_user AND backend_type = 'client backend'"),
            "t");
  const Submission next = clicks(stack, stack.alice_id, kAliceClient, 2, 4, 2);  // 2..5
  auto results = store->commit({&next});
  ASSERT_TRUE(results.at(0)) << results.at(0).error().message;
  EXPECT_EQ(*results.at(0), 5u);
  EXPECT_EQ(query_one(stack.db.uri(),
                      "SELECT string_agg(monotonic_ns::text, ',' ORDER BY seq) "
                      "FROM recorder_events"),
            "100,101,102,202,203");
}

TEST(GroupCommit, WritersSharingTheirKnownFactsStoreEveryEventOnce) {
  RecordingStack stack;
  const auto facts = PgEventStore::share_facts();
  auto store_a = RecordingStack::must(PgEventStore::open(stack.db.uri(), facts));
  auto store_b = RecordingStack::must(PgEventStore::open(stack.db.uri(), facts));
  const auto write = [&](PgEventStore& store, const char* client, int tag) {
    for (int batch = 0; batch < 20; ++batch) {
      const Submission s = clicks(stack, stack.alice_id, client,
                                  1 + static_cast<std::uint64_t>(batch) * 50, 50, tag);
      auto results = store.commit({&s});
      ASSERT_TRUE(results.at(0)) << results.at(0).error().message;
      EXPECT_EQ(*results.at(0), static_cast<std::uint64_t>(batch + 1) * 50);
    }
  };
  std::thread a([&] { write(*store_a, kAliceClient, 1); });
  std::thread b([&] { write(*store_b, "3f2b8c1e-5d4a-4c3b-9e2f-00000000000b", 2); });
  a.join();
  b.join();
  EXPECT_EQ(query_one(stack.db.uri(),
                      "SELECT count(*) || '/' || count(DISTINCT (client_id, seq)) FROM "
                      "recorder_events"),
            "2000/2000");
  EXPECT_EQ(query_one(stack.db.uri(), "SELECT count(DISTINCT trainee) FROM recorder_events"), "1");
}

}  // namespace
}  // namespace cyrange::recorder
