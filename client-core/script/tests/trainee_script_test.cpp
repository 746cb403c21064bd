// The trainee script format: what it accepts, and every problem reported at its
// FILE:LINE:COL with a way to fix it.
#include <filesystem>

#include <gtest/gtest.h>

#include <client-core/script/trainee_script.h>

namespace cyrange::client {
namespace {

namespace fs = std::filesystem;

const char* kHeader =
    "apiVersion: cyrange.io/playtest/v1\n"
    "trainee: t\n"
    "description: {ja: テスト, en: test}\n";

TraineeScript parse_ok(const std::string& actions) {
  auto script = parse_trainee_script(std::string(kHeader) + actions, "t.yaml");
  EXPECT_TRUE(script) << script.error().message;
  return script ? *script : TraineeScript{};
}

std::string parse_error(const std::string& text) {
  auto script = parse_trainee_script(text, "t.yaml");
  EXPECT_FALSE(script) << "accepted:\n" << text;
  return script ? "" : script.error().message;
}

TEST(TraineeScript, ParsesEveryKindOfAction) {
  const TraineeScript s = parse_ok(
      "actions:\n"
      "  - when: {objective_open: q1}\n"
      "    run:\n"
      "      host: mail\n"
      "      command: grep from= /var/log/mail.log\n"
      "      timeout_seconds: 5\n"
      "      capture: {sender: 'from=<([^>]+)>'}\n"
      "  - answer: {objective: q1, part: a, value: 'x ${sender}', expect: correct}\n"
      "  - hint: {objective: q1, hint: hint-1}\n"
      "  - wait_seconds: 90\n"
      "  - when: {after_seconds: 3600}\n"
      "  - when: {objective_solved: q2}\n");
  ASSERT_EQ(s.actions.size(), 6u);
  EXPECT_EQ(s.trainee, "t");
  EXPECT_EQ(s.description_en, "test");
  const auto& run = s.actions[0];
  EXPECT_EQ(run.kind, ScriptAction::Kind::run);
  EXPECT_EQ(run.when.kind, WaitCondition::Kind::objective_open);
  EXPECT_EQ(run.when.objective, "q1");
  EXPECT_EQ(run.run.host, "mail");
  EXPECT_EQ(run.run.timeout_seconds, 5);
  ASSERT_EQ(run.run.captures.size(), 1u);
  EXPECT_EQ(run.run.captures[0].name, "sender");
  EXPECT_EQ(run.line, 5);
  EXPECT_EQ(run.column, 5);
  EXPECT_EQ(s.where(0), "t.yaml:5:5");
  EXPECT_EQ(s.actions[1].answer.part, "a");
  EXPECT_EQ(s.actions[1].answer.value, "x ${sender}");
  EXPECT_EQ(s.actions[1].answer.expect, "correct");
  EXPECT_EQ(s.actions[2].hint.hint, "hint-1");
  EXPECT_EQ(s.actions[3].kind, ScriptAction::Kind::pause);
  EXPECT_EQ(s.actions[3].pause_seconds, 90);
  EXPECT_EQ(s.actions[4].kind, ScriptAction::Kind::wait);
  EXPECT_EQ(s.actions[4].when.kind, WaitCondition::Kind::exercise_time);
  EXPECT_EQ(s.actions[4].when.seconds, 3600);
  EXPECT_EQ(s.actions[5].when.kind, WaitCondition::Kind::objective_solved);
  EXPECT_EQ(s.describe(5), "wait for q2 to be solved");
}

struct BadScript {
  const char* name;
  std::string text;
  const char* expected;  // a substring of the message, starting with LINE:COL
};

// Test names show the case, not the parameter's bytes.
void PrintTo(const BadScript& bad, std::ostream* out) { *out << bad.name; }

class TraineeScriptErrors : public ::testing::TestWithParam<BadScript> {};

TEST_P(TraineeScriptErrors, NamesLineColumnAndFix) {
  const std::string message = parse_error(GetParam().text);
  EXPECT_NE(message.find(std::string("t.yaml:") + GetParam().expected), std::string::npos)
      << message;
  EXPECT_NE(message.find("; "), std::string::npos) << "no fix in: " << message;
}

INSTANTIATE_TEST_SUITE_P(
    Table, TraineeScriptErrors,
    ::testing::Values(
        BadScript{"api_version",
                  "apiVersion: cyrange/v1\ntrainee: t\ndescription: {ja: a, en: b}\n"
                  "actions: [{wait_seconds: 1}]\n",
                  "1:13: error: unsupported apiVersion 'cyrange/v1'"},
        BadScript{"not_yaml", std::string(kHeader) + "actions: [\n  - {\n",
                  "5:3: error: the file is not valid YAML"},
        BadScript{"missing_description",
                  "apiVersion: cyrange.io/playtest/v1\ntrainee: t\nactions: [{wait_seconds: 1}]\n",
                  "1:1: error: the trainee script has no `description:`"},
        BadScript{"missing_english",
                  "apiVersion: cyrange.io/playtest/v1\ntrainee: t\ndescription: {ja: a}\n"
                  "actions: [{wait_seconds: 1}]\n",
                  "3:14: error: `description:` has no `en:`"},
        BadScript{"no_actions", std::string(kHeader) + "actions: []\n",
                  "4:10: error: the trainee script has no actions"},
        BadScript{"unknown_key",
                  std::string(kHeader) + "actions:\n  - wait_seconds: 1\n    sleep: 2\n",
                  "6:5: error: unknown key 'sleep' in an action"},
        BadScript{"two_kinds",
                  std::string(kHeader) +
                      "actions:\n  - wait_seconds: 1\n    hint: {objective: a, hint: hint-1}\n",
                  "5:5: error: an action does more than one thing"},
        BadScript{"two_groups",
                  std::string(kHeader) + "actions:\n  - run:\n      host: h\n      command: c\n"
                                         "      capture: {x: '(a)(b)'}\n",
                  "8:20: error: the capture 'x' has 2 groups, not one"},
        BadScript{"bad_regex",
                  std::string(kHeader) + "actions:\n  - run:\n      host: h\n      command: c\n"
                                         "      capture: {x: '(a'}\n",
                  "8:20: error: the capture 'x' is not a valid regular expression"},
        BadScript{"undefined_capture",
                  std::string(kHeader) + "actions:\n  - answer: {objective: a, value: '${who}'}\n",
                  "5:35: error: the answer uses ${who}, which no earlier run action captures"},
        BadScript{"capture_defined_later",
                  std::string(kHeader) + "actions:\n  - answer: {objective: a, value: '${x}'}\n"
                                         "  - run: {host: h, command: c, capture: {x: '(.*)'}}\n",
                  "5:35: error: the answer uses ${x}"},
        BadScript{"duplicate_capture",
                  std::string(kHeader) +
                      "actions:\n  - run: {host: h, command: c, capture: {x: '(.*)'}}\n"
                      "  - run: {host: h, command: c, capture: {x: '(.*)'}}\n",
                  "6:42: error: the capture 'x' is already defined at line 5"},
        BadScript{"multi_line_command",
                  std::string(kHeader) + "actions:\n  - run:\n      host: h\n      command: |\n"
                                         "        ls\n        ps\n",
                  "7:16: error: the command spans several lines"},
        BadScript{"missing_host", std::string(kHeader) + "actions:\n  - run: {command: ls}\n",
                  "5:10: error: `run:` has no `host:`"},
        BadScript{
            "two_conditions",
            std::string(kHeader) + "actions:\n  - when: {objective_open: a, after_seconds: 5}\n",
            "5:11: error: `when:` needs exactly one condition"},
        BadScript{"negative_wait", std::string(kHeader) + "actions:\n  - wait_seconds: -3\n",
                  "5:19: error: `wait_seconds:` must be a number of seconds above 0"},
        BadScript{"unknown_verdict",
                  std::string(kHeader) +
                      "actions:\n  - answer: {objective: a, value: v, expect: right}\n",
                  "5:46: error: unknown verdict 'right'"}),
    [](const auto& info) { return info.param.name; });

TEST(TraineeScript, ReportsEveryProblemNotOnlyTheFirst) {
  const std::string message = parse_error(std::string(kHeader) +
                                          "actions:\n"
                                          "  - wait_seconds: 0\n"
                                          "  - run: {host: h}\n");
  EXPECT_NE(message.find("t.yaml:5:"), std::string::npos) << message;
  EXPECT_NE(message.find("t.yaml:6:"), std::string::npos) << message;
}

TEST(TraineeScript, SubstitutesOnlyKnownCaptures) {
  const std::map<std::string, std::string> values{{"domain", "cdn-x.net"}, {"n", "42"}};
  EXPECT_EQ(substitute_captures("block ${domain} every ${n}s", values),
            "block cdn-x.net every 42s");
  // Shell variables and unterminated references are left alone.
  EXPECT_EQ(substitute_captures("for f in *; do echo ${f}; done ${n", values),
            "for f in *; do echo ${f}; done ${n");
}

TEST(TraineeScript, MissingFileIsNamed) {
  auto script = load_trainee_script("/nonexistent/ideal.yaml");
  ASSERT_FALSE(script);
  EXPECT_NE(script.error().message.find("/nonexistent/ideal.yaml"), std::string::npos);
}

// Every shipped playtest script parses, and names itself as its file does.
TEST(TraineeScript, ShippedPlaytestScriptsParse) {
  int found = 0;
  for (const auto& dir : fs::directory_iterator(fs::path(CYRANGE_SOURCE_DIR) / "scenarios")) {
    const fs::path playtest = dir.path() / "playtest";
    if (!fs::is_directory(playtest)) continue;
    for (const auto& file : fs::directory_iterator(playtest)) {
      if (file.path().extension() != ".yaml") continue;
      ++found;
      auto script = load_trainee_script(file.path());
      ASSERT_TRUE(script) << script.error().message;
      EXPECT_EQ(script->trainee, file.path().stem().string()) << file.path();
      EXPECT_FALSE(script->description_ja.empty());
      EXPECT_FALSE(script->actions.empty());
    }
  }
  EXPECT_GE(found, 2) << "expected at least scenarios/targeted-email/playtest/{ideal,careless}";
}

}  // namespace
}  // namespace cyrange::client
