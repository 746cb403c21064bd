#include <orchestrator/identity/identity_store.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include <orchestrator/identity/token.h>
#include <orchestrator/store/testing/temp_database.h>

namespace cyrange::identity {
namespace {

using store::testing::TempDatabase;

class IdentityStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = PgIdentityStore::open(db_.uri());
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }

  // Runs one statement on a separate connection, as an operator with psql would.
  pqxx::result sql(const std::string& statement) {
    pqxx::connection conn(db_.uri());
    pqxx::work tx(conn);
    auto result = tx.exec(statement);
    tx.commit();
    return result;
  }

  std::int64_t add(const std::string& name, Role role,
                   std::optional<std::string> team = std::nullopt) {
    auto id = store_->add_user(
        NewUser{name, role, std::move(team), "Name of " + name, name + "@example.org"});
    EXPECT_TRUE(id) << id.error().message;
    return id ? *id : 0;
  }

  TempDatabase db_;
  std::unique_ptr<PgIdentityStore> store_;
};

TEST(PgIdentityStoreOpen, RefusesAnUnmigratedDatabase) {
  TempDatabase empty(TempDatabase::Schema::empty);
  auto opened = PgIdentityStore::open(empty.uri());
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::failed_precondition);
  EXPECT_NE(opened.error().message.find("cyrange db migrate"), std::string::npos);
}

TEST_F(IdentityStoreTest, AddsUsersOfEveryRole) {
  std::set<std::int64_t> ids{add("ada", Role::admin), add("ivan", Role::instructor),
                             add("dora", Role::designer), add("tara", Role::trainee, "blue")};
  EXPECT_EQ(ids.size(), 4u);
  const auto rows =
      sql("SELECT u.name, u.role, t.name FROM users u LEFT JOIN teams t ON t.id = u.team_id ORDER "
          "BY u.id");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0][1].as<std::string>(), "admin");
  EXPECT_EQ(rows[1][1].as<std::string>(), "instructor");
  EXPECT_EQ(rows[2][1].as<std::string>(), "designer");
  EXPECT_TRUE(rows[2][2].is_null());
  EXPECT_EQ(rows[3][1].as<std::string>(), "trainee");
  EXPECT_EQ(rows[3][2].as<std::string>(), "blue");
}

TEST_F(IdentityStoreTest, EnsureTeamIsIdempotentAndSharedWithTrainees) {
  auto first = store_->ensure_team("red");
  auto second = store_->ensure_team("red");
  ASSERT_TRUE(first && second);
  EXPECT_EQ(*first, *second);
  add("rita", Role::trainee, "red");
  auto token = store_->issue_token("rita", std::chrono::hours(1));
  ASSERT_TRUE(token);
  auto identity = store_->authenticate(token->token);
  ASSERT_TRUE(identity) << identity.error().message;
  EXPECT_EQ(identity->team_id, std::optional<std::int64_t>(*first));
  EXPECT_EQ(sql("SELECT count(*) FROM teams")[0][0].as<int>(), 1);
}

TEST_F(IdentityStoreTest, TeamRuleIsEnforced) {
  auto trainee = store_->add_user(NewUser{"tom", Role::trainee, std::nullopt, "Tom", ""});
  ASSERT_FALSE(trainee);
  EXPECT_EQ(trainee.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(trainee.error().message.find("needs a team"), std::string::npos)
      << trainee.error().message;

  auto instructor = store_->add_user(NewUser{"ian", Role::instructor, "blue", "Ian", ""});
  ASSERT_FALSE(instructor);
  EXPECT_EQ(instructor.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(instructor.error().message.find("leave the team out"), std::string::npos)
      << instructor.error().message;

  EXPECT_EQ(sql("SELECT count(*) FROM users")[0][0].as<int>(), 0);
  EXPECT_EQ(sql("SELECT count(*) FROM teams")[0][0].as<int>(), 0);
}

TEST_F(IdentityStoreTest, DuplicateAndMalformedNamesAreRejected) {
  add("ada", Role::admin);
  auto again = store_->add_user(NewUser{"ada", Role::designer, std::nullopt, "Other Ada", ""});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::already_exists);
  EXPECT_NE(again.error().message.find("'ada'"), std::string::npos);

  for (const char* bad : {"", "two words", "-dash", "semi;colon"}) {
    auto result = store_->add_user(NewUser{bad, Role::admin, std::nullopt, "", ""});
    ASSERT_FALSE(result) << bad;
    EXPECT_EQ(result.error().code, ErrorCode::invalid_argument) << bad;
  }
  auto bad_mail =
      store_->add_user(NewUser{"bob", Role::admin, std::nullopt, "Bob", "not-an-address"});
  ASSERT_FALSE(bad_mail);
  EXPECT_EQ(bad_mail.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(sql("SELECT count(*) FROM users")[0][0].as<int>(), 1);
}

TEST_F(IdentityStoreTest, IssuedTokenAuthenticatesItsUser) {
  const auto id = add("tara", Role::trainee, "blue");
  const auto before = std::chrono::system_clock::now();
  auto issued = store_->issue_token("tara", std::chrono::hours(8));
  ASSERT_TRUE(issued) << issued.error().message;
  EXPECT_EQ(issued->token.rfind("cyr_", 0), 0u);
  EXPECT_GT(issued->expires_at, before + std::chrono::hours(8) - std::chrono::minutes(1));
  EXPECT_LT(issued->expires_at, before + std::chrono::hours(8) + std::chrono::minutes(1));

  auto identity = store_->authenticate(issued->token);
  ASSERT_TRUE(identity) << identity.error().message;
  EXPECT_EQ(identity->user_id, id);
  EXPECT_EQ(identity->name, "tara");
  EXPECT_EQ(identity->role, Role::trainee);
  EXPECT_TRUE(identity->team_id.has_value());

  // Only the hash is stored, nowhere the token itself.
  pqxx::connection conn(db_.uri());
  pqxx::read_transaction tx(conn);
  EXPECT_EQ(tx.exec_params1("SELECT count(*) FROM api_tokens WHERE token_hash = $1",
                            hash_token(issued->token))[0]
                .as<int>(),
            1);
  EXPECT_EQ(tx.exec_params1("SELECT count(*) FROM api_tokens a WHERE a::text LIKE '%' || $1 || '%'",
                            issued->token.substr(4))[0]
                .as<int>(),
            0);
  EXPECT_EQ(tx.exec_params1("SELECT count(*) FROM audit_log a WHERE a::text LIKE '%' || $1 || '%'",
                            issued->token.substr(4))[0]
                .as<int>(),
            0);
  EXPECT_EQ(
      tx.exec1(
            "SELECT count(*) FROM audit_log WHERE action = 'token.issue' AND object = 'user:tara'")
          [0]
              .as<int>(),
      1);
}

TEST_F(IdentityStoreTest, ExpiredRevokedAndUnknownTokensAreRejectedDistinctly) {
  add("ada", Role::admin);
  auto to_expire = store_->issue_token("ada", std::chrono::hours(1));
  ASSERT_TRUE(to_expire);
  sql("UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = '" +
      hash_token(to_expire->token) + "'");
  auto expired = store_->authenticate(to_expire->token);
  ASSERT_FALSE(expired);

  auto to_revoke = store_->issue_token("ada", std::chrono::hours(1));
  ASSERT_TRUE(to_revoke);
  ASSERT_TRUE(store_->authenticate(to_revoke->token));
  ASSERT_TRUE(store_->revoke_tokens("ada"));
  auto revoked = store_->authenticate(to_revoke->token);
  ASSERT_FALSE(revoked);

  const auto never_issued = generate_token();
  auto unknown = store_->authenticate(never_issued);
  ASSERT_FALSE(unknown);

  for (const auto* result : {&expired, &revoked, &unknown}) {
    EXPECT_EQ(result->error().code, ErrorCode::unauthenticated);
  }
  EXPECT_NE(expired.error().message.find("expired"), std::string::npos) << expired.error().message;
  EXPECT_NE(revoked.error().message.find("revoked"), std::string::npos) << revoked.error().message;
  EXPECT_NE(unknown.error().message.find("not known"), std::string::npos)
      << unknown.error().message;
  EXPECT_EQ(expired.error().message.find(to_expire->token), std::string::npos);
  EXPECT_EQ(revoked.error().message.find(to_revoke->token), std::string::npos);
  EXPECT_EQ(unknown.error().message.find(never_issued), std::string::npos);

  // Revocation is not permanent for the user: a new token works again.
  auto fresh = store_->issue_token("ada", std::chrono::minutes(5));
  ASSERT_TRUE(fresh);
  EXPECT_TRUE(store_->authenticate(fresh->token));
}

TEST_F(IdentityStoreTest, TokenOperationsNeedAKnownUserAndPositiveLifetime) {
  auto missing = store_->issue_token("ghost", std::chrono::hours(1));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  auto revoke = store_->revoke_tokens("ghost");
  ASSERT_FALSE(revoke);
  EXPECT_EQ(revoke.error().code, ErrorCode::not_found);

  add("ada", Role::admin);
  for (auto ttl : {std::chrono::seconds(0), std::chrono::seconds(-5)}) {
    auto issued = store_->issue_token("ada", ttl);
    ASSERT_FALSE(issued);
    EXPECT_EQ(issued.error().code, ErrorCode::invalid_argument);
  }
  EXPECT_EQ(sql("SELECT count(*) FROM api_tokens")[0][0].as<int>(), 0);
}

TEST_F(IdentityStoreTest, PersonalDataLivesOnlyInItsOwnTable) {
  const auto id = add("tara", Role::trainee, "blue");
  const auto columns =
      sql("SELECT column_name FROM information_schema.columns WHERE table_name = 'users'");
  for (const auto& row : columns) {
    const auto name = row[0].as<std::string>();
    // disabled_at and erased_at are the account's state (cyrange users disable|erase);
    // exercise_id the run a trainee plays in (#17, 4).
    EXPECT_TRUE(name == "id" || name == "name" || name == "role" || name == "team_id" ||
                name == "disabled_at" || name == "erased_at" || name == "exercise_id")
        << name;
  }
  EXPECT_EQ(sql("SELECT count(*) FROM users u WHERE u::text LIKE '%example.org%' OR u::text LIKE "
                "'%Name of%'")[0][0]
                .as<int>(),
            0);
  const auto personal = sql("SELECT display_name, email FROM user_personal_data WHERE user_id = " +
                            std::to_string(id));
  ASSERT_EQ(personal.size(), 1u);
  EXPECT_EQ(personal[0][0].as<std::string>(), "Name of tara");
  EXPECT_EQ(personal[0][1].as<std::string>(), "tara@example.org");
}

TEST_F(IdentityStoreTest, SurvivesALostConnection) {
  add("ada", Role::admin);
  auto issued = store_->issue_token("ada", std::chrono::hours(1));
  ASSERT_TRUE(issued);
  // Kill every server process of the store, as a PostgreSQL restart would.
  const auto killed =
      sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
          "WHERE datname = current_database() AND pid <> pg_backend_pid() "
          "AND usename = current_user AND backend_type = 'client backend'");
  ASSERT_GE(killed.size(), 1u);
  auto identity = store_->authenticate(issued->token);
  ASSERT_TRUE(identity) << identity.error().message;
  EXPECT_EQ(identity->name, "ada");
}

TEST_F(IdentityStoreTest, AuthenticatesFromManyThreads) {
  add("ada", Role::admin);
  add("tara", Role::trainee, "blue");
  auto admin = store_->issue_token("ada", std::chrono::hours(1));
  auto trainee = store_->issue_token("tara", std::chrono::hours(1));
  ASSERT_TRUE(admin && trainee);
  std::atomic<int> correct{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 40; ++i) {
        const bool as_admin = (t + i) % 2 == 0;
        auto identity = store_->authenticate(as_admin ? admin->token : trainee->token);
        if (identity && identity->name == (as_admin ? "ada" : "tara")) ++correct;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(correct.load(), 240);
}

}  // namespace
}  // namespace cyrange::identity
