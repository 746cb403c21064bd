#include <gtest/gtest.h>
#include <orchestrator/scoring/engine.h>

namespace cyrange::scoring {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;

constexpr milliseconds kT0 = minutes(10);
constexpr milliseconds kT1 = minutes(30);

ScoringRules make_rules() {
  ScoringRules rules;
  auto flag = ObjectiveRules::single(AnswerRule::normalized("flag{one}"), 100);
  flag.max_wrong_answers = 3;
  flag.wrong_answer_penalty = 5;
  flag.hints = {{"h1", 10}, {"h2", 20}};
  flag.solution_revealed_zeroes = true;
  rules.objectives["flag"] = flag;

  auto decaying = ObjectiveRules::single(AnswerRule::exact("42"), 200);
  decaying.decay = TimeDecay{kT0, kT1, 25};
  rules.objectives["decaying"] = decaying;

  ObjectiveRules triage;
  triage.parts = {{"host", AnswerRule::normalized("web01"), 30},
                  {"user", AnswerRule::variable("victim"), 20},
                  {"port", *AnswerRule::numeric_range(440, 445), 50}};
  rules.objectives["triage"] = triage;
  rules.services["web"] = ServiceRule{6};
  return rules;
}

ScoringEngine make_engine() {
  auto engine = ScoringEngine::create(make_rules());
  EXPECT_TRUE(engine.has_value());
  return *engine;
}

// Runs the engine's entries through a state, the way the ledger and tally would.
ObjectiveState fold(ObjectiveState state, const Outcome& outcome) {
  for (const auto& entry : outcome.entries) state.apply(entry);
  return state;
}

AnswerSubmission answer(std::string objective, std::string value, milliseconds at = {},
                        std::string part = "") {
  return AnswerSubmission{"red", std::move(objective), std::move(part), std::move(value), "alice",
                          at};
}

struct DecayCase {
  const char* name;
  milliseconds at;
  int expected_points;
};

class Decay : public testing::TestWithParam<DecayCase> {};

TEST_P(Decay, AwardsLinearlyFallingPoints) {
  auto outcome = make_engine().submit(answer("decaying", "42", GetParam().at), {}, {});
  ASSERT_TRUE(outcome) << outcome.error().message;
  ASSERT_EQ(outcome->entries.size(), 1u);
  EXPECT_EQ(outcome->entries[0].kind, EntryKind::solve);
  EXPECT_EQ(outcome->entries[0].points, GetParam().expected_points);
  EXPECT_EQ(outcome->entries[0].exercise_time, GetParam().at);
}

INSTANTIATE_TEST_SUITE_P(
    Table, Decay,
    testing::Values(DecayCase{"before_t0", minutes(1), 200}, DecayCase{"at_t0", kT0, 200},
                    DecayCase{"quarter", minutes(15), 163},  // 200 * (1 - 0.75 * 0.25) = 162.5
                    DecayCase{"mid", minutes(20), 125},
                    DecayCase{"half_point_rounds_up", minutes(11), 193},  // 192.5
                    DecayCase{"one_ms_after_t0", kT0 + milliseconds(1), 200},
                    DecayCase{"at_t1", kT1, 50}, DecayCase{"after_t1", minutes(90), 50}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Engine, CorrectAnswerSolvesOnceAndNeverTwice) {
  auto engine = make_engine();
  auto first = engine.submit(answer("flag", " ＦＬＡＧ{one} "), {}, {});
  ASSERT_TRUE(first);
  EXPECT_EQ(first->verdict, Verdict::correct);
  ASSERT_EQ(first->entries.size(), 1u);
  EXPECT_EQ(first->entries[0].points, 100);
  EXPECT_EQ(first->entries[0].actor, "alice");
  EXPECT_NE(first->message.ja.find("正解"), std::string::npos);
  EXPECT_NE(first->message.en.find("Correct"), std::string::npos);
  EXPECT_EQ(first->message.en.find("正解"), std::string::npos)
      << "English text carries no Japanese";

  ObjectiveState state = fold({}, *first);
  auto again = engine.submit(answer("flag", "flag{one}"), state, {});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->verdict, Verdict::already_solved);
  EXPECT_TRUE(again->entries.empty());
  auto checked =
      engine.pass_check(CheckPassed{"red", "flag", "", "checker", "state ok", {}}, state);
  ASSERT_TRUE(checked);
  EXPECT_TRUE(checked->entries.empty());
}

TEST(Engine, WrongAnswersArePenalisedUntilTheLimitThenRefused) {
  auto engine = make_engine();
  ObjectiveState state;
  for (int attempt = 1; attempt <= 3; ++attempt) {
    auto outcome = engine.submit(answer("flag", "flag{two}"), state, {});
    ASSERT_TRUE(outcome) << "attempt " << attempt;
    EXPECT_EQ(outcome->verdict, Verdict::wrong);
    ASSERT_EQ(outcome->entries.size(), 1u);
    EXPECT_EQ(outcome->entries[0].kind, EntryKind::wrong_answer);
    EXPECT_EQ(outcome->entries[0].points, -5);
    EXPECT_NE(outcome->message.en.find("Attempts left: " + std::to_string(3 - attempt)),
              std::string::npos)
        << outcome->message.en;
    state = fold(state, *outcome);
  }
  EXPECT_EQ(state.wrong_attempts, 3);
  // Even the right answer is refused now: the limit is a hard stop, not a penalty.
  auto refused = engine.submit(answer("flag", "flag{one}"), state, {});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::failed_precondition);
  EXPECT_NE(refused.error().message.find("used all 3 attempts"), std::string::npos);
  EXPECT_NE(refused.error().message.find("'flag'"), std::string::npos);
}

TEST(Engine, UnlimitedAttemptsWithoutPenaltyStillCount) {
  auto engine = make_engine();
  ObjectiveState state;
  for (int i = 0; i < 10; ++i) {
    auto outcome = engine.submit(answer("decaying", "41"), state, {});
    ASSERT_TRUE(outcome);
    EXPECT_EQ(outcome->entries.at(0).points, 0);
    state = fold(state, *outcome);
  }
  EXPECT_EQ(state.wrong_attempts, 10);
  EXPECT_TRUE(engine.submit(answer("decaying", "42"), state, {}));
}

TEST(Engine, MultiPartObjectiveGivesPartialCreditThenSolves) {
  auto engine = make_engine();
  TeamVariables vars{{"victim", "ｔａｎａｋａ"}};
  ObjectiveState state;
  auto host = engine.submit(answer("triage", "WEB01", {}, "host"), state, vars);
  ASSERT_TRUE(host);
  EXPECT_EQ(host->verdict, Verdict::part_correct);
  EXPECT_EQ(host->entries.at(0).kind, EntryKind::partial);
  EXPECT_EQ(host->entries.at(0).points, 30);
  EXPECT_EQ(host->entries.at(0).item, "host");
  state = fold(state, *host);

  auto host_again = engine.submit(answer("triage", "web01", {}, "host"), state, vars);
  ASSERT_TRUE(host_again);
  EXPECT_EQ(host_again->verdict, Verdict::already_solved);

  auto user = engine.submit(answer("triage", "Tanaka", {}, "user"), state, vars);
  ASSERT_TRUE(user);
  EXPECT_EQ(user->verdict, Verdict::part_correct);
  state = fold(state, *user);
  EXPECT_FALSE(state.solved);

  auto port = engine.submit(answer("triage", "４４３", minutes(7), "port"), state, vars);
  ASSERT_TRUE(port);
  EXPECT_EQ(port->verdict, Verdict::correct);
  EXPECT_EQ(port->entries.at(0).kind, EntryKind::solve);
  state = fold(state, *port);
  EXPECT_TRUE(state.solved);
  EXPECT_EQ(state.solved_at, minutes(7));
  EXPECT_EQ(state.points, 100);
}

// Parts with their own rule, as a scenario writes `wrong_answers:` and `decay:` on a part.
ObjectiveRules order_of_isolation() {
  ObjectiveRules order;
  order.max_wrong_answers = 5;  // the objective's rule: the parts below override or share it
  order.wrong_answer_penalty = 1;
  PartRule first{"first", AnswerRule::normalized("vpn-gw"), 100};
  first.own_wrong_answers = true;
  first.max_wrong_answers = 1;
  first.wrong_answer_penalty = 10;
  first.decay = TimeDecay{kT0, kT1, 50};
  PartRule second{"second", AnswerRule::normalized("fs01"), 50};
  order.parts = {first, second};
  return order;
}

TEST(Engine, APartsOwnWrongAnswerRuleCountsOnlyThatPartsAttempts) {
  ScoringRules rules;
  rules.objectives["order"] = order_of_isolation();
  auto engine = ScoringEngine::create(rules);
  ASSERT_TRUE(engine) << engine.error().message;
  ObjectiveState state;
  auto wrong = engine->submit(answer("order", "fs01", {}, "first"), state, {});
  ASSERT_TRUE(wrong) << wrong.error().message;
  EXPECT_EQ(wrong->verdict, Verdict::wrong);
  EXPECT_EQ(wrong->entries.at(0).points, -10) << "the part's penalty, not the objective's";
  EXPECT_NE(wrong->message.en.find("Attempts left: 0"), std::string::npos) << wrong->message.en;
  state = fold(state, *wrong);
  EXPECT_EQ(state.part_wrong_attempts.at("first"), 1);

  auto refused = engine->submit(answer("order", "vpn-gw", {}, "first"), state, {});
  ASSERT_FALSE(refused) << "one wrong answer used the part's only attempt";
  EXPECT_EQ(refused.error().code, ErrorCode::failed_precondition);
  EXPECT_NE(refused.error().message.find("part 'first'"), std::string::npos)
      << refused.error().message;

  // The other part follows the objective's rule: its own attempts are still open.
  auto other = engine->submit(answer("order", "vpn-gw", {}, "second"), state, {});
  ASSERT_TRUE(other) << other.error().message;
  EXPECT_EQ(other->entries.at(0).points, -1);
  EXPECT_NE(other->message.en.find("Attempts left: 3"), std::string::npos) << other->message.en;
}

TEST(Engine, APartsOwnDecayReplacesTheObjectivesForThatPartAlone) {
  ScoringRules rules;
  rules.objectives["order"] = order_of_isolation();
  auto engine = ScoringEngine::create(rules);
  ASSERT_TRUE(engine) << engine.error().message;
  auto first = engine->submit(answer("order", "vpn-gw", kT1, "first"), {}, {});
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->entries.at(0).points, 50) << "half of 100 at the end of the part's decay";
  auto second = engine->submit(answer("order", "fs01", kT1, "second"), {}, {});
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->entries.at(0).points, 50) << "the objective has no decay: all 50 points";
}

TEST(Engine, APartsNegativeRuleIsRejectedAtCreation) {
  ScoringRules rules;
  rules.objectives["order"] = order_of_isolation();
  rules.objectives["order"].parts[0].wrong_answer_penalty = -5;
  auto engine = ScoringEngine::create(rules);
  ASSERT_FALSE(engine);
  EXPECT_NE(engine.error().message.find("in part 'first'"), std::string::npos)
      << engine.error().message;
}

TEST(Engine, MultiPartNeedsAKnownPart) {
  auto engine = make_engine();
  auto outcome = engine.submit(answer("triage", "web01", {}, ""), {}, {});
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, ErrorCode::not_found);
  auto unknown = engine.submit(answer("nope", "x"), {}, {});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::not_found);
}

TEST(Engine, HintsAreChargedOncePerHint) {
  auto engine = make_engine();
  ObjectiveState state;
  auto h1 = engine.take_hint(HintRequest{"red", "flag", "h1", "alice", {}}, state);
  ASSERT_TRUE(h1);
  EXPECT_EQ(h1->entries.at(0).points, -10);
  state = fold(state, *h1);
  auto h1_again = engine.take_hint(HintRequest{"red", "flag", "h1", "instructor", {}}, state);
  ASSERT_TRUE(h1_again);
  EXPECT_EQ(h1_again->verdict, Verdict::already_given);
  EXPECT_TRUE(h1_again->entries.empty());
  auto h2 = engine.take_hint(HintRequest{"red", "flag", "h2", "instructor", {}}, state);
  ASSERT_TRUE(h2);
  EXPECT_EQ(h2->entries.at(0).points, -20);
  state = fold(state, *h2);
  EXPECT_EQ(state.points, -30);
  EXPECT_EQ(state.hints_taken, (std::set<std::string>{"h1", "h2"}));
  EXPECT_FALSE(engine.take_hint(HintRequest{"red", "flag", "h9", "alice", {}}, state));
}

TEST(Engine, RevealedSolutionEarnsNothingWhenTheRuleSaysSo) {
  auto engine = make_engine();
  auto reveal = engine.reveal_solution(SolutionReveal{"red", "flag", "instructor", {}}, {});
  ASSERT_TRUE(reveal);
  ObjectiveState state = fold({}, *reveal);
  EXPECT_TRUE(state.solution_revealed);
  auto solve = engine.submit(answer("flag", "flag{one}"), state, {});
  ASSERT_TRUE(solve);
  EXPECT_EQ(solve->verdict, Verdict::correct);
  EXPECT_EQ(solve->entries.at(0).points, 0);

  // "decaying" does not zero on reveal.
  auto reveal2 = engine.reveal_solution(SolutionReveal{"red", "decaying", "instructor", {}}, {});
  ASSERT_TRUE(reveal2);
  auto solve2 = engine.submit(answer("decaying", "42"), fold({}, *reveal2), {});
  ASSERT_TRUE(solve2);
  EXPECT_EQ(solve2->entries.at(0).points, 200);
}

struct AdjustCase {
  const char* name;
  Adjustment adjustment;
  std::optional<ErrorCode> error;
};

class Adjust : public testing::TestWithParam<AdjustCase> {};

TEST_P(Adjust, NeedsTeamInstructorReasonAndPoints) {
  auto outcome = make_engine().adjust(GetParam().adjustment);
  if (GetParam().error) {
    ASSERT_FALSE(outcome);
    EXPECT_EQ(outcome.error().code, *GetParam().error);
  } else {
    ASSERT_TRUE(outcome) << outcome.error().message;
    ASSERT_EQ(outcome->entries.size(), 1u);
    EXPECT_EQ(outcome->entries[0].kind, EntryKind::adjustment);
    EXPECT_EQ(outcome->entries[0].points, GetParam().adjustment.points);
    EXPECT_EQ(outcome->entries[0].reason, GetParam().adjustment.reason);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, Adjust,
    testing::Values(
        AdjustCase{
            "valid_bonus", {"red", "", 15, "sato", "Good incident report.", {}}, std::nullopt},
        AdjustCase{"valid_on_objective",
                   {"red", "flag", -20, "sato", "Shared the flag.", {}},
                   std::nullopt},
        AdjustCase{"empty_reason", {"red", "", 15, "sato", "", {}}, ErrorCode::invalid_argument},
        AdjustCase{
            "blank_reason", {"red", "", 15, "sato", " \t\n", {}}, ErrorCode::invalid_argument},
        AdjustCase{"no_instructor", {"red", "", 15, "", "ok", {}}, ErrorCode::invalid_argument},
        AdjustCase{"zero_points", {"red", "", 0, "sato", "ok", {}}, ErrorCode::invalid_argument},
        AdjustCase{"no_team", {"", "", 5, "sato", "ok", {}}, ErrorCode::invalid_argument},
        AdjustCase{
            "unknown_objective", {"red", "nope", 5, "sato", "ok", {}}, ErrorCode::not_found}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Engine, ServiceOutageCostsProratedPoints) {
  auto engine = make_engine();
  auto outcome = engine.service_outage(
      ServiceOutage{"red", "web", "availability", minutes(5), minutes(7) + milliseconds(30000)});
  ASSERT_TRUE(outcome) << outcome.error().message;
  ASSERT_EQ(outcome->entries.size(), 1u);
  EXPECT_EQ(outcome->entries[0].kind, EntryKind::service_penalty);
  EXPECT_EQ(outcome->entries[0].points, -15);  // 2.5 minutes at 6 points per minute
  EXPECT_EQ(outcome->entries[0].item, "web");
  EXPECT_TRUE(outcome->entries[0].objective.empty());
  EXPECT_NE(outcome->entries[0].reason.find("5:00-7:30"), std::string::npos);
  EXPECT_FALSE(engine.service_outage(ServiceOutage{"red", "web", "a", minutes(7), minutes(5)}));
  EXPECT_FALSE(engine.service_outage(ServiceOutage{"red", "mail", "a", minutes(5), minutes(7)}));
}

TEST(Engine, InvalidRulesAreRejectedAtCreation) {
  auto rules = make_rules();
  rules.objectives["decaying"].decay = TimeDecay{kT1, kT0, 50};
  auto engine = ScoringEngine::create(rules);
  ASSERT_FALSE(engine);
  EXPECT_NE(engine.error().message.find("'decaying'"), std::string::npos);

  auto dup = make_rules();
  dup.objectives["flag"].hints.push_back({"h1", 1});
  EXPECT_FALSE(ScoringEngine::create(dup));
}

}  // namespace
}  // namespace cyrange::scoring

namespace cyrange::scoring {
namespace {

TEST(Engine, AnswerEntriesAreTellableFromCheckedSolves) {
  auto engine = make_engine();
  auto right = engine.submit(answer("flag", "flag{one}"), {}, {});
  ASSERT_TRUE(right);
  ASSERT_FALSE(right->entries.empty());
  EXPECT_TRUE(is_answer_entry(right->entries.front()));
  auto wrong = engine.submit(answer("decaying", "41"), {}, {});
  ASSERT_TRUE(wrong);
  ASSERT_FALSE(wrong->entries.empty());
  EXPECT_TRUE(is_answer_entry(wrong->entries.front()));
  // The same objective solved by a range-state check is no answer of the team.
  auto checked =
      engine.pass_check(CheckPassed{"red", "flag", "", "checker", "Correct answer?", {}}, {});
  ASSERT_TRUE(checked);
  ASSERT_FALSE(checked->entries.empty());
  EXPECT_FALSE(is_answer_entry(checked->entries.front()));
}

}  // namespace
}  // namespace cyrange::scoring
