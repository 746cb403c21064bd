// Integration: the real cyranged binary on a throw-away PostgreSQL database, with
// TLS from `certs init`, a trainee created by the real `cyrange users add`, and a
// client-core call; then SIGTERM must stop it cleanly.
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <client-core/scoring_client.h>
#include <client-core/system_client.h>
#include <orchestrator/certs/certs.h>
#include <orchestrator/daemon/daemon_process.h>
#include <orchestrator/store/testing/temp_database.h>

namespace cyrange::rpc {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using store::testing::TempDatabase;

const fs::path kBinaryDir = CYRANGE_BINARY_DIR;
const fs::path kDaemon = kBinaryDir / "orchestrator/daemon/cyranged";
const fs::path kCli = kBinaryDir / "orchestrator/cli/cyrange";

std::string slurp(const fs::path& file) {
  std::ifstream in(file);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// Starts cyranged from the build tree with its log in `log`.
daemon::DaemonProcess start_daemon(const std::vector<std::string>& args, const fs::path& log) {
  auto spawned = daemon::DaemonProcess::spawn(kDaemon, args, log);
  EXPECT_TRUE(spawned) << spawned.error().message;
  return std::move(spawned).value();
}

class DaemonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/cyrange-daemon-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    ASSERT_TRUE(fs::exists(kDaemon)) << kDaemon;
    ASSERT_TRUE(fs::exists(kCli)) << kCli;
  }
  void TearDown() override { fs::remove_all(dir_); }

  /// Runs the cyrange CLI; returns its stdout (the token of users add) and exit code.
  std::pair<std::string, int> cli(const std::string& args) {
    const std::string cmd = kCli.string() + " " + args + " 2>" + (dir_ / "cli.err").string();
    FILE* pipe = ::popen(cmd.c_str(), "r");
    std::string out;
    char buf[256];
    while (pipe != nullptr && std::fgets(buf, sizeof buf, pipe) != nullptr) out += buf;
    int status = pipe != nullptr ? ::pclose(pipe) : -1;
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return {out, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
  }

  fs::path dir_;
};

TEST_F(DaemonTest, ServesWhoAmIOverTlsAndStopsCleanlyOnSigterm) {
  TempDatabase db;
  const fs::path tls = dir_ / "tls";
  auto [certs_out, certs_rc] = cli("certs init --dir " + tls.string());
  ASSERT_EQ(certs_rc, 0) << slurp(dir_ / "cli.err");
  auto [token, add_rc] =
      cli("users add carol --role trainee --team red --exercise day1 --db '" + db.uri() + "'");
  ASSERT_EQ(add_rc, 0) << slurp(dir_ / "cli.err");
  ASSERT_GE(token.size(), 20u);
  auto [staff_token, staff_rc] = cli("users add ivan --role instructor --db '" + db.uri() + "'");
  ASSERT_EQ(staff_rc, 0) << slurp(dir_ / "cli.err");

  auto daemon =
      start_daemon({"--db", db.uri(), "--listen", "127.0.0.1:0", "--tls-dir", tls.string()},
                   dir_ / "cyranged.log");
  auto listening = daemon.wait_listening(15s);
  ASSERT_TRUE(listening) << listening.error().message;
  const std::string address = *listening;
  EXPECT_NE(daemon.log().find("TLS"), std::string::npos);

  client::ClientOptions options;
  options.target = address;
  options.ca_file = tls / certs::kCaCertFile;
  options.token = token;
  auto conn = client::Connection::open(options);
  ASSERT_TRUE(conn) << conn.error().message;
  client::SystemClient system(*conn);

  auto who = system.whoami();
  ASSERT_TRUE(who) << who.error().message << "\n" << daemon.log();
  EXPECT_EQ(who->name, "carol");
  EXPECT_EQ(who->role, client::Role::trainee);
  EXPECT_TRUE(who->team_id.has_value());

  auto health = system.health();
  ASSERT_TRUE(health) << health.error().message;
  EXPECT_TRUE(health->serving);
  EXPECT_EQ(health->components["postgresql"], "ok");

  // ScoringService is wired to the ledger: an unknown exercise is a domain error, not UNAVAILABLE.
  options.token = staff_token;
  auto staff = client::Connection::open(options);
  ASSERT_TRUE(staff) << staff.error().message;
  auto board = client::ScoringClient(*staff).scoreboard("no-such-exercise");
  ASSERT_FALSE(board);
  EXPECT_EQ(board.error().code, ErrorCode::not_found) << board.error().message << "\n"
                                                      << daemon.log();

  options.token = "cyr_definitely_not_a_token";
  auto wrong = client::SystemClient(*client::Connection::open(options)).whoami();
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::unauthenticated);

  // The CLI's whoami goes through the same path.
  auto [whoami_out, whoami_rc] = cli("whoami --server " + address + " --ca " +
                                     (tls / "ca.pem").string() + " --token " + token);
  EXPECT_EQ(whoami_rc, 0) << slurp(dir_ / "cli.err");
  EXPECT_NE(whoami_out.find("carol (trainee"), std::string::npos) << whoami_out;

  daemon.signal(SIGTERM);
  // cyranged may use its whole 5 s shutdown grace; waiting exactly 5 s would race it.
  auto status = daemon.wait_exit(8s);
  ASSERT_TRUE(status.has_value()) << "cyranged did not exit within 8 s of SIGTERM\n"
                                  << daemon.log();
  EXPECT_EQ(*status, 0) << daemon.log();
  EXPECT_NE(daemon.log().find("cyranged stopped"), std::string::npos);
}

TEST_F(DaemonTest, RefusesAnUnmigratedDatabaseWithTheMigrateCommand) {
  TempDatabase db(TempDatabase::Schema::empty);
  auto daemon = start_daemon({"--db", db.uri(), "--listen", "127.0.0.1:0", "--plaintext"},
                             dir_ / "cyranged.log");
  auto status = daemon.wait_exit(15s);
  ASSERT_TRUE(status.has_value()) << "cyranged kept running on an unmigrated database";
  EXPECT_NE(*status, 0);
  EXPECT_NE(daemon.log().find("cyrange db migrate"), std::string::npos) << daemon.log();
  EXPECT_EQ(daemon.log().find("listening on"), std::string::npos);
}

TEST_F(DaemonTest, RefusesToStartWithoutCertificatesNamingTheCommand) {
  TempDatabase db;
  auto daemon = start_daemon(
      {"--db", db.uri(), "--listen", "127.0.0.1:0", "--tls-dir", (dir_ / "none").string()},
      dir_ / "cyranged.log");
  auto status = daemon.wait_exit(15s);
  ASSERT_TRUE(status.has_value());
  EXPECT_NE(*status, 0);
  EXPECT_NE(daemon.log().find("server.pem"), std::string::npos) << daemon.log();
  EXPECT_NE(daemon.log().find("cyrange certs init"), std::string::npos) << daemon.log();
}

}  // namespace
}  // namespace cyrange::rpc
