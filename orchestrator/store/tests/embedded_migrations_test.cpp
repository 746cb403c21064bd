#include <orchestrator/store/migrations.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>
#include <openssl/evp.h>

namespace cyrange::store {
namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string sha256_hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    hex += "0123456789abcdef"[digest[i] >> 4];
    hex += "0123456789abcdef"[digest[i] & 0xf];
  }
  return hex;
}

TEST(EmbeddedMigrations, AreContiguousFromOne) {
  const auto& all = embedded_migrations();
  ASSERT_GE(all.size(), 2u);
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].version, static_cast<int>(i) + 1) << all[i].name;
  }
  EXPECT_EQ(all[0].name, "identity");
  EXPECT_EQ(all[1].name, "exercises");
}

TEST(EmbeddedMigrations, MatchTheSourceFilesByteForByte) {
  const std::filesystem::path dir =
      std::filesystem::path(CYRANGE_SOURCE_DIR) / "orchestrator/store/migrations";
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".sql") ++files;
  }
  EXPECT_EQ(files, embedded_migrations().size());
  for (const auto& m : embedded_migrations()) {
    const auto path = dir / (migration_label(m.version, m.name) + ".sql");
    ASSERT_TRUE(std::filesystem::exists(path)) << path;
    const auto content = read_file(path);
    EXPECT_EQ(m.sql, content) << path;
    EXPECT_EQ(m.checksum, sha256_hex(content)) << path;
  }
}

TEST(MigrationLabel, PadsTheVersion) {
  EXPECT_EQ(migration_label(1, "identity"), "0001_identity");
  EXPECT_EQ(migration_label(42, "x"), "0042_x");
}

}  // namespace
}  // namespace cyrange::store
