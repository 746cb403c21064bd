// Operator hygiene (#17, Low): tokens stay off command lines, out of programs cyrange starts
// and out of files others can read; the TLS folder is private, no wildcard names the server,
// and the CA's key is not kept beside the server's key that cyranged reads.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <client-core/connection.h>
#include <orchestrator/certs/certs.h>
#include <orchestrator/common/private_file.h>
#include <orchestrator/common/secrets.h>
#include <orchestrator/daemon/daemon_process.h>
#include <orchestrator/privacy/export_format.h>

namespace cyrange::security {
namespace {

namespace fs = std::filesystem;

class OperatorFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/cyrange-operator-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    old_umask_ = ::umask(022);  // the usual umask: new folders would be 0755
    old_home_ = std::getenv("HOME") != nullptr ? std::getenv("HOME") : "";
    ::setenv("HOME", root_.c_str(), 1);
    ::unsetenv("CYRANGE_TOKEN");
  }
  void TearDown() override {
    ::umask(old_umask_);
    ::setenv("HOME", old_home_.c_str(), 1);
    ::unsetenv("CYRANGE_TOKEN");
    fs::remove_all(root_);
  }
  static unsigned mode_of(const fs::path& p) {
    struct stat st {};
    EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
    return st.st_mode & 0777;
  }
  static std::string content(const fs::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  fs::path write(const std::string& name, const std::string& text, mode_t mode) {
    const fs::path p = root_ / name;
    std::ofstream(p) << text;
    fs::permissions(p, static_cast<fs::perms>(mode), fs::perm_options::replace);
    return p;
  }

  fs::path root_;
  mode_t old_umask_ = 022;
  std::string old_home_;
};

TEST_F(OperatorFilesTest, ATokenFileOthersCanReadIsRefusedLikeSshRefusesAKey) {
  for (mode_t loose : {0644, 0640, 0604, 0620}) {
    SCOPED_TRACE(loose);
    const auto read = client::read_token_file(write("token", "tok-123\n", loose));
    ASSERT_FALSE(read);
    EXPECT_EQ(read.error().code, ErrorCode::permission_denied);
    EXPECT_NE(read.error().message.find("chmod 600"), std::string::npos) << read.error().message;
    EXPECT_NE(read.error().message_ja, "");
  }
  const auto ok = client::read_token_file(write("token", "tok-123\n", 0600));
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(*ok, "tok-123");
  fs::create_symlink(root_ / "token", root_ / "link");
  EXPECT_FALSE(client::read_token_file(root_ / "link")) << "a link is not followed";
}

TEST_F(OperatorFilesTest, TheDefaultTokenFileIsNotUsedWhenOthersCanReadIt) {
  ASSERT_TRUE(client::save_token("tok-123", client::default_token_file()));
  EXPECT_EQ(client::find_token().value_or(""), "tok-123");
  fs::permissions(client::default_token_file(), fs::perms::others_read, fs::perm_options::add);
  EXPECT_FALSE(client::find_token());
}

TEST_F(OperatorFilesTest, ATokenFromTheEnvironmentIsNotPassedToProgramsStartedLater) {
  ::setenv("CYRANGE_TOKEN", "tok-from-env", 1);
  ::setenv("PGPASSWORD", "db-secret", 1);
  EXPECT_EQ(client::find_token().value_or(""), "tok-from-env");
  EXPECT_EQ(std::getenv("CYRANGE_TOKEN"), nullptr) << "read once, then removed";
  ::setenv("CYRANGE_TOKEN", "tok-from-env", 1);  // set again: a child must not get it either
  // cyranged as the training day starts it: its environment, as the child sees it.
  auto child = daemon::DaemonProcess::spawn("/bin/sh", {"-c", "env >&2"}, root_ / "child.log");
  ASSERT_TRUE(child) << child.error().message;
  for (int i = 0; i < 100 && content(root_ / "child.log").find("HOME=") == std::string::npos; ++i)
    ::usleep(20'000);
  const std::string seen = content(root_ / "child.log");
  EXPECT_NE(seen.find("HOME="), std::string::npos) << "the child ran: " << seen;
  EXPECT_EQ(seen.find("tok-from-env"), std::string::npos);
  EXPECT_EQ(seen.find("db-secret"), std::string::npos);
  ::unsetenv("PGPASSWORD");
}

TEST_F(OperatorFilesTest, ATokenOnTheCommandLineIsOverwrittenInTheProcessArguments) {
  std::string a0 = "cyrange", a1 = "whoami", a2 = "--token", a3 = "tok-secret-1",
              a4 = "--token=tok-secret-2", a5 = "--server";
  std::vector<char*> argv{a0.data(), a1.data(), a2.data(), a3.data(), a4.data(), a5.data()};
  hide_secret_arguments(static_cast<int>(argv.size()), argv.data());
  EXPECT_EQ(std::string(argv[3]), std::string(12, 'x'));
  EXPECT_EQ(std::string(argv[4]), "--token=" + std::string(12, 'x'));
  EXPECT_EQ(std::string(argv[5]), "--server");
}

TEST_F(OperatorFilesTest, TheTlsFolderIsPrivateAndTheCaKeyLivesApart) {
  const fs::path tls = root_ / "state" / "tls";
  auto made = certs::init_certificates({tls, {"range.example.lan"}});
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_EQ(mode_of(tls), 0700u) << "as the operator guide says";
  EXPECT_FALSE(fs::exists(tls / certs::kCaKeyFile)) << "not beside server.key";
  const fs::path ca_dir = certs::ca_key_dir_of({tls, {}});
  EXPECT_EQ(ca_dir, root_ / "state" / "tls-ca");
  EXPECT_EQ(mode_of(ca_dir), 0700u);
  EXPECT_EQ(mode_of(ca_dir / certs::kCaKeyFile), 0600u);
  EXPECT_TRUE(certs::verify_chain(tls / certs::kCaCertFile, tls / certs::kServerCertFile));
}

TEST_F(OperatorFilesTest, ACaKeyBesideTheServerKeyIsMovedOutAndTheCaKept) {
  const fs::path tls = root_ / "tls";
  ASSERT_TRUE(certs::init_certificates({tls, {}}));
  const fs::path ca_key = certs::ca_key_dir_of({tls, {}}) / certs::kCaKeyFile;
  fs::rename(ca_key, tls / certs::kCaKeyFile);  // the layout of earlier versions
  const std::string ca_before = content(tls / certs::kCaCertFile);
  auto again = certs::init_certificates({tls, {"extra.example.lan"}});
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->ca_key_moved);
  EXPECT_FALSE(again->ca_created) << "clients keep trusting the same ca.pem";
  EXPECT_EQ(content(tls / certs::kCaCertFile), ca_before);
  EXPECT_FALSE(fs::exists(tls / certs::kCaKeyFile));
  EXPECT_TRUE(fs::exists(ca_key));
}

TEST_F(OperatorFilesTest, AWildcardIsNoHostName) {
  for (const char* wildcard : {"*", "*.example.lan"}) {
    auto made = certs::init_certificates({root_ / "tls", {wildcard}});
    ASSERT_FALSE(made) << wildcard;
    EXPECT_EQ(made.error().code, ErrorCode::invalid_argument);
    EXPECT_NE(made.error().message.find("wildcard"), std::string::npos) << made.error().message;
    EXPECT_NE(made.error().message_ja, "");
  }
}

// Every export (recordings, the research export's tables and manifest, the training day's
// results) goes through these two.
TEST_F(OperatorFilesTest, ExportsAreForTheirOwnerAndNeverFollowAPlantedLink) {
  const fs::path victim = write("victim", "keep me\n", 0644);
  const fs::path planted = root_ / "recording.cast";
  fs::create_symlink(victim, planted);
  ASSERT_TRUE(write_private_file(planted, "personal data\n"));
  EXPECT_EQ(content(victim), "keep me\n") << "the link was followed";
  EXPECT_FALSE(fs::is_symlink(planted));
  EXPECT_EQ(content(planted), "personal data\n");
  EXPECT_EQ(mode_of(planted), 0600u) << "with umask 022 too";
  ASSERT_TRUE(write_private_file(root_ / "day.json", "{}\n", 0640));
  EXPECT_EQ(mode_of(root_ / "day.json"), 0640u);
  for (const auto& e : fs::directory_iterator(root_))
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();

  const fs::path table = root_ / "events.csv";
  fs::create_symlink(victim, table);
  auto through_link = privacy::TableWriter::create(table, privacy::ExportFormat::csv, {"a"});
  EXPECT_FALSE(through_link);
  EXPECT_EQ(content(victim), "keep me\n");
  auto fresh = privacy::TableWriter::create(root_ / "fresh.csv", privacy::ExportFormat::csv, {"a"});
  ASSERT_TRUE(fresh) << fresh.error().message;
  fresh->write({"x"});
  ASSERT_TRUE(fresh->close());
  EXPECT_EQ(mode_of(root_ / "fresh.csv"), 0600u);
}

}  // namespace
}  // namespace cyrange::security
