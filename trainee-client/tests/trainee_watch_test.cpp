// The trainee's watch bar against the real cyranged over TLS and PostgreSQL: an
// instructor's request to watch the team's terminals appears, nothing is shown to the
// instructor until the trainee clicks Allow, the bar then says who watches, and Stop
// watching ends it for the instructor at once. Offscreen, input through the window handle.
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QVBoxLayout>
#include <QTest>

#include <gtest/gtest.h>

#include <client-core/terminal_recordings.h>
#include <client-core/terminal_watches.h>
#include <client-core/testing/recorded_terminals.h>
#include <client-qt/session.h>
#include <testing/qt_ui.h>
#include <trainee-client/app/watch_bar.h>

namespace cyrange::trainee {
namespace {

using client::testing::RecordedTerminals;
using cyrange::testing::click;
using cyrange::testing::eventually;

const QString kShots = QStringLiteral(CYRANGE_SCREENSHOT_DIR);

QPushButton* button(QWidget* parent, const char* name) {
  return parent->findChild<QPushButton*>(QString::fromLatin1(name));
}

QString shown_text(QWidget* bar) {
  QString text;
  for (const auto* label : bar->findChildren<QLabel*>()) text += label->text();
  return text;
}

TEST(TraineeWatchBar, AskedShowsAllowAndDeclineAllowedShowsWhoWatchesAndStopEndsIt) {
  RecordedTerminals stack;
  const Status started =
      stack.start(std::filesystem::path(CYRANGE_BINARY_DIR) / "orchestrator/daemon/cyranged");
  ASSERT_TRUE(started.ok()) << started.error().message;
  auto live = stack.record("t1", "ws01", "alice", {{0, 'o', "alice@ws01:~$ "}}, false);
  ASSERT_TRUE(live);
  auto ivy = client::Connection::open(stack.options("ivy"));
  auto alice = client::Connection::open(stack.options("alice"));
  ASSERT_TRUE(ivy && alice);

  qt::Session session(*alice);
  QWidget window;  // as in the day window: the bar above the work
  auto* layout = new QVBoxLayout(&window);
  auto* bar_ptr = new WatchBar(&session, QString::fromLatin1(RecordedTerminals::kExercise));
  WatchBar& bar = *bar_ptr;
  QSignalSpy first_update(&bar, &WatchBar::changed);
  layout->addWidget(&bar);
  layout->addWidget(new QLabel(QStringLiteral("(the day)")), 1);
  window.resize(900, 200);
  window.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
  ASSERT_TRUE(first_update.count() > 0 || first_update.wait(10000));
  EXPECT_TRUE(bar.requests().empty());
  EXPECT_FALSE(bar.isVisible());

  auto asked = client::ask_to_watch_async(*ivy, RecordedTerminals::kExercise, "t1").wait();
  ASSERT_TRUE(asked) << asked.error().message;
  ASSERT_TRUE(eventually([&] { return button(&bar, "allow-watch") != nullptr; }));
  EXPECT_TRUE(bar.isVisible());
  EXPECT_TRUE(shown_text(&bar).contains(QStringLiteral("Instructor ivy asks to watch")));
  ASSERT_NE(button(&bar, "decline-watch"), nullptr);
  cyrange::testing::screenshot(&window, kShots, QStringLiteral("trainee-watch-asked.png"));
  EXPECT_EQ(client::read_terminal_session(*ivy, {*live}).error().code,
            ErrorCode::permission_denied);

  click(button(&bar, "allow-watch"));
  ASSERT_TRUE(eventually([&] { return bar.watched(); }));
  EXPECT_TRUE(shown_text(&bar).contains(QStringLiteral("Being watched: ivy")));
  ASSERT_NE(button(&bar, "stop-watch"), nullptr);
  cyrange::testing::screenshot(&window, kShots, QStringLiteral("trainee-watch-watched.png"));
  auto seen = client::read_terminal_session(*ivy, {*live});
  ASSERT_TRUE(seen) << seen.error().message;
  EXPECT_EQ(seen->chunks.at(0).data, "alice@ws01:~$ ");

  click(button(&bar, "stop-watch"));
  ASSERT_TRUE(eventually([&] { return bar.requests().empty(); }));
  EXPECT_FALSE(bar.isVisible());
  EXPECT_EQ(client::read_terminal_session(*ivy, {*live}).error().code,
            ErrorCode::permission_denied);
}

}  // namespace
}  // namespace cyrange::trainee
