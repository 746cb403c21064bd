#include <orchestrator/store/database.h>

#include <gtest/gtest.h>

namespace cyrange::store {
namespace {

TEST(RedactUri, KeepsUrisWithoutPassword) {
  EXPECT_EQ(redact_uri("postgresql:///cyrange"), "postgresql:///cyrange");
  EXPECT_EQ(redact_uri("postgresql://alice@db.local/cyrange"),
            "postgresql://alice@db.local/cyrange");
}

TEST(RedactUri, HidesPasswordInUserinfo) {
  const auto redacted = redact_uri("postgresql://alice:s3cr%40t@db.local:5432/cyrange");
  EXPECT_EQ(redacted, "postgresql://alice:***@db.local:5432/cyrange");
}

TEST(RedactUri, HidesPasswordInQuery) {
  const auto redacted =
      redact_uri("postgresql://db.local/cyrange?user=bob&password=hunter2&sslmode=require");
  EXPECT_EQ(redacted, "postgresql://db.local/cyrange?user=bob&password=***&sslmode=require");
}

TEST(RedactUri, HidesPasswordInKeywordForm) {
  EXPECT_EQ(redact_uri("host=db dbname=cyrange password=hunter2 user=bob"),
            "host=db dbname=cyrange password=*** user=bob");
  EXPECT_EQ(redact_uri("host=db password = 'a b\\' c' user=bob"),
            "host=db password = *** user=bob");
}

TEST(RedactUri, HidesEveryPasswordOccurrence) {
  EXPECT_EQ(redact_uri("postgresql://u:one@h/db?password=two"),
            "postgresql://u:***@h/db?password=***");
  EXPECT_EQ(redact_uri("PASSWORD=one dbname=x password='t w o'"),
            "PASSWORD=*** dbname=x password=***");
  EXPECT_EQ(redact_uri("mypassword=keep dbname=x"), "mypassword=keep dbname=x");
}

TEST(RedactUri, AtSignInPathDoesNotLookLikeUserinfo) {
  EXPECT_EQ(redact_uri("postgresql://db:5432/name@x"), "postgresql://db:5432/name@x");
}

}  // namespace
}  // namespace cyrange::store
