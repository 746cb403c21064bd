#pragma once

// Golden-file comparison for GoogleTest tests (header only, tests link GTest).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace cyrange::testing {

/// True when the run should rewrite golden files instead of comparing (CYRANGE_UPDATE_GOLDEN=1).
inline bool updating_golden() {
  const char* update = std::getenv("CYRANGE_UPDATE_GOLDEN");
  return update != nullptr && std::string(update) == "1";
}

/// Compares `actual` with the bytes of the golden file `path`; under
/// CYRANGE_UPDATE_GOLDEN=1 writes `actual` there instead, for review with git diff.
inline void expect_golden(const std::filesystem::path& path, const std::string& actual) {
  if (updating_golden()) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "missing golden file " << path.string()
                  << "; create it with CYRANGE_UPDATE_GOLDEN=1 and review it";
  std::ostringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(expected.str(), actual)
      << "golden file " << path.string() << " differs; if the change is intended, "
      << "regenerate it with CYRANGE_UPDATE_GOLDEN=1 and review the diff";
}

}  // namespace cyrange::testing
