// DashboardState without Qt: cells, totals and history, reconnects, timeline, flags.
#include <chrono>
#include <cstdio>
#include <numeric>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <console/models/dashboard_state.h>
#include <console/models/tests/fake_board.h>

namespace cyrange::console {
namespace {

using client::EntryKind;
using client::ItemKind;
using client::ItemState;
using testing::entry;
using testing::FakeBoard;
using testing::timeline;

constexpr std::int64_t kMinute = 60'000;

// Every way the state may add up a team: board total, last history point, cells plus
// team-wide entries. They must all agree.
void expect_totals_agree(const DashboardState& state, const FakeBoard& board) {
  for (std::size_t row = 0; row < state.teams().size(); ++row) {
    const std::string& team = state.teams()[row];
    SCOPED_TRACE(team);
    const int total = board.total(team);
    EXPECT_EQ(state.summary(row).total, total);
    const auto& history = state.history(row);
    EXPECT_EQ(history.empty() ? 0 : history.back().total, total);
    int cells = 0;
    for (std::size_t c = 0; c < state.objectives().size(); ++c) cells += state.cell(row, c).points;
    EXPECT_EQ(cells + state.team_wide_points(row), total);
  }
}

struct CellCase {
  const char* name;
  std::vector<client::ScoreEntry> entries;
  CellState state;
  int points;
  int wrong;
};

// Names the case in test listings instead of dumping its bytes.
void PrintTo(const CellCase& c, std::ostream* out) { *out << c.name; }

class CellStateFromEntries : public ::testing::TestWithParam<CellCase> {};

TEST_P(CellStateFromEntries, DerivesStateAndNumbers) {
  FakeBoard board({"red"}, {"web"});
  DashboardState state;
  (void)state.apply(board.snapshot());
  (void)state.apply(board.delta(GetParam().entries));
  const Cell& cell = state.cell(0, 0);
  EXPECT_EQ(to_string(cell.state), to_string(GetParam().state));
  EXPECT_EQ(cell.points, GetParam().points);
  EXPECT_EQ(cell.wrong_attempts, GetParam().wrong);
}

INSTANTIATE_TEST_SUITE_P(
    Table, CellStateFromEntries,
    ::testing::Values(CellCase{"nothing", {}, CellState::open, 0, 0},
                      CellCase{"wrong_twice",
                               {entry(0, "red", "web", EntryKind::wrong_answer, -5, 1000),
                                entry(0, "red", "web", EntryKind::wrong_answer, -5, 2000)},
                               CellState::attempted,
                               -10,
                               2},
                      CellCase{"hint_then_wrong",
                               {entry(0, "red", "web", EntryKind::hint, -10, 1000, "h1"),
                                entry(0, "red", "web", EntryKind::wrong_answer, 0, 2000)},
                               CellState::hinted,
                               -10,
                               1},
                      CellCase{"partial",
                               {entry(0, "red", "web", EntryKind::partial, 50, 1000, "p1")},
                               CellState::partial,
                               50,
                               0},
                      CellCase{"wrong_then_solve",
                               {entry(0, "red", "web", EntryKind::wrong_answer, 0, 1000),
                                entry(0, "red", "web", EntryKind::solve, 100, 5000)},
                               CellState::solved,
                               100,
                               1},
                      CellCase{"reveal_only",
                               {entry(0, "red", "web", EntryKind::solution_reveal, -50, 1000)},
                               CellState::open,
                               -50,
                               0}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(DashboardState, SolveTimeAndRevealComeFromTheLedger) {
  FakeBoard board({"red"}, {"web"});
  DashboardState state;
  (void)state.apply(board.delta({entry(0, "red", "web", EntryKind::solution_reveal, -50, 1000),
                                 entry(0, "red", "web", EntryKind::solve, 100, 3'723'000)}));
  const Cell& cell = state.cell(0, 0);
  EXPECT_TRUE(cell.revealed);
  ASSERT_TRUE(cell.solved_at_ms.has_value());
  EXPECT_EQ(format_exercise_time(*cell.solved_at_ms), "01:02:03");
}

// A grade whose evidence names a moment of a terminal recording carries it to the feed,
// where a double-click replays that moment; other entries carry none.
TEST(DashboardState, AGradesRecordingMomentReachesTheFeed) {
  FakeBoard board({"red"}, {"web"});
  DashboardState state;
  auto graded = entry(0, "red", "web", EntryKind::solve, 30, 5000, "timeline");
  graded.reason = "timeline is complete; evidence: report v2 recording:42@75";
  auto wrong = entry(0, "red", "web", EntryKind::wrong_answer, 0, 4000);
  wrong.reason = "recording:abc@x is not a link";
  (void)state.apply(board.delta({wrong, graded}));
  ASSERT_EQ(state.feed().size(), 2u);
  EXPECT_EQ(state.feed()[0].evidence, "");
  EXPECT_EQ(state.feed()[1].evidence, "recording:42@75");
  const auto moment = find_recording_moment("see recording:9000000001@3600 and more");
  ASSERT_TRUE(moment);
  EXPECT_EQ(moment->session, 9000000001);
  EXPECT_EQ(moment->seconds, 3600);
  EXPECT_EQ(to_link(*moment), "recording:9000000001@3600");
}

TEST(DashboardState, ReconnectSnapshotDuplicatesNothing) {
  FakeBoard board({"red", "blue"}, {"web", "db"});
  DashboardState state;
  (void)state.apply(board.snapshot());
  std::vector<client::ScoreboardMessage> deltas;
  deltas.push_back(board.delta({entry(0, "red", "web", EntryKind::solve, 100, 60'000)}));
  deltas.push_back(board.delta({entry(0, "blue", "db", EntryKind::wrong_answer, -5, 90'000)}));
  deltas.push_back(board.delta({entry(0, "red", "db", EntryKind::hint, -10, 120'000, "h1")}));
  for (const auto& d : deltas) (void)state.apply(d);
  const std::size_t feed = state.feed().size();
  const auto history = state.history(0);
  ASSERT_EQ(feed, 3u);

  // A reconnect: the snapshot again, and a delta delivered twice around the reconnect.
  const ChangeSummary again = state.apply(board.snapshot());
  (void)state.apply(deltas[1]);
  EXPECT_EQ(state.feed().size(), feed);
  EXPECT_EQ(state.history(0), history);
  EXPECT_EQ(again.feed_before, again.feed_after);
  EXPECT_TRUE(again.cells.empty());
  std::set<std::string> keys;
  for (const auto& event : state.feed()) EXPECT_TRUE(keys.insert(event.key).second) << event.key;
  EXPECT_EQ(state.through_seq(), 3);
  expect_totals_agree(state, board);
}

TEST(DashboardState, HistoryEndsAtBoardTotalAfterManyDeltas) {
  FakeBoard board({"a", "b", "c"}, {"o1", "o2", "o3"});
  DashboardState state;
  (void)state.apply(board.snapshot());
  const EntryKind kinds[] = {EntryKind::wrong_answer, EntryKind::hint,
                             EntryKind::partial,      EntryKind::solve,
                             EntryKind::adjustment,   EntryKind::service_penalty};
  const int points[] = {-5, -10, 30, 100, 7, -20};
  for (int i = 0; i < 60; ++i) {
    const std::string team = std::string(1, static_cast<char>('a' + i % 3));
    const EntryKind kind = kinds[i % 6];
    // Team-wide entries (no objective) count in the total but in no cell.
    const bool team_wide =
        kind == EntryKind::service_penalty || (kind == EntryKind::adjustment && i % 12 == 4);
    (void)state.apply(board.delta({entry(0, team, team_wide ? "" : "o" + std::to_string(1 + i % 3),
                                         kind, points[i % 6], i * 30'000, "x")}));
    expect_totals_agree(state, board);
  }
  // The history is cumulative in ledger order.
  for (std::size_t row = 0; row < 3; ++row) {
    const auto& h = state.history(row);
    for (std::size_t i = 1; i < h.size(); ++i) EXPECT_LT(h[i - 1].seq, h[i].seq);
  }
}

TEST(DashboardState, MissedEntriesAreCarriedSoHistoryMatchesTheBoard) {
  FakeBoard board({"red"}, {"web", "db"});
  // Points scored before the console connected: the snapshot has no entries.
  (void)board.delta({entry(0, "red", "web", EntryKind::solve, 100, 60'000)});
  DashboardState state;
  (void)state.apply(board.snapshot());
  ASSERT_EQ(state.history(0).size(), 1u);
  EXPECT_TRUE(state.history(0)[0].carried);
  EXPECT_EQ(state.history(0)[0].total, 100);

  (void)state.apply(board.delta({entry(0, "red", "db", EntryKind::partial, 30, 120'000, "p")}));
  // A gap while disconnected, then the reconnect snapshot.
  const auto missed = board.delta({entry(0, "red", "db", EntryKind::wrong_answer, -5, 150'000)});
  (void)state.apply(board.snapshot());
  expect_totals_agree(state, board);
  EXPECT_TRUE(state.history(0).back().carried);
  EXPECT_EQ(state.history(0).back().total, 125);

  // The missed entry arrives late after all (a replay): the carry gives way to it.
  (void)state.apply(missed);
  expect_totals_agree(state, board);
  ASSERT_EQ(state.history(0).size(), 3u);
  EXPECT_FALSE(state.history(0).back().carried);

  (void)state.apply(board.delta({entry(0, "red", "db", EntryKind::solve, 70, 200'000)}));
  expect_totals_agree(state, board);
  EXPECT_EQ(state.history(0).back().total, 195);
}

TEST(DashboardState, TimelineLocksAndOpensObjectives) {
  FakeBoard board({"red", "blue"}, {"web", "db"});
  DashboardState state;
  (void)state.apply(board.snapshot());
  EXPECT_EQ(state.cell(0, 1).state, CellState::open);  // no timeline data: open

  ChangeSummary locked =
      state.apply(timeline("red", "db", ItemKind::objective, ItemState::pending, 0));
  EXPECT_EQ(state.cell(0, 1).state, CellState::locked);
  EXPECT_EQ(state.cell(1, 1).state, CellState::open);  // per team
  EXPECT_EQ(locked.cells, (std::set<std::pair<std::size_t, std::size_t>>{{0, 1}}));

  (void)state.apply(timeline("red", "db", ItemKind::objective, ItemState::done, 300));
  EXPECT_EQ(state.cell(0, 1).state, CellState::open);
  // Re-applying snapshot items is harmless.
  const ChangeSummary again =
      state.apply(timeline("red", "db", ItemKind::objective, ItemState::done, 300, 1, true));
  EXPECT_TRUE(again.cells.empty());

  (void)state.apply(timeline("blue", "web", ItemKind::objective, ItemState::skipped, 10));
  EXPECT_EQ(state.cell(1, 0).state, CellState::failed);
  // The score outranks the timeline: a solved objective shows solved.
  (void)state.apply(timeline("blue", "db", ItemKind::objective, ItemState::pending, 10));
  (void)state.apply(board.delta({entry(0, "blue", "db", EntryKind::solve, 100, 20'000)}));
  EXPECT_EQ(state.cell(1, 1).state, CellState::solved);
}

TEST(DashboardState, InjectsAppearInTheFeedOnce) {
  DashboardState state;
  (void)state.apply(timeline("red", "phish", ItemKind::message, ItemState::pending, 0));
  (void)state.apply(timeline("red", "phish", ItemKind::message, ItemState::firing, 60));
  (void)state.apply(timeline("red", "phish", ItemKind::message, ItemState::done, 61));
  (void)state.apply(timeline("red", "scan", ItemKind::step, ItemState::failed, 90));
  (void)state.apply(timeline("red", "web", ItemKind::objective, ItemState::done, 90));
  ASSERT_EQ(state.feed().size(), 3u);
  // The reconnect snapshot repeats the items.
  (void)state.apply(timeline("red", "phish", ItemKind::message, ItemState::done, 61, 1, true));
  (void)state.apply(timeline("red", "scan", ItemKind::step, ItemState::failed, 90, 1, true));
  EXPECT_EQ(state.feed().size(), 3u);
  EXPECT_EQ(state.feed()[0].kind, FeedKind::inject);
  EXPECT_EQ(state.feed()[0].exercise_time_ms, 60'000);
  EXPECT_EQ(state.feed()[2].text.en, "Step scan failed for team red.");
  // A second run of the same item is a new execution.
  (void)state.apply(timeline("red", "scan", ItemKind::step, ItemState::done, 120, 2));
  EXPECT_EQ(state.feed().size(), 4u);
}

TEST(DashboardState, StalledFlagRaisedAfterNMinutesAndNotAgainOnceAcknowledged) {
  FakeBoard board({"red", "blue"}, {"web"});
  DashboardState state;
  (void)state.apply(board.snapshot());
  (void)state.apply(timeline("red", "web", ItemKind::objective, ItemState::done, 60));
  (void)state.apply(timeline("blue", "web", ItemKind::objective, ItemState::done, 60));
  (void)state.apply(board.delta({entry(0, "blue", "web", EntryKind::solve, 100, 5 * kMinute)}));

  EXPECT_FALSE(state.check_stalled(kMinute + 10 * kMinute - 1).attention);
  const ChangeSummary raised = state.check_stalled(kMinute + 10 * kMinute);
  EXPECT_TRUE(raised.attention);
  ASSERT_EQ(state.flags().size(), 1u);  // blue solved everything: not stalled
  const AttentionFlag flag = state.flags()[0];
  EXPECT_EQ(flag.team, "red");
  EXPECT_EQ(flag.cause, AttentionCause::stalled);
  EXPECT_EQ(flag.raised_at_ms, 11 * kMinute);
  EXPECT_NE(flag.reason.en.find("no progress for 10 minutes"), std::string::npos);
  EXPECT_FALSE(flag.reason.ja.empty());

  EXPECT_TRUE(state.acknowledge(flag.id).attention);
  EXPECT_FALSE(state.check_stalled(30 * kMinute).attention);
  EXPECT_TRUE(state.flags()[0].acknowledged);
  EXPECT_EQ(state.flags().size(), 1u);

  // Progress, then a new stall: a new cause, a new flag.
  (void)state.apply(
      board.delta({entry(0, "red", "web", EntryKind::wrong_answer, 0, 31 * kMinute)}));
  EXPECT_FALSE(state.check_stalled(40 * kMinute).attention);
  EXPECT_TRUE(state.check_stalled(41 * kMinute).attention);
  EXPECT_EQ(state.flags().size(), 2u);
  EXPECT_TRUE(state.flags()[1].active());
  // Progress resolves a raised stalled flag by itself.
  (void)state.apply(board.delta({entry(0, "red", "web", EntryKind::solve, 100, 42 * kMinute)}));
  EXPECT_TRUE(state.flags()[1].resolved);
}

TEST(DashboardState, StallMinutesAreConfigurableAndLockedObjectivesDoNotCount) {
  FakeBoard board({"red"}, {"web"});
  DashboardState state;
  state.set_stall_minutes(5);
  (void)state.apply(board.snapshot());
  (void)state.apply(timeline("red", "web", ItemKind::objective, ItemState::pending, 0));
  EXPECT_FALSE(state.check_stalled(60 * kMinute).attention);  // nothing to do yet
  (void)state.apply(timeline("red", "web", ItemKind::objective, ItemState::done, 3600));
  EXPECT_FALSE(state.check_stalled(64 * kMinute).attention);
  EXPECT_TRUE(state.check_stalled(65 * kMinute).attention);
}

TEST(DashboardState, ServicePenaltyRaisesOneFlagPerOutage) {
  FakeBoard board({"red"}, {"web"});
  DashboardState state;
  (void)state.apply(
      board.delta({entry(0, "red", "", EntryKind::service_penalty, -10, 1000, "http")}));
  (void)state.apply(
      board.delta({entry(0, "red", "", EntryKind::service_penalty, -10, 2000, "http")}));
  ASSERT_EQ(state.flags().size(), 1u);
  EXPECT_EQ(state.flags()[0].cause, AttentionCause::service_down);
  EXPECT_EQ(state.feed()[1].kind, FeedKind::service_down);
  EXPECT_EQ(state.feed()[1].text.en, "Service http of team red was down (-10 points).");
  (void)state.acknowledge(state.flags()[0].id);
  (void)state.apply(board.snapshot());  // a reconnect raises nothing again
  EXPECT_EQ(state.flags().size(), 1u);
  (void)state.apply(
      board.delta({entry(0, "red", "", EntryKind::service_penalty, -10, 9000, "http")}));
  EXPECT_EQ(state.flags().size(), 2u);
  expect_totals_agree(state, board);
}

TEST(DashboardState, FailedHostRaisesAFlagOncePerFailure) {
  DashboardState state;
  auto step = [](const std::string& host, const std::string& s) {
    return client::ProvisioningStep{"red", host, s, s == "failed" ? "disk full" : "", 50};
  };
  (void)state.apply(step("web01", "defining"));
  EXPECT_TRUE(state.flags().empty());
  const ChangeSummary failed = state.apply(step("web01", "failed"));
  EXPECT_TRUE(failed.attention);
  EXPECT_EQ(failed.feed_after - failed.feed_before, 1u);
  EXPECT_EQ(state.hosts(0).at("web01").state, "failed");
  EXPECT_EQ(state.feed()[0].text.en, "Provisioning host web01 of team red failed. disk full");
  (void)state.acknowledge(state.flags()[0].id);
  (void)state.apply(step("web01", "failed"));  // repeated after a reconnect
  EXPECT_EQ(state.flags().size(), 1u);
  EXPECT_EQ(state.feed().size(), 1u);
  (void)state.apply(step("web01", "ready"));
  (void)state.apply(step("web01", "failed"));  // a new failure after a retry
  EXPECT_EQ(state.flags().size(), 2u);
  EXPECT_TRUE(state.flags()[1].active());
}

TEST(DashboardState, ChangeSummaryNamesExactlyWhatMoved) {
  FakeBoard board({"red", "blue"}, {"web", "db"});
  DashboardState state;
  const ChangeSummary first = state.apply(board.snapshot());
  EXPECT_EQ(first.teams_before, 0u);
  EXPECT_EQ(first.teams_after, 2u);
  EXPECT_EQ(first.objectives_after, 2u);
  const ChangeSummary d =
      state.apply(board.delta({entry(0, "blue", "db", EntryKind::solve, 100, 1000)}));
  EXPECT_EQ(d.teams_before, d.teams_after);
  EXPECT_EQ(d.cells, (std::set<std::pair<std::size_t, std::size_t>>{{1, 1}}));
  EXPECT_TRUE(d.team_rows.contains(1));
  EXPECT_EQ(d.feed_before, 0u);
  EXPECT_EQ(d.feed_after, 1u);
  EXPECT_EQ(d.history_teams, (std::set<std::size_t>{1}));
  ChangeSummary merged = first;
  merged.merge(d);
  EXPECT_EQ(merged.teams_before, 0u);
  EXPECT_EQ(merged.feed_after, 1u);
}

TEST(DashboardState, ObjectiveTitlesApplyNowAndLater) {
  FakeBoard board({"red"}, {"web"});
  DashboardState state;
  (void)state.set_objective_titles({{"web", {"ウェブ", "Web server"}}, {"db", {"", "Database"}}});
  (void)state.apply(board.snapshot());
  EXPECT_EQ(state.objectives()[0].title.en, "Web server");
  EXPECT_TRUE(state.set_objective_titles({{"web", {"ウェブ", "Web"}}}).titles);
}

// Not a pass/fail check: how long one delta takes on a large board (printed).
TEST(DashboardState, ApplyTimingOf100TeamsBy12Objectives) {
  std::vector<std::string> teams, objectives;
  for (int t = 0; t < 100; ++t) teams.push_back("team" + std::to_string(t));
  for (int o = 0; o < 12; ++o) objectives.push_back("obj" + std::to_string(o));
  FakeBoard board(teams, objectives);
  DashboardState state;
  (void)state.apply(board.snapshot());
  std::vector<client::ScoreboardMessage> deltas;
  for (int i = 0; i < 1000; ++i) {
    deltas.push_back(board.delta({entry(0, teams[i * 7 % 100], objectives[i % 12],
                                        i % 3 ? EntryKind::wrong_answer : EntryKind::partial,
                                        i % 3 ? -1 : 5, i * 1000, "p" + std::to_string(i))}));
  }
  const auto start = std::chrono::steady_clock::now();
  for (const auto& d : deltas) (void)state.apply(d);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  const double us = std::chrono::duration<double, std::micro>(elapsed).count() /
                    static_cast<double>(deltas.size());
  std::printf(
      "[timing] DashboardState::apply of one delta, 100 teams x 12 objectives: %.1f us "
      "(mean of %zu)\n",
      us, deltas.size());
  expect_totals_agree(state, board);
}

}  // namespace
}  // namespace cyrange::console
