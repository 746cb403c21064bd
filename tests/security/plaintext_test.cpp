// Audit #17, item 7: traffic without TLS stays on this machine. cyranged serves plaintext only
// on a loopback address or a unix socket; client-core sends no token in clear to anything
// else; `cyrange` takes `plaintext` from a configuration file only for a loopback server.
// "0.0.0.0:PORT" is the remote target here: Linux connects it to the local listener, so the
// code before the fix really sent the token in clear (over loopback, nowhere else).
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include <client-core/connection.h>
#include <client-core/system_client.h>
#include <orchestrator/cli/tests/cli_process.h>
#include <orchestrator/common/loopback.h>
#include <orchestrator/config/config.h>
#include <orchestrator/identity/fake_authenticator.h>
#include <orchestrator/rpc/server.h>

namespace cyrange::security {
namespace {

constexpr const char* kToken = "plaintext-test-token";

// A scratch folder removed at the end of the test.
struct ScratchDir {
  std::filesystem::path path;
  ScratchDir() {
    char tmpl[] = "/tmp/cyrange-plaintext-XXXXXX";
    if (::mkdtemp(tmpl) != nullptr) path = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!path.empty()) std::filesystem::remove_all(path, ec);
  }
};

std::shared_ptr<identity::FakeAuthenticator> one_user() {
  auto auth = std::make_shared<identity::FakeAuthenticator>();
  identity::Identity who;
  who.user_id = 42;
  who.name = "plainuser";
  who.role = identity::Role::instructor;
  auth->add(kToken, who);
  return auth;
}

Expected<std::unique_ptr<rpc::Server>> plaintext_server(const std::string& listen) {
  config::Config config;
  config.listen_address = listen;
  config.plaintext = true;
  return rpc::Server::start(config, one_user(), rpc::ServerDeps{});
}

client::ClientOptions plaintext_client(const std::string& target) {
  client::ClientOptions options;
  options.target = target;
  options.plaintext = true;
  options.token = kToken;
  options.timeout = std::chrono::seconds(5);
  return options;
}

TEST(PlaintextTest, LoopbackTargetsAreTold) {
  for (const char* target :
       {"127.0.0.1:50051", "127.4.5.6:1", "localhost:50051", "[::1]:50051", "::1",
        "ipv4:127.0.0.1:1,127.0.0.2:2", "dns:///localhost:50051", "unix:/run/cyranged.sock",
        "unix-abstract:cyranged", "[::ffff:127.0.0.1]:50051", "LOCALHOST.:1"}) {
    EXPECT_TRUE(is_loopback_target(target)) << target;
  }
  for (const char* target :
       {"0.0.0.0:50051", "[::]:50051", ":50051", "10.0.0.7:50051", "cyrange.example.org:443",
        "localhost.example.org:1", "128.0.0.1:1", "ipv4:127.0.0.1:1,10.0.0.1:2",
        "dns://8.8.8.8/10.0.0.1:1", "[::ffff:10.0.0.1]:1", ""}) {
    EXPECT_FALSE(is_loopback_target(target)) << target;
  }
}

TEST(PlaintextTest, ServerRefusesPlaintextBeyondLoopback) {
  for (const char* listen : {"0.0.0.0:0", "[::]:0"}) {
    auto server = plaintext_server(listen);
    ASSERT_FALSE(server) << listen << " was served without TLS";
    EXPECT_EQ(server.error().code, ErrorCode::failed_precondition);
    EXPECT_NE(server.error().message.find("loopback"), std::string::npos) << server.error().message;
    EXPECT_NE(server.error().message.find("cyrange certs init"), std::string::npos);
    EXPECT_NE(server.error().message_ja.find("ループバック"), std::string::npos);
  }
  auto local = plaintext_server("127.0.0.1:0");
  ASSERT_TRUE(local) << local.error().message;
  EXPECT_TRUE((*local)->plaintext());
}

TEST(PlaintextTest, UnixSocketServesPlaintext) {
  ScratchDir dir;
  const std::string socket = "unix:" + (dir.path / "cyranged.sock").string();
  auto server = plaintext_server(socket);
  ASSERT_TRUE(server) << server.error().message;
  EXPECT_EQ((*server)->address(), socket);
  auto connection = client::Connection::open(plaintext_client(socket));
  ASSERT_TRUE(connection) << connection.error().message;
  auto caller = client::SystemClient(*connection).whoami();
  ASSERT_TRUE(caller) << caller.error().message;
  EXPECT_EQ(caller->name, "plainuser");
}

TEST(PlaintextTest, ClientSendsNoTokenInClearBeyondLoopback) {
  auto server = plaintext_server("127.0.0.1:0");
  ASSERT_TRUE(server) << server.error().message;
  const std::string remote = "0.0.0.0:" + std::to_string((*server)->port());
  for (const std::string& target : {remote, std::string("192.0.2.10:50051")}) {
    auto connection = client::Connection::open(plaintext_client(target));
    ASSERT_FALSE(connection) << "a plaintext connection to " << target << " was opened";
    EXPECT_EQ(connection.error().code, ErrorCode::failed_precondition);
    EXPECT_NE(connection.error().message.find("without TLS"), std::string::npos)
        << connection.error().message;
    EXPECT_NE(connection.error().message.find("--ca"), std::string::npos);
    EXPECT_NE(connection.error().message_ja.find("TLS なし"), std::string::npos);
  }
  auto local = client::Connection::open(plaintext_client((*server)->address()));
  ASSERT_TRUE(local) << local.error().message;
  auto caller = client::SystemClient(*local).whoami();
  ASSERT_TRUE(caller) << caller.error().message;
  EXPECT_EQ(caller->name, "plainuser");
}

TEST(PlaintextTest, CliTakesPlaintextFromConfigOnlyForLoopback) {
  auto server = plaintext_server("127.0.0.1:0");
  ASSERT_TRUE(server) << server.error().message;
  ScratchDir dir;
  // A shared configuration file of a machine whose own cyranged serves plaintext; its TLS
  // folder has no CA, so a TLS attempt ends before any traffic.
  const auto config = dir.path / "cyrange.yaml";
  std::ofstream(config) << "plaintext: true\ntls_dir: " << (dir.path / "tls").string() << "\n";
  const std::string port = std::to_string((*server)->port());
  const std::string common = "--config '" + config.string() + "' --token " + kToken;

  auto local =
      cli::testing::run_cyrange("whoami --server 127.0.0.1:" + port + " " + common, dir.path, true);
  EXPECT_EQ(local.status, 0) << local.out;
  EXPECT_NE(local.out.find("plainuser"), std::string::npos) << local.out;

  auto remote =
      cli::testing::run_cyrange("whoami --server 0.0.0.0:" + port + " " + common, dir.path, true);
  EXPECT_NE(remote.status, 0) << remote.out;
  EXPECT_EQ(remote.out.find("plainuser"), std::string::npos)
      << "the token went in clear to a server that is not loopback: " << remote.out;
  EXPECT_NE(remote.out.find("CA file"), std::string::npos) << remote.out;

  auto forced = cli::testing::run_cyrange(
      "whoami --plaintext --server 0.0.0.0:" + port + " " + common, dir.path, true);
  EXPECT_NE(forced.status, 0) << forced.out;
  EXPECT_EQ(forced.out.find("plainuser"), std::string::npos) << forced.out;
  EXPECT_NE(forced.out.find("without TLS"), std::string::npos) << forced.out;
}

}  // namespace
}  // namespace cyrange::security
