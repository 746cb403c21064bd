// Consent is enforced when events are stored: a trainee without an active scoring
// consent for the exercise has nothing stored, and the client keeps the events
// until the consent is given; a withdrawal deletes and stops the recording at once.
#include <unistd.h>

#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include <client-core/privacy_client.h>
#include <client-core/recorder_client.h>
#include <orchestrator/recorder/pg_event_store.h>
#include <orchestrator/recorder/tests/recorder_test_env.h>

namespace cyrange::recorder {
namespace {

using testing::query_one;

using testing::TempDir;

client::TraineeEvent key_event(int i) {
  client::TraineeEvent e;
  e.kind = client::TraineeEventKind::key;
  e.exercise_id = "ex-red";
  e.key = "k" + std::to_string(i);
  e.text = "x";
  return e;
}

// A red trainee who has not consented yet, with a connection of their own.
struct Dave {
  std::int64_t id = 0;
  client::Connection connection;
};

Dave add_dave(testing::RecordingStack& stack) {
  const auto id = testing::RecordingStack::must(
      stack.identities->add_user({"dave", identity::Role::trainee, "red", "", ""}));
  const auto token =
      testing::RecordingStack::must(stack.identities->issue_token("dave", std::chrono::hours(1)));
  client::ClientOptions options;
  options.target = stack.server->address();
  options.plaintext = true;
  options.token = token.token;
  return {id, testing::RecordingStack::must(client::Connection::open(options))};
}

bool eventually(const std::function<bool()>& condition) {
  for (int i = 0; i < 200; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return condition();
}

TEST(RecordingConsent, EventsWaitInTheClientUntilTheTraineeConsentsAndStopAtWithdrawal) {
  testing::RecordingStack stack;
  Dave dave = add_dave(stack);
  TempDir dir;
  client::RecorderOptions tuning;
  tuning.max_backoff = std::chrono::milliseconds(200);
  client::RecorderClient recorder(
      dave.connection, testing::RecordingStack::must(client::EventBuffer::open({dir.path})),
      tuning);
  const std::string& uri = stack.db.uri();
  const auto stored = [&] {
    return query_one(uri,
                     "SELECT count(*) FROM recorder_events WHERE trainee = (SELECT "
                     "pseudonym FROM trainee_pseudonyms WHERE user_id = " +
                         std::to_string(dave.id) + ")");
  };

  for (int i = 1; i <= 20; ++i) ASSERT_TRUE(recorder.record(key_event(i)));
  ASSERT_TRUE(eventually([&] { return recorder.refused_for_consent(); }))
      << recorder.last_error().message;
  const Error refusal = recorder.last_error();
  EXPECT_EQ(refusal.code, ErrorCode::failed_precondition);
  EXPECT_NE(refusal.message.find("ex-red"), std::string::npos) << refusal.message;
  EXPECT_NE(refusal.message.find("GiveConsent"), std::string::npos) << refusal.message;
  EXPECT_NE(refusal.message_ja.find("同意"), std::string::npos) << refusal.message_ja;
  EXPECT_EQ(refusal.message.find("同意"), std::string::npos) << "the languages travel apart";
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // a few retries
  EXPECT_EQ(recorder.buffer().acked_seq(), 0u);
  EXPECT_EQ(recorder.buffer().last_seq(), 20u);  // kept, not dropped
  EXPECT_EQ(query_one(uri, "SELECT count(*) FROM recorder_events"), "0");

  // The trainee agrees over PrivacyService: the buffered events go out at the next retry.
  client::PrivacyClient privacy(dave.connection);
  auto given = privacy.give_current("ex-red", client::ConsentPurpose::scoring);
  ASSERT_TRUE(given) << given.error().message;
  EXPECT_TRUE(given->active);
  ASSERT_TRUE(recorder.wait_until_acked(std::chrono::seconds(20))) << recorder.last_error().message;
  EXPECT_FALSE(recorder.refused_for_consent());
  EXPECT_EQ(stored(), "20");

  // Withdrawal deletes the recording, and what follows is refused again (the
  // cache forgot the consent), not stored.
  ASSERT_TRUE(privacy.withdraw("ex-red", client::ConsentPurpose::scoring).ok());
  EXPECT_EQ(stored(), "0");
  for (int i = 21; i <= 25; ++i) ASSERT_TRUE(recorder.record(key_event(i)));
  ASSERT_TRUE(eventually([&] { return recorder.refused_for_consent(); }));
  EXPECT_EQ(recorder.buffer().acked_seq(), 20u);
  EXPECT_EQ(stored(), "0");
}

TEST(RecordingConsent, ConsentAnswersAreCachedAndForgottenOnWithdrawal) {
  testing::RecordingStack stack;
  privacy::ConsentCache& cache = *stack.consents;
  auto alice_red = cache.allows_recording(stack.alice_id, "ex-red");
  ASSERT_TRUE(alice_red) << alice_red.error().message;
  EXPECT_TRUE(*alice_red);
  const auto lookups = cache.lookups();
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(*cache.allows_recording(stack.alice_id, "ex-red"));
  EXPECT_EQ(cache.lookups(), lookups);  // one store lookup, then memory
  // Another team's exercise is a refusal of authorisation, not a missing consent.
  auto foreign = cache.allows_recording(stack.alice_id, "ex-blue");
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, ErrorCode::permission_denied);

  // Withdrawing through the desk (as PrivacyService does) is seen at once.
  auto store = testing::RecordingStack::must(privacy::PgConsentStore::open(stack.db.uri()));
  privacy::ConsentDesk desk(std::shared_ptr<privacy::ConsentStore>(std::move(store)),
                            stack.consents);
  identity::Identity alice{stack.alice_id, "alice", identity::Role::trainee, stack.red_team};
  auto withdrawn = desk.withdraw(alice, {"ex-red", privacy::Purpose::scoring, 0});
  ASSERT_TRUE(withdrawn) << withdrawn.error().message;
  EXPECT_FALSE(*cache.allows_recording(stack.alice_id, "ex-red"));
  EXPECT_EQ(cache.lookups(), lookups + 2);
}

// The writer refuses by itself, whatever a cache upstream believed: one submission
// of a group without consent is refused, the others commit.
TEST(RecordingConsent, TheWriterChecksConsentInItsOwnTransaction) {
  testing::RecordingStack stack;
  Dave dave = add_dave(stack);
  auto store = testing::RecordingStack::must(PgEventStore::open(stack.db.uri()));
  const auto submission = [&](std::int64_t user, const char* client_id) {
    Submission s;
    s.user_id = user;
    s.team_id = stack.red_team;
    s.client_id = client_id;
    s.first_seq = 1;
    for (int i = 0; i < 3; ++i) s.events.push_back({"ex-red", EventKind::click, i, i, "{}"});
    return s;
  };
  const Submission from_alice = submission(stack.alice_id, "3f2b8c1e-5d4a-4c3b-9e2f-000000000001");
  const Submission from_dave = submission(dave.id, "3f2b8c1e-5d4a-4c3b-9e2f-000000000002");
  auto results = store->commit({&from_alice, &from_dave});
  ASSERT_EQ(results.size(), 2u);
  ASSERT_TRUE(results[0]) << results[0].error().message;
  EXPECT_EQ(*results[0], 3u);
  ASSERT_FALSE(results[1]);
  EXPECT_EQ(results[1].error().code, ErrorCode::failed_precondition);
  EXPECT_EQ(query_one(stack.db.uri(), "SELECT count(*) FROM recorder_events"), "3");
  EXPECT_EQ(query_one(stack.db.uri(),
                      "SELECT count(*) FROM recorder_clients WHERE client_id = "
                      "'3f2b8c1e-5d4a-4c3b-9e2f-000000000002' AND highest_committed_seq > 0"),
            "0");
}

}  // namespace
}  // namespace cyrange::recorder
