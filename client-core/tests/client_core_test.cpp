#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include <client-core/connection.h>
#include <client-core/system_client.h>

namespace cyrange::client {
namespace {

namespace fs = std::filesystem;

class TokenFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/cyrange-client-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    home_ = tmpl;
    if (const char* h = std::getenv("HOME")) old_home_ = h;
    setenv("HOME", home_.c_str(), 1);
    unsetenv("CYRANGE_TOKEN");
  }
  void TearDown() override {
    setenv("HOME", old_home_.c_str(), 1);
    unsetenv("CYRANGE_TOKEN");
    fs::remove_all(home_);
  }
  fs::path home_;
  std::string old_home_;
};

TEST_F(TokenFileTest, SavedTokenIsPrivateAndFoundAgain) {
  EXPECT_FALSE(find_token());
  EXPECT_EQ(default_token_file(), home_ / ".config/cyrange/token");
  ASSERT_TRUE(save_token("tok-123", default_token_file()));
  struct stat st {};
  ASSERT_EQ(::stat(default_token_file().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(find_token().value_or(""), "tok-123");
}

TEST_F(TokenFileTest, EnvironmentBeatsTheFile) {
  ASSERT_TRUE(save_token("from-file", default_token_file()));
  setenv("CYRANGE_TOKEN", "from-env", 1);
  EXPECT_EQ(find_token().value_or(""), "from-env");
}

TEST(Connection, UnreadableCaFileIsNamed) {
  ClientOptions options;
  options.ca_file = "/nonexistent/ca.pem";
  auto conn = Connection::open(options);
  ASSERT_FALSE(conn);
  EXPECT_NE(conn.error().message.find("/nonexistent/ca.pem"), std::string::npos);
}

TEST(Connection, UnreachableServerIsUnavailableNamingTheTarget) {
  ClientOptions options;
  options.target = "127.0.0.1:1";  // nothing listens on port 1 of loopback
  options.plaintext = true;
  options.timeout = std::chrono::seconds(2);
  auto conn = Connection::open(options);
  ASSERT_TRUE(conn);
  auto health = SystemClient(*conn).health();
  ASSERT_FALSE(health);
  EXPECT_EQ(health.error().code, ErrorCode::unavailable);
  EXPECT_NE(health.error().message.find("127.0.0.1:1"), std::string::npos);
}

}  // namespace
}  // namespace cyrange::client
