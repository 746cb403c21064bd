#pragma once

#include <string>

#include <gtest/gtest.h>

#include <client-core/script/trainee_script.h>

namespace cyrange::client::testing {

/// A script of `actions` (YAML list items, indented by two) under a valid header:
/// the first action is on line 5, column 5 of `file`.
inline TraineeScript script_with_actions(const std::string& actions, const std::string& file) {
  auto script = parse_trainee_script(
      "apiVersion: cyrange.io/playtest/v1\ntrainee: tester\n"
      "description: {ja: テスト, en: test}\nactions:\n" +
          actions,
      file);
  EXPECT_TRUE(script) << script.error().message;
  return script ? *script : TraineeScript{};
}

}  // namespace cyrange::client::testing
