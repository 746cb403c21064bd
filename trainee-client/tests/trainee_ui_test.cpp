// The trainee window's panels against cyranged's real gRPC server on loopback (scoring on
// the in-memory ledger: exercise "ex", team red, q1 "kakuu" 100 points with hint-1 at 20,
// q2 "x" 50 points), offscreen, input through the window handle.
#include <chrono>
#include <memory>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QAbstractButton>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSignalSpy>
#include <QTest>

#include <gtest/gtest.h>

#include <client-core/testing/loopback_server.h>
#include <client-qt/scoring_adapter.h>
#include <client-qt/session.h>
#include <client-qt/sign_in/sign_in_dialog.h>
#include <trainee-client/app/scoreboard_view.h>
#include <testing/qt_ui.h>
#include <trainee-client/app/tasks_panel.h>

namespace cyrange::trainee {
namespace {

using namespace std::chrono_literals;
using testing::click;
using testing::eventually;

class TraineePanels : public ::testing::Test {
 protected:
  client::testing::LoopbackServer server_;
  qt::Session session_{server_.connect("red")};
};

TEST_F(TraineePanels, TasksListAnswersAndAHintWhoseCostIsConfirmedFirst) {
  TasksPanel panel(&session_, {QStringLiteral("ex"), QStringLiteral("red"), QStringLiteral("rei")});
  panel.resize(700, 600);
  panel.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
  panel.refresh();
  ASSERT_TRUE(eventually([&] { return panel.taskList().size() == 2; }));
  EXPECT_EQ(panel.taskList()[0].objective, "q1");
  EXPECT_EQ(panel.taskList()[0].question.en, "Which organisation is the attacker?");
  auto* question = panel.findChild<QLabel*>(QStringLiteral("task-question"));
  EXPECT_EQ(question->text(), QStringLiteral("Which organisation is the attacker?"));

  // A wrong answer, typed and sent with Enter, then the right one.
  auto* answer = panel.findChild<QLineEdit*>(QStringLiteral("answer"));
  answer->setFocus();
  QTest::keyClicks(answer, QStringLiteral("wrong"));
  QTest::keyClick(answer, Qt::Key_Return);
  ASSERT_TRUE(eventually([&] { return panel.verdict().startsWith(QStringLiteral("✗")); }))
      << panel.verdict().toStdString();
  ASSERT_TRUE(eventually([&] { return panel.taskList()[0].wrong_attempts == 1; }));
  answer->setText(QStringLiteral("KAKUU"));
  click(panel.findChild<QAbstractButton*>(QStringLiteral("submit-answer")));
  ASSERT_TRUE(eventually([&] { return panel.verdict().startsWith(QStringLiteral("✓")); }))
      << panel.verdict().toStdString();
  ASSERT_TRUE(eventually([&] {
    return panel.taskList()[0].status == client::ObjectiveStatus::solved &&
           panel.taskList()[0].points == 100;
  }));
  EXPECT_FALSE(answer->isEnabled()) << "a solved task takes no more answers";

  // The hint: the first click only states the cost; nothing is charged until confirmed.
  // The rows are rebuilt whenever the task list arrives again (the solve can bring one more
  // update), so the hint row's buttons are looked up as they are at each moment.
  const auto hint_button = [&](const char* name) -> QAbstractButton* {
    QWidget* row = panel.findChild<QWidget*>(QStringLiteral("hint:hint-1"));
    return row ? row->findChild<QAbstractButton*>(QString::fromLatin1(name)) : nullptr;
  };
  const auto shown = [&](const char* name) {
    QAbstractButton* button = hint_button(name);
    return button != nullptr && button->isVisible();
  };
  ASSERT_TRUE(eventually([&] { return shown("take"); }));
  click(hint_button("take"));
  ASSERT_TRUE(eventually([&] { return shown("confirm"); }));
  QSignalSpy updates(&panel, &TasksPanel::updated);
  panel.refresh();  // a refresh in between redraws the row: still asking, nothing taken
  ASSERT_TRUE(eventually([&] { return updates.count() > 0; }));
  EXPECT_FALSE(panel.taskList()[0].hints[0].taken);
  EXPECT_TRUE(shown("confirm"));
  EXPECT_FALSE(shown("take"));
  click(hint_button("confirm"));
  ASSERT_TRUE(eventually([&] { return panel.taskList()[0].hints[0].taken; }));
  EXPECT_EQ(panel.taskList()[0].hints[0].text.en, "Look at the sender's domain.");
  EXPECT_EQ(panel.taskList()[0].points, 80);
  testing::screenshot(&panel, QStringLiteral(CYRANGE_SCREENSHOT_DIR),
                      QStringLiteral("trainee-tasks.png"));

  // Another team's board is untouched: the team comes from the token.
  client::testing::LoopbackServer& server = server_;
  auto blue = client::ScoringClient(server.connect("blue")).list_tasks("ex");
  ASSERT_TRUE(blue) << blue.error().message;
  EXPECT_EQ(blue->tasks[0].points, 0);
}

TEST_F(TraineePanels, TheScoreboardFollowsTheBoardModeTheInstructorSets) {
  ScoreboardView view;
  qt::ScoringAdapter scoring(&session_);
  QObject::connect(&scoring, &qt::ScoringAdapter::boardUpdated, &view, &ScoreboardView::apply);
  scoring.watch(QStringLiteral("ex"));
  auto* headline = view.findChild<QLabel*>();
  ASSERT_TRUE(eventually([&] { return view.own().has_value(); }));
  EXPECT_TRUE(headline->text().contains(QStringLiteral("red has 0 points")))
      << headline->text().toStdString();

  ASSERT_TRUE(client::ScoringClient(server_.connect("red")).submit_answer("ex", "q2", "", "x"));
  ASSERT_TRUE(eventually([&] { return view.total() == 50; }));

  ASSERT_TRUE(
      client::ScoringClient(server_.connect("staff")).set_mode("ex", client::BoardMode::hidden));
  ASSERT_TRUE(eventually([&] { return headline->text().contains(QStringLiteral("hidden")); }))
      << headline->text().toStdString();
  EXPECT_TRUE(headline->text().contains(QStringLiteral("50 points")));
}

TEST_F(TraineePanels, JoinCodeModeAsksForACodeAndExplainsAnEmptyOne) {
  qt::SignInDialog dialog({client::Role::trainee});
  dialog.setProfile(
      {QStringLiteral("ui-test-join"), QString::fromStdString(server_.address()), {}, true});
  dialog.offerJoinCode();
  dialog.setJoinCode({});
  dialog.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&dialog));
  auto* code = dialog.findChild<QLineEdit*>(QStringLiteral("join-code"));
  ASSERT_NE(code, nullptr);
  EXPECT_TRUE(code->isEnabled());
  QString explanation;
  QObject::connect(&dialog, &qt::SignInDialog::failed, [&](const QString& e) { explanation = e; });
  dialog.signIn();
  EXPECT_TRUE(explanation.contains(QStringLiteral("join code"))) << explanation.toStdString();
  EXPECT_FALSE(dialog.joined().has_value());
}

// While the server has not answered, the dialog says what it is doing, for a training day's
// code and a course's alike: here a loopback listener that never speaks.
TEST_F(TraineePanels, RedeemingAJoinCodeSaysSoUntilTheServerAnswers) {
  const int silent = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(silent, 0);
  sockaddr_in at{};
  at.sin_family = AF_INET;
  at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(silent, reinterpret_cast<sockaddr*>(&at), sizeof at), 0);
  ASSERT_EQ(::listen(silent, 4), 0);
  socklen_t size = sizeof at;
  ASSERT_EQ(::getsockname(silent, reinterpret_cast<sockaddr*>(&at), &size), 0);
  const QString server = QStringLiteral("127.0.0.1:%1").arg(ntohs(at.sin_port));

  qt::SignInDialog dialog({client::Role::trainee});
  dialog.setProfile({QStringLiteral("ui-test-redeem"), server, {}, true});
  dialog.offerJoinCode();
  dialog.setJoinCode(QStringLiteral("K7QF-M2XD"));
  dialog.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&dialog));
  dialog.signIn();
  const auto says = [&] {
    for (auto* label : dialog.findChildren<QLabel*>())
      if (label->text() == QStringLiteral("Redeeming the join code at %1…").arg(server))
        return true;
    return false;
  };
  EXPECT_TRUE(eventually(says));
  testing::screenshot(&dialog, QStringLiteral(CYRANGE_SCREENSHOT_DIR),
                      QStringLiteral("trainee-sign-in-redeeming.png"));
  dialog.reject();
  ::close(silent);
}

}  // namespace
}  // namespace cyrange::trainee
