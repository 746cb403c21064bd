#include <orchestrator/config/config.h>

#include <cstdlib>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

namespace cyrange::config {
namespace {

EnvLookup env_of(std::map<std::string, std::string> values) {
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    auto it = values.find(std::string(name));
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

class ConfigFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/cyrange-config-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path write(const std::string& name, const std::string& text) {
    auto path = dir_ / name;
    std::ofstream(path) << text;
    return path;
  }
  std::filesystem::path dir_;
};

TEST(ParseConfig, EmptyTextGivesDefaults) {
  auto config = parse_config("", "x.yaml");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->listen_address, "127.0.0.1:50051");
  EXPECT_EQ(config->database_uri, "postgresql:///cyrange");
  EXPECT_FALSE(config->plaintext);
}

TEST(ParseConfig, ReadsEveryKey) {
  auto config = parse_config(
      "database_uri: postgresql://db/x\n"
      "listen_address: 0.0.0.0:6000\n"
      "tls_dir: /srv/tls\n"
      "plaintext: true\n"
      "libvirt_uri: test:///default\n"
      "state_dir: /srv/state\n"
      "log_level: debug\n"
      "log_json: yes\n",
      "x.yaml");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->database_uri, "postgresql://db/x");
  EXPECT_EQ(config->listen_address, "0.0.0.0:6000");
  EXPECT_EQ(config->tls_dir, "/srv/tls");
  EXPECT_TRUE(config->plaintext);
  EXPECT_EQ(config->libvirt_uri, "test:///default");
  EXPECT_EQ(config->state_dir, "/srv/state");
  EXPECT_EQ(config->log_level, "debug");
  EXPECT_TRUE(config->log_json);
}

TEST(ParseConfig, ReadsTheAbuseAndTokenLimits) {
  auto config = parse_config(
      "answer_free_wrong: 0\n"
      "answer_first_wait_s: 2\n"
      "answer_max_wait_s: 60\n"
      "answer_burst: 5\n"
      "answer_rate_per_minute: 0\n"
      "token_max_lifetime_h: 24\n"
      "stream_recheck_s: 10\n",
      "x.yaml");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->answer_free_wrong, 0);
  EXPECT_EQ(config->answer_first_wait_s, 2);
  EXPECT_EQ(config->answer_max_wait_s, 60);
  EXPECT_EQ(config->answer_burst, 5);
  EXPECT_EQ(config->answer_rate_per_minute, 0);
  EXPECT_EQ(config->token_max_lifetime_h, 24);
  EXPECT_EQ(config->stream_recheck_s, 10);
  for (const char* bad : {"answer_burst: 0\n", "stream_recheck_s: -1\n",
                          "token_max_lifetime_h: soon\n", "answer_first_wait_s: 99999999\n"}) {
    auto refused = parse_config(bad, "x.yaml");
    ASSERT_FALSE(refused) << bad;
    EXPECT_NE(refused.error().message.find("x.yaml:1"), std::string::npos)
        << refused.error().message;
  }
}

TEST(ParseConfig, UnknownKeyNamesFileLineAndKey) {
  auto config = parse_config("plaintext: false\nlisten: 1.2.3.4:5\n", "/etc/c.yaml");
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("/etc/c.yaml:2"), std::string::npos)
      << config.error().message;
  EXPECT_NE(config.error().message.find("'listen'"), std::string::npos);
}

TEST(ParseConfig, WrongTypeNamesFileLineAndKey) {
  auto config = parse_config("\n\nplaintext: maybe\n", "c.yaml");
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("c.yaml:3"), std::string::npos) << config.error().message;
  EXPECT_NE(config.error().message.find("'plaintext'"), std::string::npos);
  EXPECT_EQ(config.error().code, ErrorCode::invalid_argument);
}

TEST(ParseConfig, BadLogLevelIsRejected) {
  auto config = parse_config("log_level: loud\n", "c.yaml");
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("loud"), std::string::npos);
}

TEST(ParseConfig, SyntaxErrorNamesLine) {
  auto config = parse_config("a: b\nc: [unclosed\n", "c.yaml");
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("c.yaml:"), std::string::npos) << config.error().message;
}

TEST_F(ConfigFileTest, NoFileAnywhereGivesDefaults) {
  auto config = load_config(std::nullopt, env_of({}), dir_ / "absent.yaml");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->tls_dir, "/var/lib/cyrange/tls");
}

TEST_F(ConfigFileTest, DefaultFileIsUsedWhenPresent) {
  auto file = write("default.yaml", "listen_address: 127.0.0.1:7001\n");
  auto config = load_config(std::nullopt, env_of({}), file);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->listen_address, "127.0.0.1:7001");
}

TEST_F(ConfigFileTest, EnvironmentNamesTheFileAndFlagBeatsIt) {
  auto from_env = write("env.yaml", "listen_address: 127.0.0.1:7002\n");
  auto from_flag = write("flag.yaml", "listen_address: 127.0.0.1:7003\n");
  auto env = env_of({{"CYRANGE_CONFIG", from_env.string()}});
  auto config = load_config(std::nullopt, env, dir_ / "absent.yaml");
  ASSERT_TRUE(config);
  EXPECT_EQ(config->listen_address, "127.0.0.1:7002");
  config = load_config(from_flag, env, dir_ / "absent.yaml");
  ASSERT_TRUE(config);
  EXPECT_EQ(config->listen_address, "127.0.0.1:7003");
}

TEST_F(ConfigFileTest, MissingNamedFileIsAnError) {
  auto config = load_config(dir_ / "nope.yaml", env_of({}), dir_ / "absent.yaml");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, ErrorCode::not_found);
  EXPECT_NE(config.error().message.find("nope.yaml"), std::string::npos);
}

TEST_F(ConfigFileTest, EnvironmentOverridesFileAndFlagsOverrideBoth) {
  auto file = write("c.yaml",
                    "database_uri: postgresql:///from_file\n"
                    "listen_address: 127.0.0.1:1\n"
                    "tls_dir: /file/tls\n");
  auto env = env_of({{"CYRANGE_DB_URI", "postgresql:///from_env"},
                     {"CYRANGE_LISTEN", "127.0.0.1:2"},
                     {"CYRANGE_TLS_DIR", "/env/tls"}});
  auto config = load_config(file, env, dir_ / "absent.yaml");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->database_uri, "postgresql:///from_env");
  EXPECT_EQ(config->listen_address, "127.0.0.1:2");
  EXPECT_EQ(config->tls_dir, "/env/tls");

  ConfigOverrides flags;
  flags.database_uri = "postgresql:///from_flag";
  flags.plaintext = true;
  apply_overrides(*config, flags);
  EXPECT_EQ(config->database_uri, "postgresql:///from_flag");
  EXPECT_EQ(config->listen_address, "127.0.0.1:2");  // not given on the command line
  EXPECT_TRUE(config->plaintext);
}

}  // namespace
}  // namespace cyrange::config
