// Consents against the real PostgreSQL: texts, give, withdraw, deletion of the
// recording on withdrawal of scoring consent, who may do what, and the audit log.
#include <gtest/gtest.h>

#include <orchestrator/privacy/consent_desk.h>
#include <orchestrator/privacy/pg_consent_store.h>
#include <orchestrator/privacy/tests/privacy_test_env.h>

namespace cyrange::privacy {
namespace {

using identity::Identity;
using identity::Role;

struct ConsentFixture : ::testing::Test {
  testing::PrivacyDb env;
  std::shared_ptr<PgConsentStore> store;
  std::unique_ptr<ConsentDesk> desk;
  Identity alice, bob, ivy, ada;  // trainees red/blue, instructor, admin

  void SetUp() override {
    alice = {env.trainee("alice", "red"), "alice", Role::trainee, env.teams["red"]};
    bob = {env.trainee("bob", "blue"), "bob", Role::trainee, env.teams["blue"]};
    ivy = {env.staff("ivy", Role::instructor), "ivy", Role::instructor, std::nullopt};
    ada = {env.staff("ada", Role::admin), "ada", Role::admin, std::nullopt};
    env.exercise("ex1", {"red", "blue"});
    env.exercise("ex2", {"red"});
    store = testing::must(PgConsentStore::open(env.uri()));
    desk = std::make_unique<ConsentDesk>(store);
  }

  int current(Purpose purpose) {
    for (const auto& t : testing::must(store->current_texts())) {
      if (t.purpose == purpose) return t.version;
    }
    return 0;
  }
};

TEST_F(ConsentFixture, CurrentTextsAreBilingualVersionedAndTitled) {
  auto texts = testing::must(desk->texts(alice));
  ASSERT_EQ(texts.size(), 2u);
  EXPECT_EQ(texts[0].purpose, Purpose::scoring);
  EXPECT_EQ(texts[1].purpose, Purpose::research);
  for (const auto& t : texts) {
    EXPECT_EQ(t.version, 3) << to_string(t.purpose);
    EXPECT_FALSE(t.title_ja.empty());
    EXPECT_FALSE(t.title_en.empty());
    EXPECT_NE(t.text_ja.find("撤回"), std::string::npos) << "the ja text explains withdrawal";
    EXPECT_NE(t.text_en.find("withdraw"), std::string::npos) << "the en text explains withdrawal";
    EXPECT_GT(t.published_unix, 0);
  }
  EXPECT_NE(texts[0].text_en.find("password"), std::string::npos);
  EXPECT_NE(texts[1].text_en.find("never leaves the exercise"), std::string::npos);
  // Version 3 says what is kept: teammates see no one else's numbers, pseudonyms are per
  // exercise, the score record keeps points but loses the person, the audit log stays.
  for (const char* kept : {"your teammates included", "for this exercise only", "the points remain",
                           "it is never deleted", "never what you typed"})
    EXPECT_NE(texts[0].text_en.find(kept), std::string::npos) << kept;
  for (const char* kept : {"チームの仲間を含む", "この演習のためだけの仮名", "点数は残ります",
                           "削除されません", "入力した文字列は残りません"})
    EXPECT_NE(texts[0].text_ja.find(kept), std::string::npos) << kept;
}

TEST_F(ConsentFixture, GiveIsRecordedWithTheVersionAndIsIdempotent) {
  const int v = current(Purpose::research);
  auto given = testing::must(desk->give(alice, {"ex1", Purpose::research, v, 0}));
  EXPECT_TRUE(given.active());
  EXPECT_EQ(given.version, v);
  EXPECT_EQ(given.user_id, alice.user_id);
  auto again = testing::must(desk->give(alice, {"ex1", Purpose::research, v, alice.user_id}));
  EXPECT_EQ(again.given_unix, given.given_unix);
  EXPECT_EQ(env.sql("SELECT count(*) FROM consents"), "1");
  EXPECT_EQ(env.sql("SELECT count(*) FROM audit_log WHERE action = 'consent.give' AND "
                    "actor_user_id = " +
                    std::to_string(alice.user_id)),
            "1");

  auto mine = testing::must(desk->mine(alice, ""));
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].exercise, "ex1");
  EXPECT_TRUE(testing::must(desk->mine(alice, "ex2")).empty());
  EXPECT_TRUE(testing::must(desk->mine(bob, "")).empty());
}

TEST_F(ConsentFixture, AnOutdatedVersionIsRefusedAndANewOneSupersedes) {
  auto old = desk->give(alice, {"ex1", Purpose::scoring, 1, 0});
  ASSERT_FALSE(old);
  EXPECT_EQ(old.error().code, ErrorCode::failed_precondition);
  EXPECT_NE(old.error().message.find("version 3"), std::string::npos) << old.error().message;

  // A consent to version 1 from before version 3 was published.
  env.sql("INSERT INTO consents (user_id, exercise_id, purpose, version) VALUES (" +
          std::to_string(alice.user_id) + ", 'ex1', 'scoring', 1)");
  auto renewed = testing::must(desk->give(alice, {"ex1", Purpose::scoring, 3, 0}));
  EXPECT_EQ(renewed.version, 3);
  EXPECT_EQ(env.sql("SELECT string_agg(version || ':' || coalesce(end_reason, 'active'), ',' "
                    "ORDER BY version) FROM consents"),
            "1:superseded,3:active");
}

TEST_F(ConsentFixture, WithdrawingScoringConsentDeletesOnlyThatTraineesRecordingOfThatExercise) {
  const int v = current(Purpose::scoring);
  testing::must(desk->give(alice, {"ex1", Purpose::scoring, v, 0}));
  testing::must(desk->give(bob, {"ex1", Purpose::scoring, v, 0}));
  env.events("ex1", "alice", 40);
  env.events("ex2", "alice", 7);
  env.events("ex1", "bob", 25);
  env.terminal("ex1", "alice");
  env.terminal("ex2", "alice");
  env.terminal("ex1", "bob");

  auto withdrawal = testing::must(desk->withdraw(alice, {"ex1", Purpose::scoring, 0}));
  EXPECT_FALSE(withdrawal.consent.active());
  EXPECT_EQ(withdrawal.consent.end_reason, "withdrawn");
  EXPECT_EQ(withdrawal.deleted_events, 40);
  EXPECT_EQ(withdrawal.deleted_terminal_sessions, 1);
  EXPECT_EQ(env.event_count("ex1", "alice"), 0);
  EXPECT_EQ(env.event_count("ex2", "alice"), 7);
  EXPECT_EQ(env.event_count("ex1", "bob"), 25);
  EXPECT_EQ(env.sql("SELECT string_agg(exercise_id || '/' || user_id, ',' ORDER BY exercise_id, "
                    "user_id) FROM terminal_sessions"),
            "ex1/" + std::to_string(bob.user_id) + ",ex2/" + std::to_string(alice.user_id));

  // Audited with the actor and what was deleted, without personal data.
  EXPECT_EQ(
      env.sql("SELECT detail->>'deleted_events' || '/' || (detail->>'deleted_terminal_sessions') "
              "|| '/' || object FROM audit_log WHERE action = 'consent.withdraw' AND "
              "actor_user_id = " +
              std::to_string(alice.user_id)),
      "40/1/user:" + std::to_string(alice.user_id));
  EXPECT_EQ(env.sql("SELECT count(*) FROM audit_log WHERE detail::text LIKE '%Real Name%' OR "
                    "detail::text LIKE '%@example.org%'"),
            "0");

  auto twice = desk->withdraw(alice, {"ex1", Purpose::scoring, 0});
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::not_found);
}

TEST_F(ConsentFixture, WithdrawingResearchConsentKeepsTheRecording) {
  testing::must(desk->give(alice, {"ex1", Purpose::research, current(Purpose::research), 0}));
  env.events("ex1", "alice", 12);
  auto withdrawal = testing::must(desk->withdraw(alice, {"ex1", Purpose::research, 0}));
  EXPECT_EQ(withdrawal.deleted_events, 0);
  EXPECT_EQ(env.event_count("ex1", "alice"), 12);
  EXPECT_EQ(env.sql("SELECT count(*) FROM consents WHERE purpose = 'research' AND withdrawn_at IS "
                    "NULL"),
            "0");
}

TEST_F(ConsentFixture, OnlyTheTraineeGivesAndOnlyTheTraineeOrAnAdminWithdraws) {
  const int v = current(Purpose::scoring);
  auto for_bob = desk->give(alice, {"ex1", Purpose::scoring, v, bob.user_id});
  ASSERT_FALSE(for_bob);
  EXPECT_EQ(for_bob.error().code, ErrorCode::permission_denied);
  auto by_admin = desk->give(ada, {"ex1", Purpose::scoring, v, bob.user_id});
  ASSERT_FALSE(by_admin);
  EXPECT_EQ(by_admin.error().code, ErrorCode::permission_denied);
  auto staff = desk->give(ivy, {"ex1", Purpose::scoring, v, 0});
  ASSERT_FALSE(staff);
  EXPECT_EQ(staff.error().code, ErrorCode::permission_denied);
  EXPECT_EQ(env.sql("SELECT count(*) FROM consents"), "0");

  // Not an exercise of bob's team; an unknown exercise.
  auto foreign = desk->give(bob, {"ex2", Purpose::scoring, v, 0});
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, ErrorCode::permission_denied);
  auto unknown = desk->give(bob, {"nope", Purpose::scoring, v, 0});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::not_found);

  testing::must(desk->give(bob, {"ex1", Purpose::scoring, v, 0}));
  env.events("ex1", "bob", 5);
  for (const Identity* other : {&alice, &ivy}) {
    auto refused = desk->withdraw(*other, {"ex1", Purpose::scoring, bob.user_id});
    ASSERT_FALSE(refused) << other->name;
    EXPECT_EQ(refused.error().code, ErrorCode::permission_denied);
  }
  EXPECT_EQ(env.event_count("ex1", "bob"), 5);

  auto on_request = testing::must(desk->withdraw(ada, {"ex1", Purpose::scoring, bob.user_id}));
  EXPECT_EQ(on_request.deleted_events, 5);
  EXPECT_EQ(env.sql("SELECT detail->>'actor' FROM audit_log WHERE action = 'consent.withdraw' AND "
                    "actor_user_id = " +
                    std::to_string(ada.user_id) +
                    " AND object = 'user:" + std::to_string(bob.user_id) + "'"),
            "ada (admin)");
}

}  // namespace
}  // namespace cyrange::privacy
