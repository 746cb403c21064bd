#include <orchestrator/common/expected.h>

#include <gtest/gtest.h>

namespace cyrange {
namespace {

Expected<int> parse_port(const std::string& text) {
  if (text.empty()) return make_error(ErrorCode::invalid_argument, "The port is empty; give a number.");
  return std::stoi(text);
}

TEST(Expected, HoldsValue) {
  auto port = parse_port("50051");
  ASSERT_TRUE(port.has_value());
  EXPECT_EQ(*port, 50051);
}

TEST(Expected, HoldsErrorWithCodeAndMessage) {
  auto port = parse_port("");
  ASSERT_FALSE(port);
  EXPECT_EQ(port.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(port.error().message.find("empty"), std::string::npos);
}

TEST(Status, DefaultIsSuccessAndErrorIsNot) {
  EXPECT_TRUE(Status::success().ok());
  Status failed = make_error(ErrorCode::unavailable, "PostgreSQL is down.");
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, ErrorCode::unavailable);
}

}  // namespace
}  // namespace cyrange
