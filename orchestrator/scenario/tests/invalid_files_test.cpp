// Golden-style regression tests: every file in data/ states the diagnostics it must
// produce in header comments, as
//   # expect: LINE:COL error|warning: MESSAGE SUBSTRING
//   # expect: LINE:COL-LINE:COL error: ...   (also where the offending value ends)
//   # expect: LINE:COL note: TEXT SUBSTRING   (a note of the diagnostic expected above)
//   # expect-load: LINE:COL: error:          (the file must fail to load)
//   # expect-load-text: SUBSTRING            (which the load failure must contain)
// A file without expectations must validate cleanly (no error, no warning). Add a case by
// adding a file.
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
  int end_line = 0;  ///< 0: the end is not checked
  int end_column = 0;
  Severity severity = Severity::error;
  std::string text;
  std::vector<Expectation> notes;
};

struct Case {
  std::filesystem::path file;
  std::vector<Expectation> expected;
  std::string load_failure;               ///< "LINE:COL: error:" when loading must fail
  std::vector<std::string> load_texts{};  ///< what the load failure must say
};

Case read_case(const std::filesystem::path& file) {
  static const std::regex expect(
      R"(# expect: (\d+):(\d+)(?:-(\d+):(\d+))? (error|warning|note): (.*))");
  static const std::regex expect_load(R"(# expect-load: (.*))");
  static const std::regex expect_load_text(R"(# expect-load-text: (.*))");
  Case c{file, {}, {}, {}};
  std::ifstream in(file, std::ios::binary);
  std::string line;
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_match(line, m, expect)) {
      Expectation e{std::stoi(m[1]),
                    std::stoi(m[2]),
                    m[3].matched ? std::stoi(m[3]) : 0,
                    m[4].matched ? std::stoi(m[4]) : 0,
                    Severity::error,
                    m[6],
                    {}};
      e.severity = m[5] == "error"     ? Severity::error
                   : m[5] == "warning" ? Severity::warning
                                       : Severity::note;
      if (e.severity == Severity::note && !c.expected.empty()) {
        c.expected.back().notes.push_back(e);
      } else {
        c.expected.push_back(e);
      }
    } else if (std::regex_match(line, m, expect_load)) {
      c.load_failure = m[1];
    } else if (std::regex_match(line, m, expect_load_text)) {
      c.load_texts.push_back(m[1]);
    }
  }
  return c;
}

/// True when `d` is at the place `e` names (and ends where it says, when it says).
bool placed(const Diagnostic& d, const Expectation& e) {
  return d.line == e.line && d.column == e.column && d.severity == e.severity &&
         d.message.find(e.text) != std::string::npos &&
         (e.end_line == 0 || (d.end_line == e.end_line && d.end_column == e.end_column));
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
      for (const auto& text : c.load_texts) {
        EXPECT_NE(loaded.error().message.find(text), std::string::npos)
            << "missing '" << text << "' in " << loaded.error().message;
      }
      continue;
    }
    ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
    const auto diagnostics = validate(*loaded);
    for (const auto& e : c.expected) {
      const auto found = std::find_if(
          diagnostics.begin(), diagnostics.end(),
          [&](const Diagnostic& d) { return d.file == c.file.string() && placed(d, e); });
      EXPECT_TRUE(found != diagnostics.end())
          << "missing " << e.line << ":" << e.column << " " << e.text << "\ngot:\n"
          << dump(diagnostics);
      if (found == diagnostics.end()) continue;
      for (const auto& note : e.notes) {
        EXPECT_TRUE(std::any_of(found->notes.begin(), found->notes.end(),
                                [&](const Diagnostic& n) { return placed(n, note); }))
            << "missing note " << note.line << ":" << note.column << " " << note.text << " of\n"
            << found->format();
      }
      EXPECT_EQ(found->notes.size(), e.notes.size()) << found->format();
    }
    // Exactly the errors and warnings listed: a new warning on a case file is a decision.
    for (const Severity severity : {Severity::error, Severity::warning}) {
      const auto expected =
          std::count_if(c.expected.begin(), c.expected.end(),
                        [&](const Expectation& e) { return e.severity == severity; });
      EXPECT_EQ(count(diagnostics, severity), expected) << severity_name(severity) << "s of\n"
                                                        << dump(diagnostics);
    }
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

// A pattern may name a team's variable: the check compiles it with the reference standing
// for a plain value, so `${` is not read as a broken quantifier.
TEST(InvalidFiles, APatternWithAVariableReferenceIsCheckedAroundTheReference) {
  auto loaded = load_scenario(std::filesystem::path(SCENARIO_TEST_DATA) / "valid-minimal.yaml");
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  ASSERT_FALSE(loaded->objectives.empty());
  Answer& answer = loaded->objectives.front().answer;
  loaded->objectives.front().has_answer = true;
  answer.kind = AnswerKind::regex;
  answer.value = R"(^${vars.victim}@corp\.example$)";
  for (const auto& d : validate(*loaded)) ADD_FAILURE() << d.format();
  answer.value = "^${vars.victim}(";
  const auto broken = validate(*loaded);
  ASSERT_EQ(broken.size(), 1u);
  EXPECT_NE(broken[0].format().find("has an invalid regular expression"), std::string::npos)
      << broken[0].format();
}

TEST(InvalidFiles, MissingFileIsReportedWithItsPath) {
  auto loaded = load_scenario("/nonexistent/scenario.yaml");
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().code, ErrorCode::not_found);
  EXPECT_NE(loaded.error().message.find("/nonexistent/scenario.yaml:1:1: error:"),
            std::string::npos);
}

TEST(InvalidFiles, Utf16IsRefusedAtTheStartWithHowToResaveIt) {
  // UTF-16 as Windows Notepad writes it: a byte order mark, then two bytes a character.
  const std::string ascii = "apiVersion: cyrange/v1\n";
  std::string bytes = "\xFF\xFE";
  for (char c : ascii) bytes += std::string{c, '\0'};
  auto loaded = parse_scenario(bytes, "utf16.yaml");
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().message.rfind("utf16.yaml:1:1: error: the file is saved as UTF-16", 0),
            0u)
      << loaded.error().message;
  EXPECT_NE(loaded.error().message.find("iconv -f UTF-16 -t UTF-8"), std::string::npos);
}

TEST(InvalidFiles, ANulByteIsReportedWhereItIs) {
  const char text[] = "apiVersion: cyrange/v1\nmetadata:\n  id: a\0b\n";
  auto loaded = parse_scenario(std::string(text, sizeof text - 1), "nul.yaml");
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().message.rfind("nul.yaml:3:8: error: the file contains a NUL byte", 0),
            0u)
      << loaded.error().message;
}

TEST(InvalidFiles, EveryYamlLibraryMessageIsFollowedByAPlainHint) {
  for (const std::string text :
       {"a: [1, 2\n", "a: {b: 1\n", "a:\n  b: 1\n c: 2\n", "a: b: c\n", "a:\n  - b\n  c: d\n",
        "a: ]\n", "a: \"\\q\"\n", "a: *nowhere\n", "a: @x\n"}) {
    auto loaded = parse_scenario(text, "bad.yaml");
    ASSERT_FALSE(loaded.has_value()) << text;
    SCOPED_TRACE(text);
    const std::string& message = loaded.error().message;
    // "what yaml-cpp said: what it means; what to do", each in both languages.
    EXPECT_NE(message.find(": error: the YAML cannot be read: "), std::string::npos) << message;
    EXPECT_NE(message.find(" / "), std::string::npos) << message;
    EXPECT_NE(message.find("; "), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace cyrange::scenario
