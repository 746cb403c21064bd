#include <gtest/gtest.h>

#include <client-core/system_client.h>
#include <cyrange/v1/common.pb.h>

#include <orchestrator/common/version.h>
#include <orchestrator/rpc/call_gate.h>
#include <orchestrator/rpc/tests/rpc_test_support.h>

namespace cyrange::rpc {
namespace {

using namespace std::chrono_literals;
using cyrange::rpc::testing::LoopbackServer;

identity::Identity trainee() {
  identity::Identity who;
  who.user_id = 42;
  who.name = "alice";
  who.role = identity::Role::trainee;
  who.team_id = 3;
  return who;
}

class RpcServerTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    std::string error = env_.start(/*tls=*/GetParam());
    ASSERT_TRUE(error.empty()) << error;
    env_.auth->add("good-token", trainee());
    env_.auth->add("old-token", trainee(), std::chrono::system_clock::now() - 1h);
    env_.auth->add("revoked-token", trainee());
    env_.auth->revoke("revoked-token");
  }
  client::SystemClient client(std::string token = {}) {
    auto conn = client::Connection::open(env_.client_options(std::move(token)));
    EXPECT_TRUE(conn) << conn.error().message;
    return client::SystemClient(*conn);
  }
  LoopbackServer env_;
};

TEST_P(RpcServerTest, HealthNeedsNoTokenAndReportsComponents) {
  auto health = client().health();
  ASSERT_TRUE(health) << health.error().message;
  EXPECT_TRUE(health->serving);
  EXPECT_EQ(health->components.at("postgresql"), "ok");

  env_.probe->set_up(false);
  health = client().health();
  ASSERT_TRUE(health) << health.error().message;
  EXPECT_FALSE(health->serving);
  EXPECT_EQ(health->components.at("postgresql"), "unavailable");
}

TEST_P(RpcServerTest, MissingTokenIsUnauthenticatedWithAHint) {
  auto who = client().whoami();
  ASSERT_FALSE(who);
  EXPECT_EQ(who.error().code, ErrorCode::unauthenticated);
  EXPECT_NE(who.error().message.find("cyrange users"), std::string::npos) << who.error().message;
  auto version = client().version();
  ASSERT_FALSE(version);
  EXPECT_EQ(version.error().code, ErrorCode::unauthenticated);
}

TEST_P(RpcServerTest, WrongExpiredAndRevokedTokensAreRejectedWithoutEcho) {
  for (const char* token : {"not-a-known-token-xyz", "old-token", "revoked-token"}) {
    auto who = client(token).whoami();
    ASSERT_FALSE(who) << token;
    EXPECT_EQ(who.error().code, ErrorCode::unauthenticated) << token;
    EXPECT_EQ(who.error().message.find(token), std::string::npos)
        << "the token was echoed: " << who.error().message;
    auto version = client(token).version();
    ASSERT_FALSE(version) << token;
    EXPECT_EQ(version.error().code, ErrorCode::unauthenticated) << token;
  }
}

TEST_P(RpcServerTest, ValidTokenGivesTheCallersIdentityAndVersions) {
  auto who = client("good-token").whoami();
  ASSERT_TRUE(who) << who.error().message;
  EXPECT_EQ(who->user_id, 42);
  EXPECT_EQ(who->name, "alice");
  EXPECT_EQ(who->role, client::Role::trainee);
  ASSERT_TRUE(who->team_id.has_value());
  EXPECT_EQ(*who->team_id, 3);

  auto version = client("good-token").version();
  ASSERT_TRUE(version) << version.error().message;
  EXPECT_EQ(version->server_version, kVersion);
  EXPECT_EQ(version->api_revision, kApiRevision);
  EXPECT_EQ(version->schema_version, 7u);
}

INSTANTIATE_TEST_SUITE_P(Transports, RpcServerTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "tls" : "plaintext"; });

TEST(RpcServerStart, MissingTlsFilesNameTheFileAndTheCommand) {
  config::Config config;
  config.listen_address = "127.0.0.1:0";
  config.tls_dir = "/nonexistent/cyrange-tls";
  auto started = Server::start(config, std::make_shared<identity::FakeAuthenticator>(), {});
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().message.find("/nonexistent/cyrange-tls/server.pem"), std::string::npos)
      << started.error().message;
  EXPECT_NE(started.error().message.find("cyrange certs init"), std::string::npos);
}

TEST(RpcServerStart, TlsClientWithoutTheCaCannotConnect) {
  LoopbackServer env;
  ASSERT_EQ(env.start(/*tls=*/true), "");
  auto options = env.client_options();
  options.ca_file.clear();  // system roots do not know the local CA
  options.timeout = 2s;
  auto conn = client::Connection::open(options);
  ASSERT_TRUE(conn);
  auto health = client::SystemClient(*conn).health();
  ASSERT_FALSE(health);
  EXPECT_EQ(health.error().code, ErrorCode::unavailable);
}

TEST(Bilingual, GluedMessagesTravelAsTwoLanguages) {
  auto [en, ja] =
      split_bilingual("Objective 'x' is not part of this exercise. / 目標 'x' はありません。");
  EXPECT_EQ(en, "Objective 'x' is not part of this exercise.");
  EXPECT_EQ(ja, "目標 'x' はありません。");
  // A slash between English words is not a language boundary.
  auto [only_en, none] = split_bilingual("Use read / write access.");
  EXPECT_EQ(only_en, "Use read / write access.");
  EXPECT_TRUE(none.empty());
  // A sentence's end followed by Japanese is a boundary too; an accented name is not.
  auto [sentence, japanese] =
      split_bilingual("This server has no analytics. このサーバでは分析を利用できません。");
  EXPECT_EQ(sentence, "This server has no analytics.");
  EXPECT_EQ(japanese, "このサーバでは分析を利用できません。");
  auto [accented, no_ja] = split_bilingual("Ask the operator. Émilie knows the rules.");
  EXPECT_EQ(accented, "Ask the operator. Émilie knows the rules.");
  EXPECT_TRUE(no_ja.empty());
  grpc::Status status = to_grpc(make_error(ErrorCode::not_found, "Gone. / ありません。"));
  EXPECT_EQ(status.error_message(), "Gone.");
  v1::ErrorDetail detail;
  ASSERT_TRUE(detail.ParseFromString(status.error_details()));
  EXPECT_EQ(detail.text().ja(), "ありません。");
}

TEST(BearerToken, ParsesOnlyTheBearerScheme) {
  EXPECT_EQ(bearer_token("Bearer abc").value_or(""), "abc");
  EXPECT_EQ(bearer_token("bearer  abc ").value_or(""), "abc");
  EXPECT_FALSE(bearer_token("Basic abc"));
  EXPECT_FALSE(bearer_token("Bearer "));
  EXPECT_FALSE(bearer_token("Bearer a b"));
  EXPECT_FALSE(bearer_token("abc"));
}

}  // namespace
}  // namespace cyrange::rpc
