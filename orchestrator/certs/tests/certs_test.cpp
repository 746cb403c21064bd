#include <orchestrator/certs/certs.h>

#include <sys/stat.h>

#include <algorithm>
#include <fstream>

#include <gtest/gtest.h>

namespace cyrange::certs {
namespace {

namespace fs = std::filesystem;

class CertsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/cyrange-certs-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = fs::path(tmpl) / "tls";  // not yet existing: init must create it
  }
  void TearDown() override { fs::remove_all(dir_.parent_path()); }

  static unsigned mode_of(const fs::path& p) {
    struct stat st {};
    EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
    return st.st_mode & 0777;
  }
  static std::string content(const fs::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  fs::path dir_;
};

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST_F(CertsTest, CreatesAVerifyingChainWithSansAndPrivateKeys) {
  auto report = init_certificates({dir_, {"range.example.org", "10.1.2.3"}});
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_TRUE(report->ca_created);
  EXPECT_TRUE(report->server_created);

  auto chain = verify_chain(dir_ / kCaCertFile, dir_ / kServerCertFile);
  EXPECT_TRUE(chain) << chain.error().message;

  auto names = subject_alt_names(dir_ / kServerCertFile);
  ASSERT_TRUE(names);
  for (const char* n : {"localhost", "127.0.0.1", "::1", "range.example.org", "10.1.2.3"}) {
    EXPECT_TRUE(contains(*names, n)) << "missing SAN " << n;
  }
  EXPECT_EQ(mode_of(ca_key_dir_of({dir_, {}}) / kCaKeyFile), 0600u);
  EXPECT_EQ(mode_of(dir_ / kServerKeyFile), 0600u);
  EXPECT_EQ(mode_of(dir_ / kCaCertFile), 0644u);
}

TEST_F(CertsTest, SecondRunKeepsValidFilesAndForceReplacesThem) {
  ASSERT_TRUE(init_certificates({dir_, {}}));
  const std::string ca_before = content(dir_ / kCaCertFile);
  const std::string server_before = content(dir_ / kServerCertFile);

  auto again = init_certificates({dir_, {}});
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(again->ca_created);
  EXPECT_FALSE(again->server_created);
  EXPECT_EQ(content(dir_ / kCaCertFile), ca_before);
  EXPECT_EQ(content(dir_ / kServerCertFile), server_before);

  InitOptions force{dir_, {}};
  force.force = true;
  auto forced = init_certificates(force);
  ASSERT_TRUE(forced);
  EXPECT_TRUE(forced->ca_created);
  EXPECT_NE(content(dir_ / kCaCertFile), ca_before);
  EXPECT_TRUE(verify_chain(dir_ / kCaCertFile, dir_ / kServerCertFile));
}

TEST_F(CertsTest, NewHostReissuesOnlyTheServerCertificate) {
  ASSERT_TRUE(init_certificates({dir_, {}}));
  const std::string ca_before = content(dir_ / kCaCertFile);
  auto report = init_certificates({dir_, {"extra.example.org"}});
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->ca_created);
  EXPECT_TRUE(report->server_created);
  EXPECT_EQ(content(dir_ / kCaCertFile), ca_before);
  EXPECT_TRUE(contains(report->subject_alt_names, "extra.example.org"));
}

TEST_F(CertsTest, ServerSignedByAnotherCaDoesNotVerify) {
  ASSERT_TRUE(init_certificates({dir_, {}}));
  fs::path other = dir_.parent_path() / "other";
  ASSERT_TRUE(init_certificates({other, {}}));
  auto st = verify_chain(dir_ / kCaCertFile, other / kServerCertFile);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message.find("cyrange certs init"), std::string::npos);
}

TEST_F(CertsTest, RejectsHostWithSeparators) {
  auto report = init_certificates({dir_, {"a,DNS:evil"}});
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, ErrorCode::invalid_argument);
}

TEST_F(CertsTest, MissingFileErrorNamesItAndTheCommand) {
  auto st = verify_chain(dir_ / kCaCertFile, dir_ / kServerCertFile);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message.find("ca.pem"), std::string::npos);
  EXPECT_NE(st.error().message.find("cyrange certs init"), std::string::npos);
}

}  // namespace
}  // namespace cyrange::certs
