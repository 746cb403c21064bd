#include <orchestrator/identity/identity.h>

#include <gtest/gtest.h>

namespace cyrange::identity {
namespace {

TEST(Role, PrintsAndParsesEveryRole) {
  for (Role role : {Role::admin, Role::instructor, Role::designer, Role::trainee}) {
    auto parsed = parse_role(to_string(role));
    ASSERT_TRUE(parsed) << to_string(role);
    EXPECT_EQ(*parsed, role);
  }
  EXPECT_EQ(to_string(Role::designer), "designer");
}

TEST(Role, UnknownNameListsTheValidOnes) {
  for (std::string_view bad : {"root", "Admin", "", "trainee "}) {
    auto parsed = parse_role(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().code, ErrorCode::invalid_argument);
    EXPECT_NE(parsed.error().message.find("admin, instructor, designer or trainee"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace cyrange::identity
