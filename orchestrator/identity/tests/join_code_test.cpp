#include <orchestrator/identity/join_code.h>

#include <set>

#include <gtest/gtest.h>

namespace cyrange::identity {
namespace {

using namespace std::chrono_literals;

TEST(JoinCode, IsTwoGroupsOfFourFromTheAlphabet) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string code = generate_join_code();
    ASSERT_EQ(code.size(), kJoinCodeLength + 1) << code;
    EXPECT_EQ(code[4], '-') << code;
    for (std::size_t at = 0; at < code.size(); ++at) {
      if (at == 4) continue;
      EXPECT_NE(kJoinCodeAlphabet.find(code[at]), std::string_view::npos) << code;
    }
    seen.insert(code);
  }
  EXPECT_GT(seen.size(), 195u) << "codes repeat far more often than chance";
}

TEST(JoinCode, NormalizesCaseDashAndSpaces) {
  EXPECT_EQ(normalize_join_code("abcd-efgh"), "ABCDEFGH");
  EXPECT_EQ(normalize_join_code(" ABCDEFGH "), "ABCDEFGH");
  EXPECT_EQ(normalize_join_code("AbCd EfGh"), "ABCDEFGH");
  const std::string generated = generate_join_code();
  EXPECT_TRUE(normalize_join_code(generated).has_value()) << generated;
}

TEST(JoinCode, RefusesWhatCannotBeACode) {
  EXPECT_FALSE(normalize_join_code(""));
  EXPECT_FALSE(normalize_join_code("ABCD-EFG"));
  EXPECT_FALSE(normalize_join_code("ABCD-EFGHJ"));
  EXPECT_FALSE(normalize_join_code("ABCD-EFG0"));  // 0 looks like O: not in the alphabet
  EXPECT_FALSE(normalize_join_code("ABCD-EFG1"));
  EXPECT_FALSE(normalize_join_code("ABCD;EFGH"));
}

TEST(JoinThrottle, BlocksAfterFiveFailuresUntilTheOldestLeavesTheWindow) {
  JoinThrottle throttle(5, 60s);
  const auto t0 = JoinThrottle::Clock::time_point() + 1000s;
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(throttle.wait_for("ipv4:10.0.0.1", t0 + std::chrono::seconds(i)), 0s);
    throttle.failed("ipv4:10.0.0.1", t0 + std::chrono::seconds(i));
  }
  EXPECT_EQ(throttle.wait_for("ipv4:10.0.0.1", t0 + 10s), 50s);
  EXPECT_EQ(throttle.wait_for("ipv4:10.0.0.1", t0 + 59500ms), 1s);  // rounded up
  EXPECT_EQ(throttle.wait_for("ipv4:10.0.0.1", t0 + 60s), 0s);
  // Another address is not affected.
  EXPECT_EQ(throttle.wait_for("ipv4:10.0.0.2", t0 + 10s), 0s);
}

}  // namespace
}  // namespace cyrange::identity
