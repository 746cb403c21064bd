// Golden-style regression tests: every file in data/ states the diagnostics it must
// produce in header comments, as
//   # expect: LINE:COL error|warning: MESSAGE SUBSTRING
//   # expect-load: LINE:COL: error:          (the file must fail to load)
// A file without expectations must validate cleanly. Add a case by adding a file.
#include <filesystem>
#include <fstream>
#include <regex>

#include <gtest/gtest.h>

#include <orchestrator/scenario/parser.h>
#include <orchestrator/scenario/validate.h>

namespace cyrange::scenario {
namespace {

struct Expectation {
  int line = 0;
  int column = 0;
  Severity severity = Severity::error;
  std::string text;
};

struct Case {
  std::filesystem::path file;
  std::vector<Expectation> expected;
  std::string load_failure;  ///< "LINE:COL: error:" when loading must fail
};

Case read_case(const std::filesystem::path& file) {
  static const std::regex expect(R"(# expect: (\d+):(\d+) (error|warning): (.*))");
  static const std::regex expect_load(R"(# expect-load: (.*))");
  Case c{file, {}, {}};
  std::ifstream in(file);
  std::string line;
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_match(line, m, expect)) {
      c.expected.push_back({std::stoi(m[1]), std::stoi(m[2]),
                            m[3] == "error" ? Severity::error : Severity::warning, m[4]});
    } else if (std::regex_match(line, m, expect_load)) {
      c.load_failure = m[1];
    }
  }
  return c;
}

std::vector<Case> all_cases() {
  std::vector<Case> cases;
  for (const auto& entry : std::filesystem::directory_iterator(SCENARIO_TEST_DATA)) {
    if (entry.path().extension() == ".yaml") cases.push_back(read_case(entry.path()));
  }
  return cases;
}

std::string dump(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) out += "  " + d.format() + "\n";
  return out;
}

TEST(InvalidFiles, EveryDataFileProducesExactlyItsExpectedDiagnostics) {
  const auto cases = all_cases();
  ASSERT_GE(cases.size(), 8u) << "the data directory lost its cases";
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file.string());
    auto loaded = load_scenario(c.file);
    if (!c.load_failure.empty()) {
      ASSERT_FALSE(loaded.has_value());
      EXPECT_EQ(loaded.error().message.rfind(c.file.string() + ":" + c.load_failure, 0), 0u)
          << loaded.error().message;
      EXPECT_NE(loaded.error().message.find("; "), std::string::npos) << "no fix suggested";
      continue;
    }
    ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
    const auto diagnostics = validate(*loaded);
    for (const auto& e : c.expected) {
      const bool found =
          std::any_of(diagnostics.begin(), diagnostics.end(), [&](const Diagnostic& d) {
            return d.file == c.file.string() && d.line == e.line && d.column == e.column &&
                   d.severity == e.severity && d.message.find(e.text) != std::string::npos;
          });
      EXPECT_TRUE(found) << "missing " << e.line << ":" << e.column << " " << e.text << "\ngot:\n"
                         << dump(diagnostics);
    }
    const auto expected_errors =
        std::count_if(c.expected.begin(), c.expected.end(),
                      [](const Expectation& e) { return e.severity == Severity::error; });
    EXPECT_EQ(count(diagnostics, Severity::error), expected_errors) << dump(diagnostics);
  }
}

TEST(InvalidFiles, FormatFollowsFileLineColumnSeverityMessage) {
  auto loaded = load_scenario(std::filesystem::path(SCENARIO_TEST_DATA) / "api-version.yaml");
  ASSERT_TRUE(loaded.has_value());
  const auto diagnostics = validate(*loaded);
  ASSERT_EQ(diagnostics.size(), 1u);
  const std::regex shape(R"([^:]+:\d+:\d+: error: [^;]+; .+)");
  EXPECT_TRUE(std::regex_match(diagnostics[0].format(), shape)) << diagnostics[0].format();
}

TEST(InvalidFiles, MissingFileIsReportedWithItsPath) {
  auto loaded = load_scenario("/nonexistent/scenario.yaml");
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().code, ErrorCode::not_found);
  EXPECT_NE(loaded.error().message.find("/nonexistent/scenario.yaml:1:1: error:"),
            std::string::npos);
}

}  // namespace
}  // namespace cyrange::scenario
