// Trainee scripts against their scenario: references checked with FILE:LINE:COL,
// and the dry run that plays the timeline with the script's answers in between.
#include <algorithm>
#include <cmath>
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

// Index of the first line whose id and text contain both fragments; -1 if none.
long find_line(const ScriptDryRun& run, const std::string& id, const std::string& text) {
  for (std::size_t i = 0; i < run.lines.size(); ++i) {
    if (run.lines[i].id.find(id) != std::string::npos &&
        run.lines[i].text.find(text) != std::string::npos) {
      return static_cast<long>(i);
    }
  }
  return -1;
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

TEST(ScriptDryRun, AnswersOpenWhatWaitsForThem) {
  auto run = dry_run_script(shipped_scenario(),
                            script("  - when: {objective_open: c2-domain}\n"
                                   "    wait_seconds: 600\n"
                                   "  - answer: {objective: c2-domain, value: x}\n"
                                   "  - when: {objective_open: beacon-interval}\n"
                                   "    answer: {objective: beacon-interval, value: '60'}\n"));
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_TRUE(run->stopped.empty()) << run->stopped;
  const long opens = find_line(*run, "c2-domain", "opens");
  const long answered = find_line(*run, "t.yaml:8:5", "answer c2-domain");
  const long interval = find_line(*run, "beacon-interval", "opens");
  ASSERT_GE(opens, 0);
  ASSERT_GT(answered, opens);
  ASSERT_GT(interval, answered);
  // user-opens at T+35:00, objectives 20 minutes later, the answer after 10 minutes' thought.
  EXPECT_DOUBLE_EQ(std::round(run->lines[opens].at), 55 * 60);
  EXPECT_DOUBLE_EQ(std::round(run->lines[answered].at), 65 * 60);
  EXPECT_DOUBLE_EQ(std::round(run->lines[interval].at), 65 * 60);
  EXPECT_EQ(run->solved, 2);
  // Nobody solved first-victim, so the CISO's message never came; the manual one neither.
  const auto never = run->never;
  EXPECT_TRUE(std::any_of(never.begin(), never.end(), [](const std::string& n) {
    return n.find("ciso-request waits for objective first-victim to be solved") !=
           std::string::npos;
  }));
  EXPECT_TRUE(std::any_of(never.begin(), never.end(), [](const std::string& n) {
    return n.find("press-call waits for the instructor") != std::string::npos;
  }));
}

TEST(ScriptDryRun, AGuessTheScriptExpectsWrongSolvesNothing) {
  auto run = dry_run_script(
      shipped_scenario(), script("  - when: {objective_open: c2-domain}\n"
                                 "    answer: {objective: c2-domain, value: x, expect: wrong}\n"));
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_NE(find_line(*run, "t.yaml:6:5", "answer c2-domain = x (a wrong guess)"), -1);
  EXPECT_EQ(run->solved, 0);
  EXPECT_EQ(find_line(*run, "beacon-interval", "opens"), -1);
}

TEST(ScriptDryRun, StepsFireInTimeOrderAtTheirOwnTimes) {
  auto run = dry_run_script(shipped_scenario(), script("  - when: {after_seconds: 7200}\n"));
  ASSERT_TRUE(run) << run.error().message;
  const long contact = find_line(*run, "first-contact", "fires [send_mail T1598 -> mail]");
  const long reply = find_line(*run, "reply-exchange", "fires");
  ASSERT_GE(contact, 0);
  ASSERT_GT(reply, contact);
  EXPECT_DOUBLE_EQ(std::round(run->lines[contact].at), 300);
  EXPECT_DOUBLE_EQ(std::round(run->lines[reply].at), 900);
  for (std::size_t i = 1; i < run->lines.size(); ++i) {
    EXPECT_LE(run->lines[i - 1].at, run->lines[i].at) << run->lines[i].id;
  }
}

TEST(ScriptDryRun, AWaitThatCannotEndStopsTheScript) {
  auto run = dry_run_script(shipped_scenario(),
                            script("  - when: {objective_open: beacon-interval}\n"
                                   "  - answer: {objective: beacon-interval, value: '60'}\n"));
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_NE(run->stopped.find("t.yaml:6:5: the script waits for objective 'beacon-interval'"),
            std::string::npos)
      << run->stopped;
  EXPECT_EQ(find_line(*run, "t.yaml:7:5", "answer"), -1);
}

TEST(ScriptDryRun, TheShippedIdealTraineeSolvesEveryObjective) {
  auto ideal = client::load_trainee_script(kScenarioDir / "playtest" / "ideal.yaml");
  ASSERT_TRUE(ideal) << ideal.error().message;
  auto run = dry_run_script(shipped_scenario(), *ideal);
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_TRUE(run->stopped.empty()) << run->stopped;
  EXPECT_EQ(run->solved, run->objectives) << format_script_dry_run(*run, 1);
  EXPECT_NE(find_line(*run, "ideal.yaml", "block-c2 solved (range-state check assumed passing)"),
            -1);
  EXPECT_NE(find_line(*run, "ideal.yaml", "file-server-logons solved (expected command typed)"),
            -1);
  EXPECT_NE(find_line(*run, "report_grades", "incident-report solved"), -1);
  const std::string text = format_script_dry_run(*run, 120);
  EXPECT_NE(text.find("9 of 9 objectives solved"), std::string::npos) << text;
}

TEST(ScriptDryRun, TheShippedCarelessTraineeLeavesObjectivesOpen) {
  auto careless = client::load_trainee_script(kScenarioDir / "playtest" / "careless.yaml");
  ASSERT_TRUE(careless) << careless.error().message;
  auto run = dry_run_script(shipped_scenario(), *careless);
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_TRUE(run->stopped.empty()) << run->stopped;
  EXPECT_LT(run->solved, run->objectives);
}

}  // namespace
}  // namespace cyrange::playtest
