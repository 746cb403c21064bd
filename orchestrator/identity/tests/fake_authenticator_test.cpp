#include <orchestrator/identity/fake_authenticator.h>

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace cyrange::identity {
namespace {

using std::chrono::system_clock;

Identity trainee() { return Identity{7, "tara", Role::trainee, 3}; }

TEST(FakeAuthenticator, AcceptsAKnownToken) {
  FakeAuthenticator auth;
  auth.add("cyr_good", trainee());
  auto identity = auth.authenticate("cyr_good");
  ASSERT_TRUE(identity) << identity.error().message;
  EXPECT_EQ(identity->user_id, 7);
  EXPECT_EQ(identity->name, "tara");
  EXPECT_EQ(identity->team_id, std::optional<std::int64_t>(3));
}

TEST(FakeAuthenticator, RejectsUnknownRevokedAndExpiredDistinctly) {
  FakeAuthenticator auth;
  auth.add("cyr_revoked", trainee());
  auth.revoke("cyr_revoked");
  auth.add("cyr_expired", trainee(), system_clock::now() - std::chrono::seconds(1));
  auth.add("cyr_later", trainee(), system_clock::now() + std::chrono::hours(1));

  auto unknown = auth.authenticate("cyr_unknown");
  auto revoked = auth.authenticate("cyr_revoked");
  auto expired = auth.authenticate("cyr_expired");
  auto missing = auth.authenticate("");
  ASSERT_FALSE(unknown);
  ASSERT_FALSE(revoked);
  ASSERT_FALSE(expired);
  ASSERT_FALSE(missing);
  for (const auto* result : {&unknown, &revoked, &expired, &missing}) {
    EXPECT_EQ(result->error().code, ErrorCode::unauthenticated);
    EXPECT_EQ(result->error().message.find("cyr_"), std::string::npos) << result->error().message;
  }
  EXPECT_NE(unknown.error().message, revoked.error().message);
  EXPECT_NE(revoked.error().message, expired.error().message);
  EXPECT_NE(expired.error().message.find("expired"), std::string::npos);
  EXPECT_TRUE(auth.authenticate("cyr_later"));
}

TEST(FakeAuthenticator, IsSafeToCallFromManyThreads) {
  FakeAuthenticator auth;
  auth.add("cyr_a", trainee());
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        if (t == 0) auth.add("cyr_extra_" + std::to_string(i), trainee());
        if (auth.authenticate("cyr_a")) ++ok;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), 800);
}

}  // namespace
}  // namespace cyrange::identity
