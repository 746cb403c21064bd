// Property: feeding a random event stream through the engine, appending its entries to the
// ledger and deriving the scoreboard gives the same totals as a simple, independently written
// model of the rules; and the live tally equals a recomputation from the ledger.
#include <gtest/gtest.h>
#include <orchestrator/scoring/engine.h>
#include <orchestrator/scoring/scoreboard.h>

#include <iostream>
#include <random>

namespace cyrange::scoring {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;

struct ModelObjective {  // the test's own bookkeeping, deliberately not ObjectiveState
  std::set<std::string> parts;
  int wrong = 0;
  std::set<std::string> hints;
  bool revealed = false;
};

struct PartSpec {
  std::string id;
  int points;
  std::string right;
};

struct ObjectiveSpec {
  std::vector<PartSpec> parts;
  int limit;
  int penalty;
  std::vector<std::pair<std::string, int>> hints;
  bool zeroes;
  bool decays;
};

const std::map<std::string, ObjectiveSpec> kSpecs{
    {"flag", {{{"", 100, "flag{one}"}}, 3, 5, {{"h1", 10}, {"h2", 20}}, true, false}},
    {"decaying", {{{"", 200, "42"}}, 0, 0, {{"h1", 15}}, false, true}},
    {"triage",
     {{{"host", 30, "web01"}, {"port", 50, "443"}, {"user", 20, "tanaka"}}, 2, 10, {}, true, true}},
};
constexpr milliseconds kReplayT0 = minutes(1), kReplayT1 = minutes(15);
constexpr int kServicePerMinute = 4;

ScoringRules rules_from_specs() {
  ScoringRules rules;
  for (const auto& [id, spec] : kSpecs) {
    ObjectiveRules o;
    for (const auto& p : spec.parts)
      o.parts.push_back({p.id, AnswerRule::normalized(p.right), p.points});
    o.max_wrong_answers = spec.limit;
    o.wrong_answer_penalty = spec.penalty;
    for (const auto& [hint, cost] : spec.hints) o.hints.push_back({hint, cost});
    o.solution_revealed_zeroes = spec.zeroes;
    if (spec.decays) o.decay = TimeDecay{kReplayT0, kReplayT1, 40};
    rules.objectives[id] = o;
  }
  rules.services["web"] = ServiceRule{kServicePerMinute};
  return rules;
}

// Decay written the long way round: floor plus the remaining share of the window, in
// hundredths of a point, then rounded half up.
int model_points(int base, bool decays, milliseconds at) {
  if (!decays || at <= kReplayT0) return base;
  if (at >= kReplayT1) return (base * 40 * 2 + 100) / 200;
  long long window = (kReplayT1 - kReplayT0).count(), left = (kReplayT1 - at).count();
  long long centi = base * 40LL * window + base * 60LL * left;  // value * 100 * window
  return static_cast<int>((2 * centi + 100 * window) / (200 * window));
}

TEST(ReplayProperty, LedgerScoreboardEqualsIndependentRunningTotals) {
  std::mt19937 rng(20240607);  // fixed seed: failures reproduce exactly
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  const std::vector<std::string> teams{"red",  "blue",    "green", "yellow",
                                       "cyan", "magenta", "white", "black"};
  std::vector<std::string> objective_ids;
  for (const auto& [id, spec] : kSpecs) objective_ids.push_back(id);

  auto engine = ScoringEngine::create(rules_from_specs());
  ASSERT_TRUE(engine) << engine.error().message;
  const ScoringRules rules = rules_from_specs();
  ScoreLedger ledger;
  ScoreTally live(DeriveOptions{&rules, teams});
  std::map<std::string, int> expected_total;
  std::map<std::pair<std::string, std::string>, ModelObjective> model;
  int refusals = 0, solves = 0, decayed_awards = 0;

  milliseconds now{0};
  for (int step = 0; step < 3000; ++step) {
    now += milliseconds(pick(4000));
    const std::string& team = teams[pick(static_cast<int>(teams.size()))];
    const std::string& objective = objective_ids[pick(static_cast<int>(objective_ids.size()))];
    const ObjectiveSpec& spec = kSpecs.at(objective);
    ModelObjective& m = model[{team, objective}];
    const ObjectiveState state = live.objective(team, objective);
    SCOPED_TRACE("step " + std::to_string(step) + " team " + team + " objective " + objective);

    Expected<Outcome> outcome = Outcome{};
    int expected_delta = 0;
    bool expect_refusal = false;
    switch (pick(10)) {
      case 0:
      case 1:
      case 2:
      case 3:
      case 4:
      case 5: {  // an answer, right about half the time
        const PartSpec& part = spec.parts[pick(static_cast<int>(spec.parts.size()))];
        const bool right = pick(3) != 0;
        std::string value = right ? part.right : part.right + "x";
        if (right && pick(2)) value = " " + value + "\u3000";  // normalisation must not matter
        outcome =
            engine->submit({team, objective, part.id, value, team + "-trainee", now}, state, {});
        const bool done = m.parts.size() == spec.parts.size() || m.parts.contains(part.id);
        if (done) break;
        if (spec.limit > 0 && m.wrong >= spec.limit) {
          expect_refusal = true;
          break;
        }
        if (right) {
          expected_delta =
              (m.revealed && spec.zeroes) ? 0 : model_points(part.points, spec.decays, now);
          decayed_awards += expected_delta > part.points * 40 / 100 && expected_delta < part.points;
          m.parts.insert(part.id);
          solves += m.parts.size() == spec.parts.size();
        } else {
          expected_delta = -spec.penalty;
          ++m.wrong;
        }
        break;
      }
      case 6: {
        if (spec.hints.empty()) continue;
        const auto& [hint, cost] = spec.hints[pick(static_cast<int>(spec.hints.size()))];
        outcome = engine->take_hint({team, objective, hint, "trainee", now}, state);
        if (m.hints.insert(hint).second) expected_delta = -cost;
        break;
      }
      case 7:
        if (pick(4)) continue;  // reveals are rare
        outcome = engine->reveal_solution({team, objective, "instructor", now}, state);
        m.revealed = true;
        break;
      case 8: {
        int points = pick(41) - 20;
        if (points == 0) continue;
        outcome = engine->adjust(
            {team, pick(2) ? objective : "", points, "instructor", "Rubric item graded.", now});
        expected_delta = points;
        break;
      }
      case 9: {
        milliseconds down = now - milliseconds(pick(300000));
        outcome = engine->service_outage({team, "web", "availability", down, now});
        // Prorated per millisecond, rounded half away from zero.
        expected_delta =
            -static_cast<int>(std::lround(kServicePerMinute * (now - down).count() / 60000.0));
        break;
      }
    }
    if (expect_refusal) {
      ASSERT_FALSE(outcome);
      EXPECT_EQ(outcome.error().code, ErrorCode::failed_precondition);
      ++refusals;
      continue;
    }
    ASSERT_TRUE(outcome) << outcome.error().message;
    int delta = 0;
    for (const auto& entry : outcome->entries) {
      delta += entry.points;
      live.apply(ledger.append(entry));
    }
    ASSERT_EQ(delta, expected_delta);
    expected_total[team] += expected_delta;
  }

  // The run must have exercised the interesting paths, or the property says little.
  EXPECT_GT(refusals, 0);
  EXPECT_GE(solves, 12);
  EXPECT_GE(decayed_awards, 3);
  std::cout << "replay: " << ledger.entries().size() << " entries, " << solves << " solves, "
            << decayed_awards << " decayed awards, " << refusals << " refusals\n";

  Scoreboard recomputed = derive(ledger.entries(), DeriveOptions{&rules, teams});
  Scoreboard from_live = live.scoreboard();
  ASSERT_EQ(recomputed.standings.size(), teams.size());
  for (const auto& team : teams) {
    const TeamStanding* standing = recomputed.find(team);
    ASSERT_NE(standing, nullptr);
    EXPECT_EQ(standing->total, expected_total[team]) << team;
    const TeamStanding* live_standing = from_live.find(team);
    ASSERT_NE(live_standing, nullptr);
    EXPECT_EQ(live_standing->total, standing->total);
    EXPECT_EQ(live_standing->rank, standing->rank);
    for (const auto& [objective, progress] : standing->objectives) {
      const ModelObjective& m = model[{team, objective}];
      EXPECT_EQ(progress.state, live_standing->objectives.at(objective).state);
      EXPECT_EQ(progress.state.wrong_attempts, m.wrong) << team << "/" << objective;
      EXPECT_EQ(progress.state.parts_solved, m.parts) << team << "/" << objective;
      EXPECT_EQ(progress.state.hints_taken, m.hints) << team << "/" << objective;
      EXPECT_EQ(progress.state.solved, m.parts.size() == kSpecs.at(objective).parts.size());
    }
  }
  for (std::size_t i = 1; i < recomputed.standings.size(); ++i) {
    EXPECT_GE(recomputed.standings[i - 1].total, recomputed.standings[i].total);
  }
}

}  // namespace
}  // namespace cyrange::scoring
