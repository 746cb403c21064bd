// The dashboard's Qt item models over one DashboardModel, each under
// QAbstractItemModelTester, fed a scripted exercise: snapshot, deltas, a reconnect
// snapshot, timeline changes and provisioning steps.
#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QFont>
#include <QPalette>
#include <QSignalSpy>
#include <QStyle>

#include <gtest/gtest.h>

#include <console/models/attention_model.h>
#include <console/models/board_model.h>
#include <console/models/cell_style.h>
#include <console/models/dashboard_model.h>
#include <console/models/feed_filter_proxy.h>
#include <console/models/feed_model.h>
#include <console/models/matrix_model.h>
#include <console/models/team_objectives_model.h>
#include <console/models/team_selection.h>
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
using Mode = QAbstractItemModelTester::FailureReportingMode;

// Every model and the proxy over one dashboard, each watched by a Fatal model tester.
struct Dashboard {
  Dashboard()
      : matrix(&model, &selection),
        board(&model, &selection),
        feed(&model, &selection),
        attention(&model, &selection) {
    proxy.setSourceModel(&feed);
    for (QAbstractItemModel* m :
         std::initializer_list<QAbstractItemModel*>{&matrix, &board, &feed, &attention, &proxy}) {
      testers.push_back(std::make_unique<QAbstractItemModelTester>(m, Mode::Fatal));
    }
  }
  DashboardModel model;
  TeamSelection selection;
  MatrixModel matrix;
  BoardModel board;
  FeedModel feed;
  AttentionModel attention;
  FeedFilterProxy proxy;
  std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;
};

// The scripted day: red, blue, green on three objectives.
void play_morning(Dashboard& d, FakeBoard& fb) {
  d.model.applyBoard(fb.snapshot());
  d.model.applyTimeline(timeline("red", "db", ItemKind::objective, ItemState::pending, 0));
  d.model.applyTimeline(timeline("blue", "db", ItemKind::objective, ItemState::done, 0));
  d.model.applyBoard(fb.delta({entry(0, "red", "web", EntryKind::wrong_answer, -5, kMinute)}));
  d.model.applyBoard(fb.delta({entry(0, "red", "web", EntryKind::solve, 100, 2 * kMinute)}));
  d.model.flushNow();
  d.model.applyBoard(
      fb.delta({entry(0, "blue", "db", EntryKind::hint, -10, 3 * kMinute, "h1"),
                entry(0, "green", "mail", EntryKind::partial, 40, 3 * kMinute, "p1")}));
  d.model.applyTimeline(timeline("red", "phish", ItemKind::message, ItemState::firing, 200));
  d.model.applyProvisioning({"green", "ws01", "failed", "no memory", 40});
  d.model.flushNow();
}

QModelIndex cell(const MatrixModel& m, const DashboardState& s, const std::string& team,
                 const std::string& objective) {
  return m.index(static_cast<int>(*s.team_row(team)),
                 static_cast<int>(*s.objective_column(objective)));
}

TEST(DashboardModels, ReconnectSnapshotDoesNotDuplicateFeedRows) {
  Dashboard d;
  FakeBoard fb({"red", "blue", "green"}, {"web", "db", "mail"});
  play_morning(d, fb);
  const int rows = d.feed.rowCount();
  EXPECT_EQ(rows, 6);  // 4 ledger entries, 1 inject, 1 provisioning failure
  QSignalSpy inserted(&d.feed, &QAbstractItemModel::rowsInserted);
  d.model.applyBoard(fb.snapshot());  // reconnect
  d.model.applyTimeline(
      timeline("red", "phish", ItemKind::message, ItemState::firing, 200, 1, true));
  d.model.applyProvisioning({"green", "ws01", "failed", "no memory", 40});
  d.model.flushNow();
  EXPECT_EQ(d.feed.rowCount(), rows);
  EXPECT_EQ(inserted.count(), 0);
  std::set<QString> keys;
  for (int r = 0; r < d.feed.rowCount(); ++r) {
    EXPECT_TRUE(keys.insert(d.feed.index(r, 0).data(KeyRole).toString()).second);
  }
}

TEST(DashboardModels, BoardHistoryAndMatrixAgreeOnTotals) {
  Dashboard d;
  FakeBoard fb({"red", "blue", "green"}, {"web", "db", "mail"});
  play_morning(d, fb);
  d.model.applyBoard(fb.delta({entry(0, "blue", "", EntryKind::adjustment, 15, 5 * kMinute)}));
  d.model.applyBoard(fb.snapshot());
  d.model.flushNow();
  const DashboardState& s = d.model.state();
  for (int row = 0; row < d.board.rowCount(); ++row) {
    const QString team = d.board.index(row, BoardModel::TeamColumn).data().toString();
    SCOPED_TRACE(team.toStdString());
    const int total = d.board.index(row, BoardModel::TotalColumn).data().toInt();
    EXPECT_EQ(total, fb.total(team.toStdString()));
    const auto& history = s.history(static_cast<std::size_t>(row));
    EXPECT_EQ(history.empty() ? 0 : history.back().total, total);
    int matrix = 0, wrong = 0;
    for (int c = 0; c < d.matrix.columnCount(); ++c) {
      matrix += d.matrix.index(row, c).data(PointsRole).toInt();
      wrong += s.cell(static_cast<std::size_t>(row), static_cast<std::size_t>(c)).wrong_attempts;
    }
    EXPECT_EQ(matrix + s.team_wide_points(static_cast<std::size_t>(row)), total);
    EXPECT_EQ(d.board.index(row, BoardModel::WrongColumn).data().toInt(), wrong);
  }
  const int red = static_cast<int>(*s.team_row("red"));
  EXPECT_EQ(d.board.index(red, BoardModel::SolvedColumn).data().toInt(), 1);
  EXPECT_EQ(d.board.index(red, BoardModel::RankColumn).data().toInt(), 1);
}

TEST(DashboardModels, LockedAndOpenComeFromTheTimeline) {
  Dashboard d;
  FakeBoard fb({"red", "blue", "green"}, {"web", "db", "mail"});
  play_morning(d, fb);
  const DashboardState& s = d.model.state();
  EXPECT_EQ(cell(d.matrix, s, "red", "db").data(StateRole).toInt(), int(CellState::locked));
  EXPECT_EQ(cell(d.matrix, s, "red", "db").data().toString(), QStringLiteral("⊘"));
  EXPECT_EQ(cell(d.matrix, s, "green", "db").data(StateRole).toInt(), int(CellState::open));
  QSignalSpy changed(&d.matrix, &QAbstractItemModel::dataChanged);
  d.model.applyTimeline(timeline("red", "db", ItemKind::objective, ItemState::done, 400));
  d.model.flushNow();
  ASSERT_EQ(changed.count(), 1);
  EXPECT_EQ(changed[0][0].toModelIndex(), cell(d.matrix, s, "red", "db"));
  EXPECT_EQ(cell(d.matrix, s, "red", "db").data(StateRole).toInt(), int(CellState::open));
}

struct TextCase {
  const char* name;
  std::vector<client::ScoreEntry> entries;
  bool locked;
  CellState state;
  const char* text;
  const char* accessible;  // a word the screen reader text must contain
};

// Names the case in test listings instead of dumping its bytes.
void PrintTo(const TextCase& c, std::ostream* out) { *out << c.name; }

class MatrixCellText : public ::testing::TestWithParam<TextCase> {};

TEST_P(MatrixCellText, CarriesTheStateWithoutColour) {
  Dashboard d;
  FakeBoard fb({"red"}, {"web"});
  d.model.applyBoard(fb.snapshot());
  if (GetParam().locked) {
    d.model.applyTimeline(timeline("red", "web", ItemKind::objective, ItemState::pending, 0));
  }
  d.model.applyBoard(fb.delta(GetParam().entries));
  d.model.flushNow();
  const QModelIndex index = d.matrix.index(0, 0);
  EXPECT_EQ(index.data(StateRole).toInt(), int(GetParam().state));
  EXPECT_EQ(index.data().toString(), QString::fromUtf8(GetParam().text));
  EXPECT_TRUE(index.data(Qt::AccessibleTextRole).toString().contains(GetParam().accessible))
      << index.data(Qt::AccessibleTextRole).toString().toStdString();
  EXPECT_FALSE(index.data(Qt::ToolTipRole).toString().isEmpty());
}

INSTANTIATE_TEST_SUITE_P(
    Table, MatrixCellText,
    ::testing::Values(TextCase{"open", {}, false, CellState::open, "", "open"},
                      TextCase{"locked", {}, true, CellState::locked, "⊘", "locked"},
                      TextCase{"solved",
                               {entry(0, "red", "web", EntryKind::solve, 100, 3'723'000)},
                               false,
                               CellState::solved,
                               "✓ 100",
                               "Solved at 01:02:03"},
                      TextCase{"partial",
                               {entry(0, "red", "web", EntryKind::partial, 50, 1000, "p1")},
                               false,
                               CellState::partial,
                               "◐ 50",
                               "partly solved"},
                      TextCase{"wrong_twice",
                               {entry(0, "red", "web", EntryKind::wrong_answer, 0, 1000),
                                entry(0, "red", "web", EntryKind::wrong_answer, 0, 2000)},
                               false,
                               CellState::attempted,
                               "✗×2",
                               "2 wrong answer"},
                      TextCase{"hinted",
                               {entry(0, "red", "web", EntryKind::hint, -10, 1000, "h1")},
                               false,
                               CellState::hinted,
                               "?",
                               "Hints taken: h1"},
                      TextCase{"hinted_and_wrong",
                               {entry(0, "red", "web", EntryKind::hint, -10, 1000, "h1"),
                                entry(0, "red", "web", EntryKind::wrong_answer, 0, 2000)},
                               false,
                               CellState::hinted,
                               "? ✗×1",
                               "1 wrong answer"},
                      TextCase{"revealed_then_solved",
                               {entry(0, "red", "web", EntryKind::solution_reveal, -50, 1000),
                                entry(0, "red", "web", EntryKind::solve, 100, 2000)},
                               false,
                               CellState::solved,
                               "✓ 50 ※",
                               "revealed"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(DashboardModels, ManyAppliesWithinTheIntervalGiveOneNotification) {
  Dashboard d;
  FakeBoard fb({"red", "blue"}, {"web"});
  QSignalSpy flushed(&d.model, &DashboardModel::flushed);
  QSignalSpy feed(&d.model, &DashboardModel::feedAppended);
  QSignalSpy rows(&d.matrix, &QAbstractItemModel::rowsInserted);
  d.model.applyBoard(fb.snapshot());
  for (int i = 0; i < 30; ++i) {
    d.model.applyBoard(
        fb.delta({entry(0, i % 2 ? "red" : "blue", "web", EntryKind::wrong_answer, 0, i * 1000)}));
  }
  // Applied to the state at once, published later.
  EXPECT_EQ(d.model.state().feed().size(), 30u);
  EXPECT_EQ(d.feed.rowCount(), 0);
  EXPECT_TRUE(d.model.isFlushScheduled());
  ASSERT_TRUE(flushed.wait(2000));
  EXPECT_EQ(flushed.count(), 1);
  ASSERT_EQ(feed.count(), 1);
  EXPECT_EQ(feed[0][0].toInt(), 0);
  EXPECT_EQ(feed[0][1].toInt(), 29);
  EXPECT_EQ(rows.count(), 1);
  EXPECT_EQ(d.feed.rowCount(), 30);
  // The timer was single-shot and nothing is left: no further notification is scheduled.
  EXPECT_FALSE(d.model.isFlushScheduled());
  EXPECT_FALSE(d.model.hasPendingChanges());
  // The next change arms it again.
  d.model.applyBoard(fb.delta({entry(0, "red", "web", EntryKind::solve, 100, 40'000)}));
  EXPECT_TRUE(d.model.isFlushScheduled());
  ASSERT_TRUE(flushed.wait(2000));
  EXPECT_EQ(flushed.count(), 2);
}

TEST(DashboardModels, StalledFlagListedOnceAndGoneAfterAcknowledge) {
  Dashboard d;
  FakeBoard fb({"red", "blue", "green"}, {"web", "db", "mail"});
  play_morning(d, fb);
  ASSERT_EQ(d.attention.rowCount(), 1);  // green's failed host
  EXPECT_EQ(d.attention.index(0).data(KindRole).toInt(), int(AttentionCause::host_failed));
  d.model.applyBoard(fb.delta({entry(0, "green", "mail", EntryKind::solve, 60, 5 * kMinute),
                               entry(0, "red", "mail", EntryKind::solve, 100, 5 * kMinute)}));
  d.model.checkStalled(12 * kMinute);
  d.model.flushNow();
  // blue's last entry was at 3 min: stalled at 13; red and green moved at 5 min.
  EXPECT_EQ(d.attention.rowCount(), 1);
  d.model.checkStalled(13 * kMinute);
  d.model.flushNow();
  ASSERT_EQ(d.attention.rowCount(), 2);
  EXPECT_EQ(d.attention.index(1).data(TeamRole).toString(), QStringLiteral("blue"));
  EXPECT_TRUE(d.attention.index(1).data().toString().contains(QStringLiteral("10 minutes")));
  d.attention.acknowledge(1);
  EXPECT_EQ(d.attention.rowCount(), 1);
  d.model.checkStalled(14 * kMinute);
  d.model.flushNow();
  EXPECT_EQ(d.attention.rowCount(), 1);
  d.attention.acknowledge(0);
  EXPECT_EQ(d.attention.rowCount(), 0);
}

TEST(DashboardModels, FeedProxyFiltersByTeamAndKind) {
  Dashboard d;
  FakeBoard fb({"red", "blue", "green"}, {"web", "db", "mail"});
  play_morning(d, fb);
  d.proxy.setTeam(QStringLiteral("red"));
  EXPECT_EQ(d.proxy.rowCount(), 3);  // wrong answer, solve, inject
  d.proxy.setKinds({FeedKind::solve, FeedKind::inject});
  EXPECT_EQ(d.proxy.rowCount(), 2);
  d.proxy.setTeam({});
  EXPECT_EQ(d.proxy.rowCount(), 2);
  d.proxy.setKinds({FeedKind::provisioning_failed});
  ASSERT_EQ(d.proxy.rowCount(), 1);
  EXPECT_EQ(d.proxy.index(0, FeedModel::TeamColumn).data().toString(), QStringLiteral("green"));
  // New rows pass through the filter live.
  d.model.applyProvisioning({"red", "fw", "failed", "", 0});
  d.model.flushNow();
  EXPECT_EQ(d.proxy.rowCount(), 2);
  d.proxy.setKinds({});
  EXPECT_EQ(d.proxy.rowCount(), d.feed.rowCount());
}

TEST(DashboardModels, SelectedTeamIsHighlightedInEveryModel) {
  Dashboard d;
  FakeBoard fb({"red", "blue", "green"}, {"web", "db", "mail"});
  play_morning(d, fb);
  QSignalSpy matrixChanged(&d.matrix, &QAbstractItemModel::dataChanged);
  d.selection.setTeam(QStringLiteral("blue"));
  const int blue = static_cast<int>(*d.model.state().team_row("blue"));
  EXPECT_EQ(matrixChanged.count(), 1);
  EXPECT_TRUE(d.matrix.index(blue, 0).data(SelectedRole).toBool());
  EXPECT_TRUE(qvariant_cast<QFont>(d.matrix.index(blue, 0).data(Qt::FontRole)).bold());
  EXPECT_FALSE(d.matrix.index((blue + 1) % 3, 0).data(SelectedRole).toBool());
  EXPECT_TRUE(d.matrix.headerData(blue, Qt::Vertical, SelectedRole).toBool());
  EXPECT_TRUE(d.board.index(blue, BoardModel::TeamColumn).data(SelectedRole).toBool());
  for (int r = 0; r < d.feed.rowCount(); ++r) {
    const QModelIndex i = d.feed.index(r, 0);
    EXPECT_EQ(i.data(SelectedRole).toBool(), i.data(TeamRole).toString() == "blue");
  }
  d.selection.setTeam({});
  EXPECT_FALSE(d.board.index(blue, BoardModel::TeamColumn).data(SelectedRole).toBool());
}

TEST(DashboardModels, LanguageSwitchesFeedSentencesAndTitles) {
  Dashboard d;
  FakeBoard fb({"red"}, {"web"});
  d.model.setObjectiveTitles({{"web", {"ウェブサーバー", "Web server"}}});
  d.model.applyBoard(fb.delta({entry(0, "red", "web", EntryKind::solve, 100, 1000)}));
  d.model.flushNow();
  const QModelIndex text = d.feed.index(0, FeedModel::TextColumn);
  EXPECT_EQ(text.data().toString(), QStringLiteral("Team red solved web (+100 points)."));
  EXPECT_EQ(d.matrix.headerData(0, Qt::Horizontal, Qt::ToolTipRole).toString(),
            QStringLiteral("Web server"));
  QSignalSpy changed(&d.feed, &QAbstractItemModel::dataChanged);
  d.model.setLanguage(client::Language::ja);
  EXPECT_EQ(changed.count(), 1);
  EXPECT_EQ(text.data().toString(), QStringLiteral("チーム red が web を解きました（+100 点）。"));
  EXPECT_EQ(d.matrix.headerData(0, Qt::Horizontal, Qt::ToolTipRole).toString(),
            QStringLiteral("ウェブサーバー"));
}

QPalette darkPalette() {
  QPalette p;
  p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
  p.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
  p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
  p.setColor(QPalette::AlternateBase, QColor(0x2a, 0x2a, 0x2a));
  p.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
  p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3a, 0x20));
  p.setColor(QPalette::ToolTipText, QColor(0xe8, 0xe8, 0xe8));
  p.setColor(QPalette::Highlight, QColor(0x2a, 0x82, 0xda));
  p.setColor(QPalette::HighlightedText, QColor(0xff, 0xff, 0xff));
  return p;
}

TEST(DashboardModels, ColoursFollowTheApplicationPalette) {
  Dashboard d;
  FakeBoard fb({"red"}, {"web", "db", "mail"});
  d.model.applyTimeline(timeline("red", "mail", ItemKind::objective, ItemState::pending, 0));
  d.model.applyBoard(fb.delta({entry(0, "red", "web", EntryKind::solve, 100, 1000),
                               entry(0, "red", "db", EntryKind::hint, -5, 1000, "h")}));
  d.model.flushNow();
  const QPalette original = QApplication::palette();
  QApplication::setPalette(QApplication::style()->standardPalette());
  std::vector<QColor> light;
  for (int c = 0; c < 3; ++c) {
    light.push_back(qvariant_cast<QBrush>(d.matrix.index(0, c).data(Qt::BackgroundRole)).color());
  }
  QSignalSpy repaint(&d.matrix, &QAbstractItemModel::dataChanged);
  QApplication::setPalette(darkPalette());
  EXPECT_GE(repaint.count(), 1);  // views repaint the cells in the new colours
  for (int c = 0; c < 3; ++c) {
    SCOPED_TRACE(c);
    const QColor bg = qvariant_cast<QBrush>(d.matrix.index(0, c).data(Qt::BackgroundRole)).color();
    const QColor fg = qvariant_cast<QBrush>(d.matrix.index(0, c).data(Qt::ForegroundRole)).color();
    EXPECT_NE(bg, light[static_cast<std::size_t>(c)]);
    EXPECT_LT(bg.lightness(), 128);  // a dark cell on a dark palette
    EXPECT_GE(contrastRatio(bg, fg), 4.5);
  }
  // States differ in colour too, though the text already tells them apart.
  const auto bg = [&](int c) {
    return qvariant_cast<QBrush>(d.matrix.index(0, c).data(Qt::BackgroundRole)).color();
  };
  EXPECT_NE(bg(0), bg(1));
  EXPECT_NE(bg(1), bg(2));
  QApplication::setPalette(original);
}

// A team's details list the matrix row of that team: same states, points, wrong answers and
// hints, updated by the same notifications, another team's changes leaving it alone.
TEST(DashboardModels, TeamObjectivesShowTheTeamsMatrixRow) {
  Dashboard d;
  TeamObjectivesModel objectives(&d.model);
  QAbstractItemModelTester tester(&objectives, Mode::Fatal);
  objectives.setTeam(QStringLiteral("red"));
  FakeBoard fb({"red", "blue", "green"}, {"web", "db", "mail"});
  play_morning(d, fb);
  ASSERT_EQ(objectives.rowCount(), 3);
  const auto text = [&](int row, int column) {
    return objectives.index(row, column).data().toString();
  };
  const int web = static_cast<int>(*d.model.state().objective_column("web"));
  const int db = static_cast<int>(*d.model.state().objective_column("db"));
  EXPECT_EQ(text(web, TeamObjectivesModel::Objective), QStringLiteral("web"));
  EXPECT_EQ(text(web, TeamObjectivesModel::State), QStringLiteral("✓ solved"));
  EXPECT_EQ(objectives.index(web, TeamObjectivesModel::Points).data().toInt(), 95);
  EXPECT_EQ(objectives.index(web, TeamObjectivesModel::WrongAnswers).data().toInt(), 1);
  EXPECT_EQ(text(web, TeamObjectivesModel::SolvedAt), QStringLiteral("00:02:00"));
  EXPECT_EQ(text(db, TeamObjectivesModel::State), QStringLiteral("⊘ locked"));
  EXPECT_EQ(text(db, TeamObjectivesModel::Hints), QStringLiteral("0"));
  for (int r = 0; r < objectives.rowCount(); ++r)
    EXPECT_EQ(
        objectives.index(r, 0).data(PointsRole),
        d.matrix.index(static_cast<int>(*d.model.state().team_row("red")), r).data(PointsRole));

  // Blue's hint changes blue's row only; once shown, blue's details carry it.
  QSignalSpy changed(&objectives, &QAbstractItemModel::dataChanged);
  d.model.applyBoard(fb.delta({entry(0, "blue", "web", EntryKind::hint, -10, 4 * kMinute, "h2")}));
  d.model.flushNow();
  EXPECT_EQ(changed.count(), 0);
  objectives.setTeam(QStringLiteral("blue"));
  EXPECT_EQ(changed.count(), 1);
  EXPECT_EQ(text(web, TeamObjectivesModel::State), QStringLiteral("? hint taken"));
  EXPECT_EQ(text(web, TeamObjectivesModel::Hints), QStringLiteral("1 (h2)"));
  EXPECT_EQ(text(db, TeamObjectivesModel::Hints), QStringLiteral("1 (h1)"));
  d.model.setObjectiveTitles({{"web", {"ウェブ", "The web server"}}});
  d.model.flushNow();
  EXPECT_EQ(text(web, TeamObjectivesModel::Objective), QStringLiteral("web: The web server"));
  // An unknown team reads as open everywhere, not as another team's cells.
  objectives.setTeam(QStringLiteral("purple"));
  EXPECT_EQ(text(web, TeamObjectivesModel::State), QStringLiteral("open"));
  EXPECT_EQ(objectives.index(web, TeamObjectivesModel::Points).data().toInt(), 0);
}

}  // namespace
}  // namespace cyrange::console
