#include <orchestrator/identity/token.h>

#include <set>

#include <gtest/gtest.h>

namespace cyrange::identity {
namespace {

TEST(Token, HasPrefixAndBase64UrlBody) {
  const auto token = generate_token();
  ASSERT_EQ(token.rfind("cyr_", 0), 0u) << token;
  const auto body = token.substr(4);
  EXPECT_EQ(body.size(), 43u);  // 32 bytes, base64 without padding
  for (char c : body) {
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << token;
  }
}

TEST(Token, IsUniqueAcrossManyDraws) {
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) seen.insert(generate_token());
  EXPECT_EQ(seen.size(), 2000u);
}

TEST(TokenHash, IsSha256Hex) {
  // FIPS 180-2 test vector.
  EXPECT_EQ(hash_token("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(TokenHash, IsStableAndDiffersFromTheToken) {
  const auto token = generate_token();
  const auto hash = hash_token(token);
  EXPECT_EQ(hash, hash_token(token));
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_EQ(hash.find(token.substr(4)), std::string::npos);
  EXPECT_NE(hash, hash_token(generate_token()));
}

TEST(FormatUtc, PrintsIso8601Utc) {
  EXPECT_EQ(format_utc(std::chrono::system_clock::time_point{}), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_utc(std::chrono::system_clock::time_point{std::chrono::seconds(1700000000)}),
            "2023-11-14T22:13:20Z");
}

TEST(TokenErrors, AreDistinctAndUnauthenticated) {
  const std::set<std::string> messages{missing_token_error().message, unknown_token_error().message,
                                       revoked_token_error().message,
                                       expired_token_error("x").message};
  EXPECT_EQ(messages.size(), 4u);
  EXPECT_EQ(unknown_token_error().code, ErrorCode::unauthenticated);
  EXPECT_EQ(revoked_token_error().code, ErrorCode::unauthenticated);
  EXPECT_EQ(expired_token_error("x").code, ErrorCode::unauthenticated);
}

}  // namespace
}  // namespace cyrange::identity
