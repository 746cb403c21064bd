// The dry run plays a script with the engines of a real day: every trigger kind and
// every scoring rule of tests/data/every-rule.yaml against a golden file, the times of
// a real run moving decay, and every shipped scenario's ideal script at full marks.
// Update the golden file: CYRANGE_UPDATE_GOLDEN=1 ctest --test-dir build -R DryRunScoring;
// review the diff.
#include <filesystem>

#include <gtest/gtest.h>

#include <orchestrator/common/testing/golden.h>
#include <orchestrator/playtest/script_dry_run.h>
#include <orchestrator/scenario/parser.h>

namespace cyrange::playtest {
namespace {

namespace fs = std::filesystem;

const fs::path kData =
    fs::path(CYRANGE_SOURCE_DIR) / "orchestrator" / "playtest" / "tests" / "data";

scenario::Scenario load(const fs::path& file) {
  auto loaded = scenario::load_scenario(file.string());
  EXPECT_TRUE(loaded) << loaded.error().message;
  return loaded ? std::move(loaded).value() : scenario::Scenario{};
}

client::TraineeScript script(const fs::path& file) {
  auto loaded = client::load_trainee_script(file);
  EXPECT_TRUE(loaded) << loaded.error().message;
  return loaded ? std::move(loaded).value() : client::TraineeScript{};
}

const DryRunObjective& scored(const ScriptDryRun& run, const std::string& id) {
  for (const auto& o : run.scores)
    if (o.id == id) return o;
  static const DryRunObjective none;
  ADD_FAILURE() << "no objective " << id;
  return none;
}

bool ran(const ScriptDryRun& run, const std::string& item) {
  for (const auto& l : run.lines)
    if (l.id == item && l.text.rfind("fires", 0) == 0) return true;
  return false;
}

TEST(DryRunScoring, EveryRuleMatchesItsGoldenFile) {
  const auto s = load(kData / "every-rule.yaml");
  const auto t = script(kData / "every-rule.script.yaml");
  ASSERT_TRUE(check_script(s, t).empty()) << check_script(s, t).front();
  auto run = dry_run_script(s, t, {7, "team1", {}, {}});
  ASSERT_TRUE(run) << run.error().message;
  testing::expect_golden(kData / "every-rule.golden", format_script_dry_run(*run, 1));
}

TEST(DryRunScoring, EachRuleScoresAsOnARealDay) {
  auto run = dry_run_script(load(kData / "every-rule.yaml"),
                            script(kData / "every-rule.script.yaml"), {7, "team1", {}, {}});
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_TRUE(run->stopped.empty()) << run->stopped;
  // A hint (-10) and an answer at T+15:00, halfway down a decay to 50 % from 10 to 20 minutes.
  EXPECT_EQ(scored(*run, "who").points, 100 * 3 / 4 - 10);
  EXPECT_EQ(scored(*run, "guess").points, 50 - 5);  // one wrong answer at 5 points
  EXPECT_EQ(scored(*run, "guess").wrong_answers, 1);
  // The part with one attempt was answered wrong: the objective failed with the other part.
  EXPECT_EQ(scored(*run, "order").status, "failed");
  EXPECT_EQ(scored(*run, "order").points, 50);
  // An expected command and a check assumed because the script waits for the objective.
  EXPECT_EQ(scored(*run, "contain").status, "solved");
  EXPECT_EQ(scored(*run, "contain").points, 100);
  ASSERT_EQ(run->assumed.size(), 1u);
  EXPECT_NE(run->assumed[0].find("contain/fixed (check on ws01)"), std::string::npos);
  // A check the script never says the trainee satisfied is not assumed.
  EXPECT_EQ(scored(*run, "untouched").points, 0);
  ASSERT_EQ(run->not_assumed.size(), 1u);
  EXPECT_NE(run->not_assumed[0].find("untouched"), std::string::npos);
  EXPECT_EQ(scored(*run, "later").status, "solved");
  EXPECT_EQ(scored(*run, "report").points, 25);  // one of two rubric items graded
  EXPECT_EQ(run->total, 65 + 45 + 50 + 100 + 20 + 25);
  EXPECT_EQ(run->full_marks, 500);
  // Each trigger kind fired its step, the decision's branch the script chose too.
  for (const char* item : {"after-answer", "after-hint", "after-command", "after-opened",
                           "after-solved", "after-failed", "after-cut"})
    EXPECT_TRUE(ran(*run, item)) << item << "\n" << format_script_dry_run(*run, 1);
  EXPECT_FALSE(ran(*run, "press")) << "a manual step waits for the instructor";
}

TEST(DryRunScoring, ADecisionTheScriptDoesNotChooseWaitsAsInAPlaytest) {
  auto t = script(kData / "every-rule.script.yaml");
  t.decisions.clear();
  auto run = dry_run_script(load(kData / "every-rule.yaml"), t, {7, "team1", {}, {}});
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_FALSE(ran(*run, "after-cut"));
  bool waits = false;
  for (const auto& n : run->never)
    waits =
        waits || n.find("after-cut waits for event decision:isolate-now:cut") != std::string::npos;
  EXPECT_TRUE(waits) << format_script_dry_run(*run, 1);
}

TEST(DryRunScoring, ActionsActAtTheTimesOfARealRun) {
  const auto t = script(kData / "every-rule.script.yaml");
  // Action 3 answers `who`; on the real day it happened at T+20:00, the end of the decay.
  ScriptDryRunOptions late{7, "team1", {{3, 1200.0}}, {}};
  auto run = dry_run_script(load(kData / "every-rule.yaml"), t, late);
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(scored(*run, "who").points, 50 - 10);
  for (const auto& e : run->ledger) {
    if (e.objective == "who" && e.kind == scoring::EntryKind::solve) {
      EXPECT_EQ(e.exercise_time.count(), 1200 * 1000);
    }
  }
}

TEST(DryRunScoring, AnAnswerTheScriptDoesNotExpectStopsItLikeARealRun) {
  auto t = script(kData / "every-rule.script.yaml");
  t.actions[4].answer.expect = "correct";  // "nope" is judged by the real rule: wrong
  auto run = dry_run_script(load(kData / "every-rule.yaml"), t, {7, "team1", {}, {}});
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_NE(run->stopped.find("the answer is wrong, but the script expects correct"),
            std::string::npos)
      << run->stopped;
}

// Every shipped scenario's ideal script reaches full marks in the dry run, and its
// careless one does not: the real playtest holds each total to the dry run's.
TEST(DryRunScoring, ShippedIdealScriptsReachFullMarksAndCarelessOnesDoNot) {
  const fs::path root = fs::path(CYRANGE_SOURCE_DIR) / "scenarios";
  int played = 0;
  for (const auto& dir : fs::directory_iterator(root)) {
    const fs::path file = dir.path() / "scenario.yaml";
    if (!fs::exists(file) || !fs::exists(dir.path() / "playtest" / "ideal.yaml")) continue;
    const auto s = load(file);
    for (const char* who : {"ideal", "careless"}) {
      const auto t = script(dir.path() / "playtest" / (std::string(who) + ".yaml"));
      auto run = dry_run_script(s, t, {2026, "team1", {}, {}});
      ASSERT_TRUE(run) << file << " " << who << ": " << run.error().message;
      const std::string text = format_script_dry_run(*run, 60);
      if (std::string(who) == "ideal") {
        EXPECT_TRUE(run->stopped.empty()) << file << ":\n" << text;
        EXPECT_EQ(run->total, run->full_marks) << file << ":\n" << text;
      } else {
        EXPECT_LT(run->total, run->full_marks) << file << ":\n" << text;
      }
      ++played;
    }
  }
  EXPECT_GE(played, 10);
}

}  // namespace
}  // namespace cyrange::playtest
