// Integration: the real cyranged binary on a throw-away PostgreSQL database, with
// TLS from `certs init`, a trainee created by the real `cyrange users add`, and a
// client-core call; then SIGTERM must stop it cleanly.
#include <signal.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <client-core/scoring_client.h>
#include <client-core/system_client.h>
#include <orchestrator/certs/certs.h>
#include <orchestrator/store/testing/temp_database.h>

extern char** environ;

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

/// A cyranged child process whose log goes to a file.
class DaemonProcess {
 public:
  DaemonProcess(const std::vector<std::string>& args, fs::path log) : log_(std::move(log)) {
    std::vector<std::string> argv_strings = {kDaemon.string()};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_strings) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log_.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    if (posix_spawn(&pid_, kDaemon.c_str(), &actions, nullptr, argv.data(), environ) != 0)
      pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~DaemonProcess() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  bool spawned() const { return pid_ > 0; }
  std::string log() const { return slurp(log_); }

  /// The "host:port" of the "listening on" log line, or "" if the process ended or timed out.
  std::string wait_listening(std::chrono::seconds timeout) {
    static const std::regex kListening(R"(cyranged listening on (\S+))");
    for (auto end = std::chrono::steady_clock::now() + timeout;
         std::chrono::steady_clock::now() < end; std::this_thread::sleep_for(50ms)) {
      std::smatch m;
      const std::string text = log();
      if (std::regex_search(text, m, kListening)) return m[1];
      if (wait_exit(0ms)) return "";
    }
    return "";
  }

  /// The exit status when the process ended within `timeout`.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout) {
    for (auto end = std::chrono::steady_clock::now() + timeout;;
         std::this_thread::sleep_for(20ms)) {
      if (!exited_) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
          exited_ = true;
          status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
      }
      if (exited_) return status_;
      if (std::chrono::steady_clock::now() >= end) return std::nullopt;
    }
  }

  void signal(int sig) { ::kill(pid_, sig); }

 private:
  fs::path log_;
  pid_t pid_ = -1;
  bool exited_ = false;
  int status_ = -1;
};

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
  auto [token, add_rc] = cli("users add carol --role trainee --team red --db '" + db.uri() + "'");
  ASSERT_EQ(add_rc, 0) << slurp(dir_ / "cli.err");
  ASSERT_GE(token.size(), 20u);
  auto [staff_token, staff_rc] = cli("users add ivan --role instructor --db '" + db.uri() + "'");
  ASSERT_EQ(staff_rc, 0) << slurp(dir_ / "cli.err");

  DaemonProcess daemon({"--db", db.uri(), "--listen", "127.0.0.1:0", "--tls-dir", tls.string()},
                       dir_ / "cyranged.log");
  ASSERT_TRUE(daemon.spawned());
  const std::string address = daemon.wait_listening(15s);
  ASSERT_FALSE(address.empty()) << daemon.log();
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
  EXPECT_EQ(who->role, "trainee");
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
  DaemonProcess daemon({"--db", db.uri(), "--listen", "127.0.0.1:0", "--plaintext"},
                       dir_ / "cyranged.log");
  ASSERT_TRUE(daemon.spawned());
  auto status = daemon.wait_exit(15s);
  ASSERT_TRUE(status.has_value()) << "cyranged kept running on an unmigrated database";
  EXPECT_NE(*status, 0);
  EXPECT_NE(daemon.log().find("cyrange db migrate"), std::string::npos) << daemon.log();
  EXPECT_EQ(daemon.log().find("listening on"), std::string::npos);
}

TEST_F(DaemonTest, RefusesToStartWithoutCertificatesNamingTheCommand) {
  TempDatabase db;
  DaemonProcess daemon(
      {"--db", db.uri(), "--listen", "127.0.0.1:0", "--tls-dir", (dir_ / "none").string()},
      dir_ / "cyranged.log");
  ASSERT_TRUE(daemon.spawned());
  auto status = daemon.wait_exit(15s);
  ASSERT_TRUE(status.has_value());
  EXPECT_NE(*status, 0);
  EXPECT_NE(daemon.log().find("server.pem"), std::string::npos) << daemon.log();
  EXPECT_NE(daemon.log().find("cyrange certs init"), std::string::npos) << daemon.log();
}

}  // namespace
}  // namespace cyrange::rpc
