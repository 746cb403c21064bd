#pragma once

// The scenario library (scenarios/) as the scenario tests read it.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include <orchestrator/scenario/parser.h>

namespace cyrange::scenario::testing {

/// scenarios/NAME/scenario.yaml, absolute, so tests run from any directory.
inline std::filesystem::path library_file(const std::string& name) {
  return std::filesystem::path(SCENARIO_LIBRARY_DIR) / name / "scenario.yaml";
}

/// The parsed scenario of scenarios/NAME; a test failure (and an empty model) if it does not load.
inline Scenario shipped(const std::string& name = "targeted-email") {
  auto s = load_scenario(library_file(name));
  EXPECT_TRUE(s.has_value()) << (s ? "" : s.error().message);
  return s ? std::move(*s) : Scenario{};
}

}  // namespace cyrange::scenario::testing
