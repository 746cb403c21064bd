// Trainee terminals end to end over loopback gRPC, with the fake hypervisor's
// line shell as the guest: authorisation, relaying, recording and asciicast export.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include <client-core/range_client.h>
#include <orchestrator/exercise/range_registry.h>
#include <orchestrator/exercise/recording_hypervisor.h>
#include <orchestrator/exercise/terminal.h>
#include <orchestrator/identity/fake_authenticator.h>
#include <orchestrator/identity/identity_store.h>
#include <orchestrator/range/fake_hypervisor.h>
#include <orchestrator/range/team_range.h>
#include <orchestrator/range/tests/test_spec.h>
#include <orchestrator/rpc/server.h>
#include <orchestrator/store/testing/temp_database.h>

namespace cyrange::exercise {
namespace {

using identity::Identity;
using identity::Role;

// Collects terminal output and waits for a text to appear in it.
struct Screen {
  std::mutex mu;
  std::condition_variable cv;
  std::string text;
  void add(std::string_view bytes) {
    std::lock_guard lock(mu);
    text.append(bytes);
    cv.notify_all();
  }
  bool wait_for(const std::string& needle,
                std::chrono::seconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, timeout, [&] { return text.find(needle) != std::string::npos; });
  }
};

class TerminalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = RangeRegistry::open(db.uri());
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    registry = std::move(*opened);
    auto ids = identity::PgIdentityStore::open(db.uri());
    ASSERT_TRUE(ids.has_value());
    for (auto team : {"t1", "t2"}) {
      ASSERT_TRUE(registry->begin_exercise(std::string("ex") + team, "scn", "h", {team}).ok());
      auto spec = range::testing::three_host_spec(std::string("ex") + team, team);
      spec.hosts[2].trainee_terminal = true;  // ws
      ASSERT_TRUE(registry->save_team_spec(spec, "fake:///").ok());
      ranges.push_back(std::make_unique<range::TeamRange>(hv, spec, options()));
      ASSERT_TRUE(ranges.back()->up().ok());
    }
    team1 = *(*ids)->ensure_team("t1");
    team2 = *(*ids)->ensure_team("t2");
    // Recordings name their user by id, so the users must exist.
    alice = {*(*ids)->add_user({"alice", Role::trainee, "t1", "", ""}), "alice", Role::trainee,
             team1};
    bob = {*(*ids)->add_user({"bob", Role::trainee, "t2", "", ""}), "bob", Role::trainee, team2};
    ivy = {*(*ids)->add_user({"ivy", Role::instructor, std::nullopt, "", ""}), "ivy",
           Role::instructor, std::nullopt};
    dan = {*(*ids)->add_user({"dan", Role::designer, std::nullopt, "", ""}), "dan", Role::designer,
           std::nullopt};
    broker = std::make_shared<TerminalBroker>(hv, registry);
  }

  void TearDown() override {
    broker.reset();
    for (auto& r : ranges) EXPECT_TRUE(r->down().ok());
    EXPECT_EQ(hv.object_count(), 0u);
  }

  // cyranged's server over the broker on 127.0.0.1, for the callers `auth` knows.
  std::unique_ptr<rpc::Server> serve(std::shared_ptr<identity::FakeAuthenticator> auth) {
    config::Config config;
    config.listen_address = "127.0.0.1:0";
    config.plaintext = true;
    rpc::ServerDeps deps;
    deps.range = {registry, broker};
    auto server = rpc::Server::start(config, std::move(auth), std::move(deps));
    if (!server) throw std::runtime_error(server.error().message);
    return std::move(server).value();
  }

  static client::ClientOptions client_options(const rpc::Server& server, std::string token) {
    client::ClientOptions options;
    options.target = server.address();
    options.plaintext = true;
    options.timeout = std::chrono::seconds(10);
    options.token = std::move(token);
    return options;
  }

  static range::TeamRangeOptions options() {
    range::TeamRangeOptions o;
    o.image = {
        "tiny", "hash", "/img", "/img/vmlinuz", "/img/initramfs.cpio", "/img/data-base.qcow2",
        true};
    o.pool_root = "/tmp/cyrange-terminal-test-pools";
    return o;
  }

  store::testing::TempDatabase db;
  range::FakeHypervisor hv;
  std::shared_ptr<RangeRegistry> registry;
  std::vector<std::unique_ptr<range::TeamRange>> ranges;
  std::shared_ptr<TerminalBroker> broker;
  std::int64_t team1 = 0, team2 = 0;
  Identity alice, bob, ivy, dan;
};

TEST_F(TerminalTest, BrokerAuthorisesByTeamAndHost) {
  const Identity& trainee1 = alice;
  const Identity& instructor = ivy;
  const Identity& designer = dan;
  auto open = [&](const Identity& who, TerminalRequest req) {
    return broker->open(who, req, {}, {});
  };

  EXPECT_TRUE(open(trainee1, {"ext1", "", "ws"}).has_value());
  EXPECT_TRUE(open(trainee1, {"ext1", "t1", "ws"}).has_value());
  EXPECT_EQ(open(trainee1, {"ext2", "t2", "ws"}).error().code, ErrorCode::permission_denied);
  EXPECT_EQ(open(trainee1, {"ext2", "", "ws"}).error().code,
            ErrorCode::not_found);  // no t1 range there
  EXPECT_EQ(open(trainee1, {"ext1", "", "web"}).error().code,
            ErrorCode::not_found);  // no trainee terminal
  EXPECT_EQ(open(trainee1, {"ext1", "", "nope"}).error().code, ErrorCode::not_found);
  EXPECT_EQ(open(trainee1, {"nope", "", "ws"}).error().code, ErrorCode::not_found);
  EXPECT_TRUE(open(instructor, {"ext2", "t2", "ws"}).has_value());
  EXPECT_EQ(open(designer, {"ext2", "t2", "ws"}).error().code, ErrorCode::permission_denied);

  auto listed = broker->list_ranges(trainee1);
  ASSERT_TRUE(listed.has_value());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().team, "t1");
  EXPECT_EQ(broker->list_ranges(instructor)->size(), 2u);
}

TEST_F(TerminalTest, TraineeTypesOverGrpcAndTheSessionExportsAsAsciicast) {
  auto auth = std::make_shared<identity::FakeAuthenticator>();
  auth->add("tok-alice", alice);
  auth->add("tok-bob", bob);
  auto server = serve(auth);
  client::ClientOptions options = client_options(*server, "tok-alice");
  auto alice = client::Connection::open(options);
  ASSERT_TRUE(alice.has_value());

  Screen screen;
  auto term = client::TerminalClient::open(*alice, {"ext1", "", "ws", 100, 30},
                                           [&](std::string_view b) { screen.add(b); });
  ASSERT_TRUE(term.has_value()) << term.error().message;
  EXPECT_EQ((*term)->team(), "t1");
  ASSERT_TRUE((*term)->send_keys("hostname\n").ok());
  EXPECT_TRUE(screen.wait_for("hostname\r\nws\r\n")) << screen.text;
  ASSERT_TRUE((*term)->send_keys("su\n").ok());
  EXPECT_TRUE(screen.wait_for("Password: ")) << screen.text;
  ASSERT_TRUE((*term)->send_keys("hunter2\n").ok());
  EXPECT_TRUE(screen.wait_for("Password: \r\n$ ")) << screen.text;
  ASSERT_TRUE((*term)->resize(120, 40).ok());
  const auto session = (*term)->session_id();
  (*term)->close();

  auto listed = client::list_ranges(*alice);
  ASSERT_TRUE(listed.has_value()) << listed.error().message;
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().team, "t1");

  options.token = "tok-bob";
  auto bob = client::Connection::open(options);
  auto denied = client::TerminalClient::open(*bob, {"ext1", "t1", "ws"}, [](std::string_view) {});
  ASSERT_FALSE(denied.has_value());
  // Bob's team plays no part in ext1: over gRPC he gets the answer of an id nobody used.
  EXPECT_EQ(denied.error().code, ErrorCode::not_found) << denied.error().message;

  // The recorder writes asynchronously; the session is complete once it is marked ended.
  std::string cast;
  for (int i = 0; i < 50; ++i) {
    auto exported = export_asciicast(*registry, session);
    ASSERT_TRUE(exported.has_value()) << exported.error().message;
    cast = *exported;
    if (cast.find("120x40") != std::string::npos &&
        cast.find("\\r\\nws\\r\\n") != std::string::npos)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::istringstream lines(cast);
  std::string line;
  ASSERT_TRUE(std::getline(lines, line));
  auto header = nlohmann::json::parse(line);
  EXPECT_EQ(header.at("version"), 2);
  EXPECT_EQ(header.at("width"), 100);
  EXPECT_EQ(header.at("height"), 30);
  double last = 0;
  std::string input, output;
  bool resized = false;
  while (std::getline(lines, line)) {
    auto event = nlohmann::json::parse(line);  // throws (fails) on invalid JSON
    ASSERT_TRUE(event.is_array());
    ASSERT_EQ(event.size(), 3u);
    EXPECT_GE(event[0].get<double>(), last);
    last = event[0].get<double>();
    const std::string kind = event[1];
    if (kind == "i") input += event[2].get<std::string>();
    if (kind == "o") output += event[2].get<std::string>();
    if (kind == "r") resized = event[2] == "120x40";
  }
  EXPECT_NE(input.find("hostname\n"), std::string::npos) << input;
  // The line typed at the password prompt reached the guest but not the recording.
  EXPECT_EQ(input.find("hunter2"), std::string::npos) << input;
  EXPECT_NE(input.find("[redacted]\n"), std::string::npos) << input;
  EXPECT_NE(output.find("hostname\r\nws\r\n"), std::string::npos) << output;
  EXPECT_TRUE(resized);
  server->shutdown(std::chrono::milliseconds(200));
}

TEST_F(TerminalTest, InstructorsWatchProvisioningUntilItIsOver) {
  auto auth = std::make_shared<identity::FakeAuthenticator>();
  auth->add("tok-ivy", ivy);
  auth->add("tok-alice", alice);
  auto server = serve(auth);
  client::ClientOptions options = client_options(*server, "tok-ivy");
  auto conn = client::Connection::open(options);

  ASSERT_TRUE(registry->record_progress("ext1", {"t1", "web", "booting", "", 40, 0}).ok());
  std::vector<client::ProvisioningStep> steps;
  std::thread provisioner([&] {
    // Another process finishes the range while the instructor watches.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    (void)registry->record_progress("ext1", {"t1", "web", "ready", "ready", 100, 0});
    (void)registry->set_state("ext1", kStateReady);
  });
  auto watched = client::watch_provisioning(
      *conn, "ext1", [&](const client::ProvisioningStep& s) { steps.push_back(s); });
  provisioner.join();
  ASSERT_TRUE(watched.ok()) << watched.error().message;
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].state, "booting");
  EXPECT_EQ(steps[1].state, "ready");
  EXPECT_EQ(steps[1].percent, 100);

  options.token = "tok-alice";
  auto trainee = client::Connection::open(options);
  auto refused =
      client::watch_provisioning(*trainee, "ext1", [](const client::ProvisioningStep&) {});
  EXPECT_EQ(refused.error().code, ErrorCode::permission_denied);
  server->shutdown(std::chrono::milliseconds(200));
}

// Without scoring consent a trainee still gets a working terminal, but nothing of it
// is stored; a withdrawal while a recorded terminal is open stops its recording.
TEST_F(TerminalTest, TerminalsOfTraineesWithoutConsentRecordNothing) {
  std::mutex consent_mu;
  bool consented = false;
  broker->require_consent([&](std::int64_t user_id, const std::string& exercise) {
    std::lock_guard lock(consent_mu);
    return Expected<bool>(consented && user_id == alice.user_id && exercise == "ext1");
  });
  auto auth = std::make_shared<identity::FakeAuthenticator>();
  auth->add("tok-alice", alice);
  auto server = serve(auth);
  auto conn = client::Connection::open(client_options(*server, "tok-alice"));
  ASSERT_TRUE(conn.has_value());
  const auto sessions = [&] { return db.query_one("SELECT count(*) FROM terminal_sessions"); };

  Screen unrecorded_screen;
  auto unrecorded = client::TerminalClient::open(
      *conn, {"ext1", "", "ws"}, [&](std::string_view b) { unrecorded_screen.add(b); });
  ASSERT_TRUE(unrecorded.has_value()) << unrecorded.error().message;
  EXPECT_FALSE((*unrecorded)->recorded());
  EXPECT_EQ((*unrecorded)->session_id(), 0);
  EXPECT_NE((*unrecorded)->notice().en.find("not recorded"), std::string::npos);
  EXPECT_NE((*unrecorded)->notice().ja.find("同意"), std::string::npos);
  ASSERT_TRUE((*unrecorded)->send_keys("hostname\n").ok());
  EXPECT_TRUE(unrecorded_screen.wait_for("hostname\r\nws\r\n")) << unrecorded_screen.text;
  (*unrecorded)->close();
  EXPECT_EQ(sessions(), "0");

  {
    std::lock_guard lock(consent_mu);
    consented = true;
  }
  Screen screen;
  auto term = client::TerminalClient::open(*conn, {"ext1", "", "ws"},
                                           [&](std::string_view b) { screen.add(b); });
  ASSERT_TRUE(term.has_value()) << term.error().message;
  EXPECT_TRUE((*term)->recorded());
  EXPECT_TRUE((*term)->notice().empty());
  const auto session = (*term)->session_id();
  ASSERT_NE(session, 0);
  ASSERT_TRUE((*term)->send_keys("echo before\n").ok());
  ASSERT_TRUE(screen.wait_for("before\r\n$ ")) << screen.text;
  const auto recorded_text = [&] {
    auto cast = export_asciicast(*registry, session);
    return cast ? *cast : std::string();
  };
  for (int i = 0; i < 100 && recorded_text().find("before\\r\\n") == std::string::npos; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_NE(recorded_text().find("echo before"), std::string::npos) << recorded_text();

  {
    std::lock_guard lock(consent_mu);
    consented = false;  // withdrawn while the terminal is open
  }
  ASSERT_TRUE((*term)->send_keys("echo after-withdrawal\n").ok());
  ASSERT_TRUE(screen.wait_for("after-withdrawal\r\n$ ")) << screen.text;
  (*term)->close();
  std::this_thread::sleep_for(std::chrono::milliseconds(400));  // two flushes of the recorder
  EXPECT_EQ(recorded_text().find("after-withdrawal"), std::string::npos) << recorded_text();
  EXPECT_EQ(sessions(), "1");
  server->shutdown(std::chrono::milliseconds(200));
}

TEST(Asciicast, UnknownSessionIsNotFound) {
  store::testing::TempDatabase db;
  auto registry = RangeRegistry::open(db.uri());
  ASSERT_TRUE(registry.has_value());
  EXPECT_EQ(export_asciicast(**registry, 424242).error().code, ErrorCode::not_found);
}

}  // namespace
}  // namespace cyrange::exercise
