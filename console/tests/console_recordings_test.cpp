// The console's Recordings tab against the real cyranged over TLS and PostgreSQL, with a
// terminal session written through the real store: it is listed for the exercise, replayed
// read-only in the trainees' terminal widget to its end, sought back, and a still-open
// session is watched live once a trainee of its team allows it, until she stops it. A screenshot
// goes to the build tree (CYRANGE_SCREENSHOT_DIR).
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

#include <gtest/gtest.h>

#include <client-core/terminal_watches.h>
#include <client-core/testing/recorded_terminals.h>
#include <client-qt/session.h>
#include <client-qt/terminal/terminal_view.h>
#include <console/app/main_window.h>
#include <console/app/recording_list_model.h>
#include <console/app/recordings_panel.h>
#include <console/widgets/recording_player.h>
#include <testing/qt_ui.h>

namespace cyrange::console {
namespace {

using cyrange::testing::button_with_text;
using cyrange::testing::click;
using cyrange::testing::eventually;
using exercise::TerminalChunk;

const QString kShots = QStringLiteral(CYRANGE_SCREENSHOT_DIR);

// The screen of the player's terminal as text, one line per row.
std::string screen_text(RecordingPlayer* player) {
  const auto& surface = player->view()->surface();
  const int top = static_cast<int>(surface.scrollback_size());
  return surface.text({{top, 0}, {top + surface.rows() - 1, surface.cols() - 1}});
}

bool shows(RecordingPlayer* player, const std::string& text) {
  return screen_text(player).find(text) != std::string::npos;
}

class ConsoleRecordingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const Status started =
        stack_.start(std::filesystem::path(CYRANGE_BINARY_DIR) / "orchestrator/daemon/cyranged");
    ASSERT_TRUE(started.ok()) << started.error().message;
  }
  client::testing::RecordedTerminals stack_;
};

TEST_F(ConsoleRecordingsTest, ReplaysARecordedSessionReadOnlyAndWatchesALiveOneOnlyWhileAllowed) {
  const std::vector<TerminalChunk> session = {
      {0, 'o', "\x1b[1;32malice@ws01\x1b[0m:~$ "},
      {300000, 'i', "cat /etc/motd\r"},
      {500000, 'o',
       "cat /etc/motd\r\n\xe3\x82\x88\xe3\x81\x86\xe3\x81\x93\xe3\x81\x9d cyrange "
       "\xe6\xbc\x94\xe7\xbf\x92\xe3\x81\xb8\r\nWelcome to the range\r\n"},
      {1200000, 'o', "\x1b[1;32malice@ws01\x1b[0m:~$ "},
      {2500000, 'o', "echo done\r\ndone\r\n\x1b[1;32malice@ws01\x1b[0m:~$ "}};
  auto recorded = stack_.record("t1", "ws01", "alice", session);
  ASSERT_TRUE(recorded) << recorded.error().message;

  auto connection = client::Connection::open(stack_.options("ivy"));
  ASSERT_TRUE(connection) << connection.error().message;
  qt::Session qt_session(*connection);
  MainWindow window(&qt_session, {1, "ivy", client::Role::instructor, std::nullopt},
                    client::Language::en);
  window.resize(1300, 900);
  window.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
  window.openExercise(QString::fromLatin1(client::testing::RecordedTerminals::kExercise));
  RecordingsPanel* panel = window.recordings();
  window.tabs()->setCurrentWidget(panel);
  QAbstractItemModelTester tester(panel->model(),
                                  QAbstractItemModelTester::FailureReportingMode::Fatal);
  ASSERT_TRUE(eventually([&] { return panel->model()->rowCount() == 1; })) << stack_.log();
  EXPECT_EQ(panel->model()->index(0, RecordingListModel::User).data().toString(), "alice");
  EXPECT_EQ(panel->model()->index(0, RecordingListModel::Length).data().toString(), "0:02");

  // Open it the way an instructor does: select the row, click Replay, choose 8x, Play.
  panel->table()->selectRow(0);
  click(button_with_text(&window, QStringLiteral("Replay")));
  RecordingPlayer* player = panel->player();
  ASSERT_TRUE(eventually([&] { return player->duration() >= 2.5 && !player->isPlaying(); }));
  QSignalSpy ended(player, &RecordingPlayer::reachedEnd);
  auto* speed = player->findChild<QComboBox*>();
  ASSERT_NE(speed, nullptr);
  speed->setCurrentIndex(speed->findData(8.0));
  click(button_with_text(player, QStringLiteral("Play")));
  ASSERT_TRUE(ended.count() > 0 || ended.wait(10000));
  EXPECT_TRUE(player->atEnd());
  EXPECT_EQ(player->modeText(), QStringLiteral("Replay, read-only"));
  EXPECT_FALSE(player->isPlaying());
  EXPECT_EQ(player->elapsedText(), QStringLiteral("0:02 / 0:02"));
  EXPECT_TRUE(shows(player, "\xe3\x82\x88\xe3\x81\x86\xe3\x81\x93\xe3\x81\x9d cyrange"))
      << screen_text(player);
  EXPECT_TRUE(shows(player, "Welcome to the range"));
  EXPECT_TRUE(shows(player, "done"));
  // The keystrokes are not part of a replay: only what the guest echoed is on screen.
  EXPECT_EQ(screen_text(player).find("cat /etc/motd\ncat"), std::string::npos);
  cyrange::testing::screenshot(&window, kShots, QStringLiteral("console-recordings.png"));

  // Seeking back shows the screen of that moment, which a grade can name as its evidence.
  player->seek(1.3);
  EXPECT_TRUE(shows(player, "Welcome to the range"));
  EXPECT_FALSE(shows(player, "done"));
  const QString evidence = panel->evidenceLink();
  EXPECT_EQ(evidence, QStringLiteral("recording:%1@1").arg(*recorded));

  // Keys typed into the replay reach nothing.
  qt::TerminalView* view = player->view();
  EXPECT_TRUE(view->isReadOnly());
  QSignalSpy input(view, &qt::TerminalView::input);
  view->setFocus();
  for (char c : std::string("rm -rf /")) QTest::keyClick(window.windowHandle(), c);
  QTest::keyClick(view, Qt::Key_Return);
  EXPECT_EQ(input.count(), 0);

  // A live watch: a session still open, shown only once a trainee of the team allows it.
  auto live = stack_.record("t1", "ws01", "alice", {{0, 'o', "live$ "}}, /*ended=*/false);
  ASSERT_TRUE(live);
  panel->refresh();
  ASSERT_TRUE(eventually([&] { return panel->model()->rowCount() == 2; }));
  panel->table()->selectRow(1);
  auto* watch = button_with_text(&window, QStringLiteral("Watch live"));
  ASSERT_NE(watch, nullptr);
  ASSERT_TRUE(watch->isEnabled());
  click(watch);
  ASSERT_TRUE(eventually([&] { return panel->watch() && panel->watch()->asked(); }));
  EXPECT_EQ(panel->watchStatus(),
            QStringLiteral("Waiting for a trainee of team t1 to allow you to watch."));
  EXPECT_EQ(player->modeText(), QStringLiteral("Replay, read-only"));
  cyrange::testing::screenshot(&window, kShots, QStringLiteral("console-recordings-asking.png"));

  // Alice allows it (in her client, the watch bar; here through the same API).
  auto alice = client::Connection::open(stack_.options("alice"));
  ASSERT_TRUE(alice) << alice.error().message;
  const std::int64_t watch_id = panel->watch()->id;
  auto allowed = client::answer_watch_async(*alice, watch_id, true).wait();
  ASSERT_TRUE(allowed) << allowed.error().message;
  ASSERT_TRUE(eventually([&] { return shows(player, "live$"); }));
  EXPECT_EQ(player->modeText(), QStringLiteral("Watching live, read-only"));
  EXPECT_TRUE(panel->watchStatus().startsWith(QStringLiteral("Team t1 allowed you to watch")));
  ASSERT_TRUE(stack_.append(*live, 1, {{800000, 'o', "whoami\r\nalice\r\n"}}).ok());
  ASSERT_TRUE(eventually([&] { return shows(player, "alice"); })) << screen_text(player);
  cyrange::testing::screenshot(&window, kShots, QStringLiteral("console-recordings-live.png"));

  // Alice stops it: the console stops following at once and says who ended it.
  ASSERT_TRUE(client::end_watch_async(*alice, watch_id).wait());
  ASSERT_TRUE(eventually([&] { return !panel->watch(); }));
  EXPECT_EQ(panel->watchStatus(),
            QStringLiteral("The watch of team t1 has ended (ended by alice)."));
  EXPECT_FALSE(player->isLive());
  EXPECT_EQ(player->modeText(),
            QStringLiteral("The watch has ended; replay of what was seen, read-only"));

  // Once the terminal has closed, its whole recording replays without any watch.
  ASSERT_TRUE(stack_.end(*live).ok());
  panel->table()->selectRow(1);
  click(button_with_text(&window, QStringLiteral("Replay")));
  ASSERT_TRUE(eventually([&] { return player->duration() >= 0.8; }));
  EXPECT_EQ(player->modeText(), QStringLiteral("Replay, read-only"));
  player->seek(player->duration());
  EXPECT_TRUE(shows(player, "alice")) << screen_text(player);

  // The evidence link of a grade opens its recording at its moment, from any team filter.
  panel->setTeam(QStringLiteral("t2"));
  ASSERT_TRUE(eventually([&] { return panel->model()->rowCount() == 0; }));
  ASSERT_TRUE(panel->openEvidence(evidence));
  ASSERT_TRUE(eventually([&] { return shows(player, "Welcome to the range"); }))
      << screen_text(player);
  EXPECT_FALSE(shows(player, "done"));
  EXPECT_EQ(panel->evidenceLink(), evidence);
  EXPECT_FALSE(panel->openEvidence(QStringLiteral("no link here")));
}

}  // namespace
}  // namespace cyrange::console
