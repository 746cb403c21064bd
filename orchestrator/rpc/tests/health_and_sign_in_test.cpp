// Cost before login (#17, 6) without a server: Health probes at most once per cache interval
// however often it is asked, and failed sign-ins are limited per address with a bilingual
// answer that says when to try again.
#include <atomic>
#include <chrono>
#include <memory>

#include <gtest/gtest.h>

#include <orchestrator/rpc/sign_in_limit.h>
#include <orchestrator/rpc/system_handler.h>

namespace cyrange::rpc {
namespace {

class CountingProbe : public HealthProbe {
 public:
  std::string component() const override { return "postgresql"; }
  Status check() const override {
    ++calls;
    return Status::success();
  }
  mutable std::atomic<int> calls{0};
};

TEST(HealthCacheTest, ManyHealthCallsProbeOncePerInterval) {
  auto probe = std::make_shared<CountingProbe>();
  SystemHandler handler({probe}, 1);
  handler.cache_health(std::chrono::hours(1));
  for (int i = 0; i < 100; ++i) {
    const HealthReport report = handler.health();
    ASSERT_TRUE(report.serving);
    ASSERT_EQ(report.components.at("postgresql"), "ok");
  }
  EXPECT_EQ(probe->calls.load(), 1);
}

TEST(HealthCacheTest, WithoutACacheEveryCallProbes) {
  auto probe = std::make_shared<CountingProbe>();
  SystemHandler handler({probe}, 1);
  for (int i = 0; i < 5; ++i) (void)handler.health();
  EXPECT_EQ(probe->calls.load(), 5);
}

TEST(SignInFailureLimiterTest, AnAddressOverItsFailuresWaitsAndOthersDoNot) {
  auto now = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
  SignInFailureLimiter limiter({3, 30}, [&] { return now; });
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(limiter.admit("ipv4:10.0.0.7"));
    limiter.failed("ipv4:10.0.0.7");
  }
  const Status refused = limiter.admit("ipv4:10.0.0.7");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::resource_exhausted);
  EXPECT_NE(refused.error().message.find("try again in 2 s"), std::string::npos)
      << refused.error().message;
  EXPECT_NE(refused.error().message_ja.find("2 秒後"), std::string::npos);
  EXPECT_TRUE(limiter.admit("ipv4:10.0.0.8")) << "another address is not limited";
  now += std::chrono::seconds(2);  // 30 a minute: one more try every 2 s
  EXPECT_TRUE(limiter.admit("ipv4:10.0.0.7"));
}

TEST(SignInFailureLimiterTest, ZeroPerMinuteMeansNoLimit) {
  SignInFailureLimiter limiter({1, 0});
  for (int i = 0; i < 10; ++i) limiter.failed("ipv4:10.0.0.7");
  EXPECT_TRUE(limiter.admit("ipv4:10.0.0.7"));
}

}  // namespace
}  // namespace cyrange::rpc
