// PrivacyService over gRPC (127.0.0.1) on a real PostgreSQL: a trainee reads the
// texts and manages their own consents, and can neither give nor withdraw anyone
// else's.
#include <chrono>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <cyrange/v1/privacy.grpc.pb.h>

#include <orchestrator/config/config.h>
#include <orchestrator/privacy/consent_desk.h>
#include <orchestrator/privacy/pg_consent_store.h>
#include <orchestrator/privacy/tests/privacy_test_env.h>
#include <orchestrator/rpc/server.h>

namespace cyrange::privacy {
namespace {

namespace v1 = cyrange::v1;

struct PrivacyRpc : ::testing::Test {
  testing::PrivacyDb env;
  std::unique_ptr<rpc::Server> server;
  std::unique_ptr<v1::PrivacyService::Stub> stub;
  std::string alice_token, bob_token, ada_token;

  void SetUp() override {
    env.trainee("alice", "red");
    env.trainee("bob", "red");
    env.staff("ada", identity::Role::admin);
    env.exercise("ex1", {"red"});
    alice_token = env.token("alice");
    bob_token = env.token("bob");
    ada_token = env.token("ada");
    config::Config config;
    config.listen_address = "127.0.0.1:0";
    config.plaintext = true;
    rpc::ServerDeps deps;
    deps.privacy = std::make_shared<ConsentDesk>(
        std::shared_ptr<ConsentStore>(testing::must(PgConsentStore::open(env.uri()))));
    server = testing::must(rpc::Server::start(config, env.identities, std::move(deps)));
    stub = v1::PrivacyService::NewStub(
        grpc::CreateChannel(server->address(), grpc::InsecureChannelCredentials()));
  }

  void TearDown() override { server->shutdown(std::chrono::milliseconds(200)); }

  std::unique_ptr<grpc::ClientContext> as(const std::string& token) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    ctx->AddMetadata("authorization", "Bearer " + token);
    return ctx;
  }

  int current_version(v1::ConsentPurpose purpose) {
    v1::GetConsentTextsResponse texts;
    auto status = stub->GetConsentTexts(as(alice_token).get(), {}, &texts);
    EXPECT_TRUE(status.ok()) << status.error_message();
    for (const auto& t : texts.texts()) {
      if (t.purpose() == purpose) return t.version();
    }
    return 0;
  }

  grpc::Status give(const std::string& token, std::int64_t user_id, v1::ConsentRecord* out) {
    v1::GiveConsentRequest request;
    request.set_exercise_id("ex1");
    request.set_purpose(v1::CONSENT_PURPOSE_SCORING);
    request.set_version(current_version(v1::CONSENT_PURPOSE_SCORING));
    request.set_user_id(user_id);
    return stub->GiveConsent(as(token).get(), request, out);
  }

  grpc::Status withdraw(const std::string& token, std::int64_t user_id,
                        v1::WithdrawConsentResponse* out) {
    v1::WithdrawConsentRequest request;
    request.set_exercise_id("ex1");
    request.set_purpose(v1::CONSENT_PURPOSE_SCORING);
    request.set_user_id(user_id);
    return stub->WithdrawConsent(as(token).get(), request, out);
  }
};

TEST_F(PrivacyRpc, TextsComeInBothLanguagesForBothPurposes) {
  v1::GetConsentTextsResponse texts;
  auto status = stub->GetConsentTexts(as(alice_token).get(), {}, &texts);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(texts.texts_size(), 2);
  EXPECT_EQ(texts.texts(0).purpose(), v1::CONSENT_PURPOSE_SCORING);
  EXPECT_EQ(texts.texts(1).purpose(), v1::CONSENT_PURPOSE_RESEARCH);
  for (const auto& t : texts.texts()) {
    EXPECT_FALSE(t.text().ja().empty());
    EXPECT_FALSE(t.text().en().empty());
    EXPECT_FALSE(t.title().ja().empty());
    EXPECT_GE(t.version(), 2);
  }
}

TEST_F(PrivacyRpc, ATraineeCannotGiveOrWithdrawConsentForAnotherUser) {
  const std::int64_t bob = env.users["bob"];
  v1::ConsentRecord record;
  auto forged = give(alice_token, bob, &record);
  EXPECT_EQ(forged.error_code(), grpc::StatusCode::PERMISSION_DENIED) << forged.error_message();
  EXPECT_EQ(env.sql("SELECT count(*) FROM consents"), "0");

  ASSERT_TRUE(give(bob_token, 0, &record).ok());
  EXPECT_TRUE(record.active());
  env.events("ex1", "bob", 6);
  v1::WithdrawConsentResponse withdrawn;
  auto foreign = withdraw(alice_token, bob, &withdrawn);
  EXPECT_EQ(foreign.error_code(), grpc::StatusCode::PERMISSION_DENIED) << foreign.error_message();
  EXPECT_EQ(env.sql("SELECT count(*) FROM consents WHERE withdrawn_at IS NULL AND user_id = " +
                    std::to_string(bob)),
            "1");
  EXPECT_EQ(env.event_count("ex1", "bob"), 6);

  // The trainee themself can, and the recording goes with the consent.
  auto own = withdraw(bob_token, 0, &withdrawn);
  ASSERT_TRUE(own.ok()) << own.error_message();
  EXPECT_FALSE(withdrawn.consent().active());
  EXPECT_EQ(withdrawn.consent().end_reason(), "withdrawn");
  EXPECT_EQ(withdrawn.deleted_events(), 6);
  EXPECT_EQ(env.event_count("ex1", "bob"), 0);
}

TEST_F(PrivacyRpc, MyConsentsListsOnlyTheCallersOwn) {
  v1::ConsentRecord record;
  ASSERT_TRUE(give(alice_token, 0, &record).ok());
  ASSERT_TRUE(give(bob_token, 0, &record).ok());
  v1::MyConsentsRequest request;
  v1::MyConsentsResponse mine;
  ASSERT_TRUE(stub->MyConsents(as(alice_token).get(), request, &mine).ok());
  ASSERT_EQ(mine.consents_size(), 1);
  EXPECT_EQ(mine.consents(0).exercise_id(), "ex1");
  EXPECT_EQ(mine.consents(0).purpose(), v1::CONSENT_PURPOSE_SCORING);
  EXPECT_TRUE(mine.consents(0).active());
  EXPECT_GT(mine.consents(0).given_unix(), 0);
  ASSERT_TRUE(stub->MyConsents(as(ada_token).get(), request, &mine).ok());
  EXPECT_EQ(mine.consents_size(), 0);
}

TEST_F(PrivacyRpc, AnAdminWithdrawsOnRequestButCannotConsentForAnyone) {
  const std::int64_t alice = env.users["alice"];
  v1::ConsentRecord record;
  EXPECT_EQ(give(ada_token, alice, &record).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(give(alice_token, 0, &record).ok());
  v1::WithdrawConsentResponse withdrawn;
  auto on_request = withdraw(ada_token, alice, &withdrawn);
  ASSERT_TRUE(on_request.ok()) << on_request.error_message();
  EXPECT_EQ(env.sql("SELECT detail->>'actor' FROM audit_log WHERE action = 'consent.withdraw'"),
            "ada (admin)");
}

TEST_F(PrivacyRpc, AMissingPurposeIsAnInvalidArgument) {
  v1::GiveConsentRequest request;
  request.set_exercise_id("ex1");
  request.set_version(2);
  v1::ConsentRecord record;
  auto status = stub->GiveConsent(as(alice_token).get(), request, &record);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
}

}  // namespace
}  // namespace cyrange::privacy
