#include <gtest/gtest.h>
#include <orchestrator/scoring/scoreboard.h>

namespace cyrange::scoring {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;

LedgerEntry e(std::string team, std::string objective, std::string item, EntryKind kind, int points,
              milliseconds at) {
  return LedgerEntry{
      0, std::move(team), std::move(objective), std::move(item), kind, points, "actor", "reason",
      at};
}

ScoringRules rules() {
  ScoringRules r;
  r.objectives["flag"] = ObjectiveRules::single(AnswerRule::exact("x"), 100);
  ObjectiveRules triage;
  triage.parts = {{"host", AnswerRule::exact("a"), 30}, {"port", AnswerRule::exact("b"), 70}};
  r.objectives["triage"] = triage;
  return r;
}

TEST(Scoreboard, TotalsAndObjectiveStates) {
  auto r = rules();
  std::vector<LedgerEntry> ledger{
      e("red", "flag", "", EntryKind::wrong_answer, -5, minutes(1)),
      e("red", "flag", "h1", EntryKind::hint, -10, minutes(2)),
      e("red", "flag", "", EntryKind::solve, 100, minutes(3)),
      e("red", "triage", "host", EntryKind::partial, 30, minutes(4)),
      e("blue", "", "web", EntryKind::service_penalty, -12, minutes(5)),
  };
  auto board = derive(ledger, DeriveOptions{&r, {"red", "blue", "green"}});
  ASSERT_EQ(board.standings.size(), 3u);
  const TeamStanding* red = board.find("red");
  ASSERT_NE(red, nullptr);
  EXPECT_EQ(red->total, 115);
  const auto& flag = red->objectives.at("flag");
  EXPECT_EQ(flag.status, ObjectiveStatus::solved);
  EXPECT_EQ(flag.state.solved_at, minutes(3));
  EXPECT_EQ(flag.state.wrong_attempts, 1);
  EXPECT_EQ(flag.state.hints_taken.size(), 1u);
  EXPECT_EQ(flag.state.points, 85);
  const auto& triage = red->objectives.at("triage");
  EXPECT_EQ(triage.status, ObjectiveStatus::partial);
  EXPECT_DOUBLE_EQ(triage.partial_fraction, 0.3);

  const TeamStanding* blue = board.find("blue");
  ASSERT_NE(blue, nullptr);
  EXPECT_EQ(blue->total, -12);
  EXPECT_EQ(blue->objectives.at("flag").status, ObjectiveStatus::open);  // listed from the rules
  EXPECT_TRUE(board.find("green")->objectives.contains("triage"));
  EXPECT_EQ(board.find("green")->total, 0);
}

struct RankCase {
  const char* name;
  std::vector<LedgerEntry> ledger;
  std::vector<std::string> expected_order;
  std::vector<int> expected_ranks;
};

class Ranking : public testing::TestWithParam<RankCase> {};

TEST_P(Ranking, OrdersByTotalThenEarliestLastScore) {
  auto board = derive(GetParam().ledger, DeriveOptions{nullptr, {"a", "b", "c"}});
  std::vector<std::string> order;
  std::vector<int> ranks;
  for (const auto& s : board.standings) {
    order.push_back(s.team);
    ranks.push_back(s.rank);
  }
  EXPECT_EQ(order, GetParam().expected_order);
  EXPECT_EQ(ranks, GetParam().expected_ranks);
}

INSTANTIATE_TEST_SUITE_P(
    Table, Ranking,
    testing::Values(RankCase{"by_total",
                             {e("a", "o", "", EntryKind::solve, 10, minutes(1)),
                              e("b", "o", "", EntryKind::solve, 30, minutes(9)),
                              e("c", "o", "", EntryKind::solve, 20, minutes(5))},
                             {"b", "c", "a"},
                             {1, 2, 3}},
                    RankCase{"tie_earliest_last_score_wins",
                             {e("a", "o", "", EntryKind::solve, 50, minutes(8)),
                              e("b", "o", "", EntryKind::solve, 50, minutes(3)),
                              e("c", "o", "", EntryKind::solve, 50, minutes(5))},
                             {"b", "c", "a"},
                             {1, 2, 3}},
                    RankCase{"zero_point_entries_do_not_move_the_tie_time",
                             {e("a", "o", "", EntryKind::solve, 50, minutes(2)),
                              e("a", "o", "", EntryKind::wrong_answer, 0, minutes(9)),
                              e("b", "o", "", EntryKind::solve, 50, minutes(4))},
                             {"a", "b", "c"},
                             {1, 2, 3}},
                    RankCase{"penalty_counts_as_last_change",
                             {e("a", "o", "", EntryKind::solve, 60, minutes(1)),
                              e("a", "o", "", EntryKind::hint, -10, minutes(9)),
                              e("b", "o", "", EntryKind::solve, 50, minutes(4))},
                             {"b", "a", "c"},
                             {1, 2, 3}},
                    RankCase{"never_scored_ranks_after_equal_total",
                             {e("b", "o", "", EntryKind::solve, 10, minutes(1)),
                              e("b", "o", "", EntryKind::hint, -10, minutes(2))},
                             {"b", "a", "c"},
                             {1, 2, 2}},
                    RankCase{"exact_tie_shares_rank",
                             {e("c", "o", "", EntryKind::solve, 10, minutes(1)),
                              e("a", "o", "", EntryKind::solve, 10, minutes(1))},
                             {"a", "c", "b"},
                             {1, 1, 3}}),
    [](const auto& info) { return std::string(info.param.name); });

std::vector<LedgerEntry> freeze_ledger() {
  return {e("red", "flag", "", EntryKind::solve, 100, minutes(10)),
          e("blue", "flag", "", EntryKind::solve, 80, minutes(20)),
          e("blue", "triage", "port", EntryKind::partial, 70, minutes(40)),
          e("red", "triage", "host", EntryKind::partial, 30, minutes(45))};
}

TEST(TeamView, FrozenBoardHidesLaterEntriesButTeamSeesItsOwnProgress) {
  auto r = rules();
  auto view = team_view(freeze_ledger(), "red", BoardVisibility{BoardMode::frozen, minutes(30)},
                        DeriveOptions{&r, {}});
  EXPECT_TRUE(view.frozen);
  EXPECT_EQ(view.total, 130);  // own live total
  EXPECT_EQ(view.objectives.at("triage").status, ObjectiveStatus::partial);
  ASSERT_EQ(view.board.size(), 2u);
  EXPECT_EQ(view.board[0].team, "red");
  EXPECT_EQ(view.board[0].total, 100);
  EXPECT_EQ(view.board[1].team, "blue");
  EXPECT_EQ(view.board[1].total, 80);  // blue's 70 after the freeze is hidden

  // The instructor view counts everything: blue leads with 150.
  auto instructor = derive(freeze_ledger(), DeriveOptions{&r, {}});
  EXPECT_EQ(instructor.standings[0].team, "blue");
  EXPECT_EQ(instructor.standings[0].total, 150);
}

TEST(TeamView, LiveBoardShowsOtherTotalsButNoOtherDetails) {
  auto view = team_view(freeze_ledger(), "blue", BoardVisibility{}, {});
  EXPECT_FALSE(view.frozen);
  EXPECT_EQ(view.total, 150);
  ASSERT_EQ(view.board.size(), 2u);
  EXPECT_EQ(view.board[0].team, "blue");
  EXPECT_EQ(view.board[1].total, 130);
  // Only blue's own objectives are in the view.
  EXPECT_EQ(view.objectives.size(), 2u);
  EXPECT_TRUE(view.objectives.at("flag").state.solved);
  EXPECT_EQ(view.objectives.at("triage").state.parts_solved, (std::set<std::string>{"port"}));
}

TEST(TeamView, HiddenBoardShowsNoOtherTeam) {
  auto view = team_view(freeze_ledger(), "red", BoardVisibility{BoardMode::hidden, {}}, {});
  EXPECT_TRUE(view.board.empty());
  EXPECT_EQ(view.total, 130);
  auto newcomer = team_view(freeze_ledger(), "green", BoardVisibility{BoardMode::hidden, {}}, {});
  EXPECT_EQ(newcomer.total, 0);
  EXPECT_TRUE(newcomer.objectives.empty());
}

TEST(ScoreLedger, AssignsIncreasingSequenceNumbers) {
  ScoreLedger ledger;
  EXPECT_EQ(ledger.append(e("red", "flag", "", EntryKind::solve, 1, {})).seq, 1);
  EXPECT_EQ(ledger.append(e("red", "flag", "", EntryKind::solve, 1, {})).seq, 2);
  EXPECT_EQ(ledger.entries().size(), 2u);
  EXPECT_EQ(to_string(EntryKind::service_penalty), "service_penalty");
}

}  // namespace
}  // namespace cyrange::scoring
