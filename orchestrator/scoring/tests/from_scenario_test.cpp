// The shipped Kakuu City scenario mapped to scoring rules: every answer kind, parts,
// hints with penalties, check-only objectives and per-team values.
#include <filesystem>

#include <gtest/gtest.h>

#include <orchestrator/scenario/parser.h>
#include <orchestrator/scenario/variables.h>
#include <orchestrator/scoring/engine.h>
#include <orchestrator/scoring/from_scenario.h>
#include <orchestrator/scoring/tasks.h>

namespace cyrange::scoring {
namespace {

scenario::Scenario shipped() {
  auto s = scenario::load_scenario(std::filesystem::path(CYRANGE_SOURCE_DIR) / "scenarios" /
                                   "targeted-email" / "scenario.yaml");
  if (!s) ADD_FAILURE() << s.error().message;
  return std::move(s).value();
}

class ShippedScenarioScoring : public ::testing::Test {
 protected:
  void SetUp() override {
    auto mapped = exercise_scoring(scenario_, "ex-1", {"team-a", "team-b"}, 42);
    ASSERT_TRUE(mapped) << mapped.error().message;
    scoring_ = std::move(mapped).value();
  }
  // Judges `value` for `team` on a fresh state.
  Expected<Outcome> answer(const std::string& team, const std::string& objective,
                           const std::string& value, const std::string& part = "") {
    auto engine = ScoringEngine::create(scoring_.team_rules.at(team));
    EXPECT_TRUE(engine);
    return engine->submit({team, objective, part, value, "alice", std::chrono::milliseconds(0)},
                          ObjectiveState{}, scoring_.team_variables.at(team));
  }

  scenario::Scenario scenario_ = shipped();
  ExerciseScoring scoring_;
};

TEST_F(ShippedScenarioScoring, EveryObjectiveIsMappedWithItsPoints) {
  const auto& rules = scoring_.team_rules.at("team-a");
  ASSERT_EQ(rules.objectives.size(), scenario_.objectives.size());
  for (const auto& objective : scenario_.objectives) {
    ASSERT_TRUE(rules.objectives.contains(objective.id)) << objective.id;
    int expected = objective.points;
    for (const auto& part : objective.parts) expected += part.points;
    for (const auto& item : objective.rubric) expected += item.points;
    EXPECT_EQ(rules.objectives.at(objective.id).total_points(), expected) << objective.id;
  }
  const auto& scope = rules.objectives.at("scope-loss");
  ASSERT_EQ(scope.parts.size(), 2u);
  EXPECT_EQ(scope.parts[0].id, "stolen-archive");
  EXPECT_EQ(scope.parts[0].points, 100);
  EXPECT_EQ(scope.parts[1].id, "exfil-destination");
  EXPECT_EQ(scope.parts[1].points, 50);
}

TEST_F(ShippedScenarioScoring, HintsKeepTheirPenalties) {
  const auto& rules = scoring_.team_rules.at("team-a");
  const HintRule* hint = rules.objectives.at("c2-domain").find_hint(hint_id("", 0));
  ASSERT_NE(hint, nullptr);
  EXPECT_EQ(hint->id, "hint-1");
  EXPECT_EQ(hint->penalty, 30);
  EXPECT_TRUE(rules.objectives.at("beacon-interval").hints.empty());
}

TEST_F(ShippedScenarioScoring, VariableAnswersUseEachTeamsOwnValue) {
  const auto& a = scoring_.team_variables.at("team-a");
  const auto& b = scoring_.team_variables.at("team-b");
  ASSERT_NE(a.at("c2_domain"), b.at("c2_domain"));
  // Case and full-width forms are normalised for variable answers.
  std::string shouted = a.at("c2_domain");
  for (auto& c : shouted) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(answer("team-a", "c2-domain", shouted)->verdict, Verdict::correct);
  EXPECT_EQ(answer("team-a", "c2-domain", b.at("c2_domain"))->verdict, Verdict::wrong);
  EXPECT_EQ(answer("team-b", "c2-domain", b.at("c2_domain"))->verdict, Verdict::correct);
}

TEST_F(ShippedScenarioScoring, NumericCentreComesFromTheTeamsVariable) {
  for (const std::string team : {"team-a", "team-b"}) {
    const int interval = std::stoi(scoring_.team_variables.at(team).at("beacon_interval"));
    EXPECT_EQ(answer(team, "beacon-interval", std::to_string(interval))->verdict, Verdict::correct);
    EXPECT_EQ(answer(team, "beacon-interval", std::to_string(interval + 5))->verdict,
              Verdict::correct);
    EXPECT_EQ(answer(team, "beacon-interval", std::to_string(interval - 6))->verdict,
              Verdict::wrong);
  }
}

TEST_F(ShippedScenarioScoring, AnyOfAcceptsEveryListedAnswer) {
  for (const std::string value : {"files", "FILES.city.kakuu.lg.jp", "10.40.0.20"}) {
    EXPECT_EQ(answer("team-a", "lateral-host", value)->verdict, Verdict::correct) << value;
  }
  EXPECT_EQ(answer("team-a", "lateral-host", "proxy")->verdict, Verdict::wrong);
}

TEST_F(ShippedScenarioScoring, PartsAreAnsweredSeparately) {
  const auto& vars = scoring_.team_variables.at("team-a");
  auto first = answer("team-a", "scope-loss", vars.at("stolen_archive"), "stolen-archive");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->verdict, Verdict::part_correct);
  ASSERT_EQ(first->entries.size(), 1u);
  EXPECT_EQ(first->entries[0].points, 100);
  auto wrong_part = answer("team-a", "scope-loss", vars.at("stolen_archive"), "exfil-destination");
  EXPECT_EQ(wrong_part->verdict, Verdict::wrong);
}

TEST_F(ShippedScenarioScoring, CheckOnlyObjectivesRefuseAnswers) {
  const auto& rules = scoring_.team_rules.at("team-a");
  ASSERT_TRUE(rules.objectives.at("block-c2").parts.at(0).check_only);
  auto refused = answer("team-a", "block-c2", scoring_.team_variables.at("team-a").at("c2_domain"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::failed_precondition);
}

TEST(FromScenario, AnswerNamingAnUndefinedVariableIsReportedWithItsPlace) {
  auto s = shipped();
  s.objectives[0].answer.variable = "no_such_var";
  auto rules = rules_from_scenario(s, scenario::resolve_variables(s, 1, "t"));
  ASSERT_FALSE(rules);
  EXPECT_NE(rules.error().message.find("no_such_var"), std::string::npos);
  EXPECT_NE(rules.error().message.find("scenario.yaml:"), std::string::npos);
}

// ransomware-vpn's isolation order: each part allows one answer (`wrong_answers:` on the
// parts), and its file count costs 10 points per wrong answer.
TEST(FromScenario, WrongAnswerRulesWrittenOnPartsApplyToThoseParts) {
  auto s = scenario::load_scenario(std::filesystem::path(CYRANGE_SOURCE_DIR) / "scenarios" /
                                   "ransomware-vpn" / "scenario.yaml");
  ASSERT_TRUE(s) << s.error().message;
  auto rules = rules_from_scenario(*s, scenario::resolve_variables(*s, 1, "t1"));
  ASSERT_TRUE(rules) << rules.error().message;
  const ObjectiveRules& impact = rules->objectives.at("impact");
  const PartRule* count = impact.find_part("file-count");
  ASSERT_NE(count, nullptr);
  EXPECT_TRUE(count->own_wrong_answers);
  EXPECT_EQ(count->max_wrong_answers, 0);
  EXPECT_EQ(count->wrong_answer_penalty, 10);
  const PartRule* extension = impact.find_part("extension");
  ASSERT_NE(extension, nullptr);
  EXPECT_FALSE(extension->own_wrong_answers) << "a part without a rule follows the objective";

  auto engine = ScoringEngine::create(*rules);
  ASSERT_TRUE(engine) << engine.error().message;
  const std::string order = [&] {
    for (const auto& [id, objective] : rules->objectives) {
      if (objective.find_part("first") && objective.find_part("second")) return id;
    }
    return std::string();
  }();
  ASSERT_FALSE(order.empty());
  ObjectiveState state;
  auto wrong = engine->submit({"t1", order, "first", "ws01", "alice", {}}, state, {});
  ASSERT_TRUE(wrong) << wrong.error().message;
  ASSERT_EQ(wrong->verdict, Verdict::wrong);
  for (const auto& entry : wrong->entries) state.apply(entry);
  auto again = engine->submit({"t1", order, "first", "vpn-gw", "alice", {}}, state, {});
  EXPECT_FALSE(again) << "one answer for the first host to isolate";
  auto second = engine->submit({"t1", order, "second", "fs01", "alice", {}}, state, {});
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->verdict, Verdict::part_correct);
}

TEST_F(ShippedScenarioScoring, RubricItemsAreGradedPartsAndExpectedCommandsAreChecks) {
  const auto& rules = scoring_.team_rules.at("team-a");
  const auto& report = rules.objectives.at("incident-report");
  ASSERT_EQ(report.parts.size(), 3u);
  for (const auto& part : report.parts) EXPECT_TRUE(part.check_only) << part.id;
  EXPECT_EQ(report.parts[0].id, "timeline");
  EXPECT_EQ(report.total_points(), 150);
  const auto& logons = rules.objectives.at("file-server-logons");
  ASSERT_EQ(logons.parts.size(), 1u);
  EXPECT_TRUE(logons.parts[0].check_only);
  // An answer cannot stand in for what a checker or a grader decides.
  auto typed = answer("team-a", "file-server-logons", "grep auth.log");
  EXPECT_FALSE(typed && typed->verdict == Verdict::correct);
  EXPECT_EQ(scoring_.team_texts.at("team-a").at("incident-report").rubric,
            (std::vector<std::string>{"timeline", "scope", "measures"}));
}

TEST_F(ShippedScenarioScoring, EachRubricItemCarriesItsGraderIntoTextsAndTasks) {
  // The shipped report is graded by instructors; a course declares self and review items.
  scenario_.objectives.back().rubric.at(1).graded_by = scenario::Grader::self;
  scenario_.objectives.back().rubric.at(2).graded_by = scenario::Grader::review;
  ASSERT_EQ(scenario_.objectives.back().id, "incident-report");
  auto mapped = exercise_scoring(scenario_, "ex-1", {"team-a"}, 42);
  ASSERT_TRUE(mapped) << mapped.error().message;
  const auto& texts = mapped->team_texts.at("team-a");
  const auto& items = texts.at("incident-report").rubric_items;
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].graded_by, scenario::Grader::instructor);
  EXPECT_EQ(items[1].graded_by, scenario::Grader::self);
  EXPECT_EQ(items[2].graded_by, scenario::Grader::review);
  const auto tasks = team_tasks(mapped->team_rules.at("team-a"), texts, TeamStanding{});
  bool found = false;
  for (const auto& task : tasks) {
    if (task.objective != "incident-report") continue;
    found = true;
    ASSERT_EQ(task.rubric.size(), 3u);
    EXPECT_EQ(task.rubric[1].item.graded_by, scenario::Grader::self);
  }
  EXPECT_TRUE(found);
}

TEST_F(ShippedScenarioScoring, WrongAnswerLimitsServicesAndRevealsAreMapped) {
  const auto& rules = scoring_.team_rules.at("team-a");
  EXPECT_EQ(rules.objectives.at("beacon-interval").max_wrong_answers, 3);
  EXPECT_EQ(rules.objectives.at("beacon-interval").wrong_answer_penalty, 10);
  EXPECT_EQ(rules.objectives.at("first-victim").max_wrong_answers, 0);
  EXPECT_TRUE(rules.objectives.at("sender-domain").solution_revealed_zeroes);
  ASSERT_TRUE(rules.services.contains("city-mail"));
  EXPECT_EQ(rules.services.at("city-mail").penalty_per_minute, 2);
}

TEST_F(ShippedScenarioScoring, HintAndSolutionTextsCarryEachTeamsValues) {
  const auto& a = scoring_.team_texts.at("team-a").at("sender-domain");
  const auto& b = scoring_.team_texts.at("team-b").at("sender-domain");
  const std::string domain_a = scoring_.team_variables.at("team-a").at("sender_domain");
  EXPECT_NE(a.solution.en.find(domain_a), std::string::npos) << a.solution.en;
  EXPECT_NE(a.solution.ja.find(domain_a), std::string::npos) << a.solution.ja;
  EXPECT_EQ(a.solution.en.find("${vars."), std::string::npos);
  if (domain_a != scoring_.team_variables.at("team-b").at("sender_domain")) {
    EXPECT_NE(a.solution.en, b.solution.en);
  }
  ASSERT_TRUE(a.hints.contains("hint-1"));
  EXPECT_NE(a.hints.at("hint-1").en.find("correspondent"), std::string::npos);
  EXPECT_FALSE(a.hints.at("hint-1").ja.empty());
}

TEST(ScenarioDecay, DecayIsMappedToTheObjectiveRules) {
  auto parsed = scenario::parse_scenario(R"(apiVersion: cyrange/v1
metadata: {id: d, version: "1", title: {ja: 減衰, en: Decay}, summary: {ja: 減衰, en: Decay}}
topology: {segments: [{name: lan, cidr: 10.0.0.0/24}]}
objectives:
  - {id: q, question: {ja: 問, en: Q}, points: 100, answer: {type: exact, value: x},
     decay: {start: 10m, end: 30m, floor: 40}}
)",
                                         "decay.yaml");
  ASSERT_TRUE(parsed) << parsed.error().message;
  auto rules = rules_from_scenario(*parsed, {});
  ASSERT_TRUE(rules) << rules.error().message;
  const auto& decay = rules->objectives.at("q").decay;
  ASSERT_TRUE(decay.has_value());
  EXPECT_EQ(decay->start, std::chrono::minutes(10));
  EXPECT_EQ(decay->end, std::chrono::minutes(30));
  EXPECT_EQ(decay->floor_percent, 40);
  EXPECT_EQ(decay->apply(100, std::chrono::minutes(20)), 70);
}

}  // namespace
}  // namespace cyrange::scoring

namespace cyrange::scoring {
namespace {

// A part limited on its own shows its own attempts in the task list; a part without a
// rule of its own shows the objective's (here: none, so unlimited).
TEST(PartAttempts, ATaskPartShowsTheAttemptsItMayStillTake) {
  auto s = scenario::load_scenario(std::filesystem::path(CYRANGE_SOURCE_DIR) / "scenarios" /
                                   "ransomware-vpn" / "scenario.yaml");
  ASSERT_TRUE(s) << s.error().message;
  auto mapped = exercise_scoring(*s, "ex-1", {"team-a"}, 42);
  ASSERT_TRUE(mapped) << mapped.error().message;
  TeamStanding standing;
  standing.team = "team-a";
  ObjectiveState& state = standing.objectives["isolation-order"].state;
  state.apply({1, "team-a", "isolation-order", "first", EntryKind::wrong_answer, 0, "t", "",
               std::chrono::milliseconds(0)});
  const auto tasks =
      team_tasks(mapped->team_rules.at("team-a"), mapped->team_texts.at("team-a"), standing);
  const Task* order = nullptr;
  for (const auto& task : tasks)
    if (task.objective == "isolation-order") order = &task;
  ASSERT_NE(order, nullptr);
  EXPECT_FALSE(order->attempts_left) << "the objective itself has no limit";
  ASSERT_EQ(order->parts.size(), 2u);
  EXPECT_EQ(order->parts[0].id, "first");
  EXPECT_EQ(order->parts[0].wrong_attempts, 1);
  EXPECT_EQ(order->parts[0].attempts_left, 0);
  EXPECT_EQ(order->parts[1].wrong_attempts, 0);
  EXPECT_EQ(order->parts[1].attempts_left, 1);
}

}  // namespace
}  // namespace cyrange::scoring
