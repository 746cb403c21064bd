// Trainee scripts against their scenario: references checked with FILE:LINE:COL (the dry
// run itself is tested in dry_run_scoring_test.cpp).
#include <filesystem>

#include <gtest/gtest.h>

#include <orchestrator/playtest/script_dry_run.h>
#include <orchestrator/scenario/parser.h>

namespace cyrange::playtest {
namespace {

namespace fs = std::filesystem;

const fs::path kScenarioDir = fs::path(CYRANGE_SOURCE_DIR) / "scenarios" / "targeted-email";

scenario::Scenario shipped_scenario() {
  auto loaded = scenario::load_scenario((kScenarioDir / "scenario.yaml").string());
  EXPECT_TRUE(loaded) << loaded.error().message;
  return loaded ? std::move(loaded).value() : scenario::Scenario{};
}

client::TraineeScript script(const std::string& actions,
                             const std::string& scenario_id = "targeted-email-yaritori") {
  auto parsed = client::parse_trainee_script(
      "apiVersion: cyrange.io/playtest/v1\ntrainee: t\nscenario: " + scenario_id +
          "\ndescription: {ja: テスト, en: test}\nactions:\n" + actions,
      "t.yaml");
  EXPECT_TRUE(parsed) << parsed.error().message;
  return parsed ? *parsed : client::TraineeScript{};
}

TEST(ScriptCheck, ShippedScriptsMatchTheirScenario) {
  const auto s = shipped_scenario();
  for (const char* name : {"ideal.yaml", "careless.yaml"}) {
    auto parsed = client::load_trainee_script(kScenarioDir / "playtest" / name);
    ASSERT_TRUE(parsed) << parsed.error().message;
    const auto errors = check_script(s, *parsed);
    EXPECT_TRUE(errors.empty()) << name << ":\n" << errors.front();
  }
}

TEST(ScriptCheck, ObjectivePointsSumTheParts) {
  const auto points = objective_points(shipped_scenario());
  EXPECT_EQ(points.size(), 9u);
  EXPECT_EQ(points.at("c2-domain"), 150);
  EXPECT_EQ(points.at("scope-loss"), 150);       // 100 + 50 for its two parts
  EXPECT_EQ(points.at("incident-report"), 150);  // three rubric items of 50
}

TEST(ScriptCheck, ReportGradesMustNameRubricItems) {
  auto graded = client::parse_trainee_script(
      "apiVersion: cyrange.io/playtest/v1\ntrainee: t\ndescription: {ja: て, en: t}\n"
      "actions:\n  - run: {host: mail, command: ls}\n"
      "report_grades:\n"
      "  - {objective: incident-report, item: timeline, note: ok}\n"
      "  - {objective: incident-report, item: colour, note: ok}\n"
      "  - {objective: c2-domain, item: timeline, note: ok}\n",
      "g.yaml");
  ASSERT_TRUE(graded) << graded.error().message;
  const auto errors = check_script(shipped_scenario(), *graded);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_NE(errors[0].find("g.yaml:8:5: error: the report grade names 'incident-report/colour'"),
            std::string::npos)
      << errors[0];
  EXPECT_NE(errors[0].find("use one of: timeline, scope, measures"), std::string::npos);
  EXPECT_NE(errors[1].find("name an objective that has a `rubric:`"), std::string::npos)
      << errors[1];
}

TEST(ScriptCheck, NamesEveryWrongReferenceWithItsPlace) {
  const auto errors =
      check_script(shipped_scenario(), script("  - when: {objective_open: first-victm}\n"
                                              "  - run: {host: attacker, command: ls}\n"
                                              "  - answer: {objective: scope-loss, value: x}\n"
                                              "  - answer: {objective: block-c2, value: x}\n"
                                              "  - hint: {objective: c2-domain, hint: hint-2}\n",
                                              "watering-hole"));
  ASSERT_EQ(errors.size(), 6u);
  EXPECT_NE(errors[0].find("t.yaml:3:11: error: the script plays 'watering-hole'"),
            std::string::npos)
      << errors[0];
  EXPECT_NE(errors[1].find("t.yaml:6:5: error: `when:` names objective 'first-victm'"),
            std::string::npos)
      << errors[1];
  EXPECT_NE(errors[2].find("t.yaml:7:5: error: host 'attacker' has no trainee terminal"),
            std::string::npos)
      << errors[2];
  EXPECT_NE(errors[2].find("mail, proxy, files, ws01"), std::string::npos) << errors[2];
  EXPECT_NE(errors[3].find("t.yaml:8:5: error: objective 'scope-loss' has no part ''"),
            std::string::npos)
      << errors[3];
  EXPECT_NE(errors[4].find("'block-c2' is scored by a range-state check"), std::string::npos)
      << errors[4];
  EXPECT_NE(errors[5].find("no hint 'hint-2'; use one of: hint-1"), std::string::npos) << errors[5];
}

}  // namespace
}  // namespace cyrange::playtest

namespace cyrange::playtest {
namespace {

TEST(ScriptCheck, DecisionsMustNameADecisionStepAndOneOfItsOptions) {
  const fs::path data = fs::path(CYRANGE_SOURCE_DIR) / "orchestrator/playtest/tests/data";
  auto s = scenario::load_scenario((data / "every-rule.yaml").string());
  ASSERT_TRUE(s) << s.error().message;
  auto chosen = client::parse_trainee_script(
      "apiVersion: cyrange.io/playtest/v1\ntrainee: t\ndescription: {ja: て, en: t}\n"
      "actions:\n  - run: {host: ws01, command: ls}\n"
      "decisions:\n"
      "  - {step: isolate-now, option: cut}\n"
      "  - {step: isolate-now, option: later}\n"
      "  - {step: press, option: cut}\n",
      "d.yaml");
  ASSERT_TRUE(chosen) << chosen.error().message;
  ASSERT_EQ(chosen->decisions.size(), 3u);
  const auto errors = check_script(*s, *chosen);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_NE(errors[0].find("d.yaml:8:5: error: decision 'isolate-now' has no option 'later'; "
                           "use one of: cut, wait"),
            std::string::npos)
      << errors[0];
  EXPECT_NE(errors[1].find("d.yaml:9:5: error: the script chooses in 'press', which is not a "
                           "decision step"),
            std::string::npos)
      << errors[1];
  EXPECT_NE(errors[1].find("use one of: isolate-now"), std::string::npos) << errors[1];
}

}  // namespace
}  // namespace cyrange::playtest
