#pragma once

#include <string>

#include <gtest/gtest.h>

#include <tests/security/authz_stack.h>

namespace cyrange::security {

/// A test suite on one AuthzStack, started before its first test and stopped after its last
/// (ctest runs every test in a process of its own, so each gets a fresh stack there).
class StackSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { stack_ = start_stack(start_error_); }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }
  void SetUp() override { ASSERT_EQ(start_error_, ""); }

  static inline AuthzStack* stack_ = nullptr;
  static inline std::string start_error_;
};

}  // namespace cyrange::security
