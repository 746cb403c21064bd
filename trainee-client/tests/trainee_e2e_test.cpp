// e2e, offscreen: the trainee client against a real cyranged (TLS, PostgreSQL) and a real
// quick-check range on libvirt. The instructor hands out join codes; the trainee joins
// with one through the sign-in dialog, agrees to recording in the consent dialog, opens a
// terminal tab and types a command (keys through the window handle) whose output the
// guest echoes into the widget, answers a task, takes a hint (cost confirmed in place),
// writes and submits the incident report. PostgreSQL then holds the recorded keys, mouse
// events and actions, the score and the report. Screenshots of each view go to the build
// tree.
#include <chrono>
#include <filesystem>
#include <string>

#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QTabBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTabWidget>
#include <QTest>

#include <client-core/course_client.h>
#include <client-core/exercise_client.h>
#include <client-core/timeline_client.h>
#include <client-qt/session.h>
#include <client-qt/translations.h>
#include <client-qt/sign_in/sign_in_dialog.h>
#include <client-qt/terminal/terminal_surface.h>
#include <client-qt/terminal/terminal_view.h>
#include <testing/qt_ui.h>
#include <tests/reliability/live_exercise_fixture.h>
#include <orchestrator/scenario/variables.h>
#include <trainee-client/app/consent_dialog.h>
#include <trainee-client/app/course_table_model.h>
#include <trainee-client/app/courses_window.h>
#include <trainee-client/app/main_window.h>
#include <trainee-client/app/report_editor.h>
#include <trainee-client/app/run_session.h>
#include <trainee-client/app/scoreboard_view.h>
#include <trainee-client/app/tasks_panel.h>
#include <trainee-client/app/terminal_tab.h>
#include <trainee-client/app/trainee_app.h>

namespace cyrange::trainee {
namespace {

using namespace std::chrono_literals;
using testing::button_with_text;
using testing::click;
using testing::eventually;

void screenshot(QWidget* widget, const QString& name) {
  testing::screenshot(widget, QStringLiteral(CYRANGE_SCREENSHOT_DIR), name);
}

QAbstractButton* button_named(QWidget* root, const QString& name) {
  return root->findChild<QAbstractButton*>(name);
}

// Types `text` into `widget` through its window's key handling.
void type_into(QWidget* widget, const QString& text) {
  widget->setFocus();
  QWidget* window = widget->window();
  for (const QChar c : text) {
    if (c == QLatin1Char('\r')) {
      QTest::sendKeyEvent(QTest::KeyAction::Click, window->windowHandle(), Qt::Key_Return,
                          QStringLiteral("\r"), {});
    } else {
      QTest::sendKeyEvent(QTest::KeyAction::Click, window->windowHandle(), Qt::Key_unknown,
                          QString(c), {});
    }
  }
}

// Answers the consent dialog of `app`: recording for scoring yes, research no; then the
// window shows. Nothing is recorded before the choice.
void agree_to_scoring_only(TraineeApp& app, const QString& shot) {
  ASSERT_TRUE(eventually([&] { return app.consentDialog() != nullptr; }, 10s));
  ConsentDialog* consent = app.consentDialog();
  ASSERT_TRUE(
      eventually([&] { return button_named(consent, QStringLiteral("agree-scoring")); }, 30s));
  EXPECT_FALSE(app.recording());
  if (!shot.isEmpty()) screenshot(consent, shot);
  click(button_named(consent, QStringLiteral("agree-scoring")));
  click(button_named(consent, QStringLiteral("decline-research")));
  click(button_with_text(consent, QStringLiteral("Continue")));
  ASSERT_TRUE(eventually([&] { return app.window() != nullptr; }, 30s));
}

class TraineeEndToEnd : public reliability::LiveExerciseTest {
 protected:
  TraineeEndToEnd() : LiveExerciseTest("trainee_e2e") {}
};

TEST_F(TraineeEndToEnd, ATraineeJoinsConsentsWorksAnswersAndReports) {
  // The instructor hands out one join code per team.
  auto codes =
      client::ExerciseClient(instructor()).create_join_codes(exercise_, std::chrono::hours(1));
  ASSERT_TRUE(codes) << codes.error().message;
  ASSERT_EQ(codes->size(), 1u);
  const QString code = QString::fromStdString(codes->front().code);

  // The trainee joins with it through the sign-in dialog.
  qt::SignInDialog sign_in({client::Role::trainee});
  sign_in.setProfile({QStringLiteral("e2e-trainee"), QString::fromStdString(address_),
                      QString::fromStdString(ca_file().string()), false});
  sign_in.setJoinCode(code);
  sign_in.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&sign_in));
  screenshot(&sign_in, QStringLiteral("trainee-e2e-join.png"));
  click(button_with_text(&sign_in, QStringLiteral("Join")));
  ASSERT_TRUE(eventually([&] { return sign_in.result() == QDialog::Accepted; }, 30s));
  ASSERT_TRUE(sign_in.joined());
  EXPECT_EQ(sign_in.joined()->exercise_id, exercise_);
  EXPECT_EQ(sign_in.joined()->team, team_);

  // Consent first: nothing is recorded before the choice.
  qt::Session session(*sign_in.connection());
  TraineeApp app(&session, sign_in.profile());
  app.start({QString::fromStdString(exercise_), QString::fromStdString(team_),
             QString::fromStdString(sign_in.joined()->user_name)});
  agree_to_scoring_only(app, QStringLiteral("trainee-e2e-consent.png"));
  MainWindow* window = app.window();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(window));
  EXPECT_TRUE(app.recording());

  // A terminal tab per trainee host; type a command and see the guest's answer.
  ASSERT_TRUE(eventually([&] { return window->terminal(QStringLiteral("ws01")) != nullptr; }, 60s));
  TerminalTab* ws01 = window->terminal(QStringLiteral("ws01"));
  EXPECT_NE(window->terminal(QStringLiteral("mail")), nullptr);
  EXPECT_EQ(window->terminal(QStringLiteral("attacker")), nullptr) << "not open to trainees";
  window->tabs()->setCurrentWidget(ws01);
  ASSERT_TRUE(eventually([&] { return ws01->isOpen(); }, 60s));
  const auto all_text = [&] {
    const auto& surface = ws01->view()->surface();
    return QString::fromStdString(
        surface.text({{0, 0}, {surface.total_lines() - 1, surface.cols() - 1}}));
  };
  const auto screen_has = [&](const QString& needle) { return all_text().contains(needle); };
  // The guest's console may need a first Enter to show its prompt.
  type_into(ws01->view(), QStringLiteral("\r"));
  type_into(ws01->view(), QStringLiteral("echo cyrange-e2e-$((6*7))\r"));
  EXPECT_TRUE(eventually([&] { return screen_has(QStringLiteral("cyrange-e2e-42")); }, 60s))
      << all_text().toStdString();
  screenshot(window, QStringLiteral("trainee-e2e-terminal.png"));

  // Before the clock runs the timeline has opened no objective: the trainee sees no task.
  TasksPanel* tasks = window->tasks();
  QSignalSpy fetched(tasks, &TasksPanel::updated);
  tasks->refresh();
  ASSERT_TRUE(eventually([&] { return fetched.count() > 0; }, 30s));
  EXPECT_TRUE(tasks->taskList().empty()) << tasks->taskList().size() << " task(s) before opening";

  // The clock runs at x10; the tasks appear as the timeline opens them; answer one and
  // take a hint on another.
  client::TimelineClient timeline(instructor());
  ASSERT_TRUE(timeline.control_clock(exercise_, client::ClockAction::start));
  ASSERT_TRUE(timeline.control_clock(exercise_, client::ClockAction::set_speed, 10));
  ASSERT_TRUE(eventually([&] { return tasks->taskList().size() == 3; }, 90s));
  tasks->select(QStringLiteral("recipient"));
  screenshot(window, QStringLiteral("trainee-e2e-tasks.png"));
  auto* answer = window->findChild<QLineEdit*>(QStringLiteral("answer"));
  ASSERT_NE(answer, nullptr);
  type_into(answer, QString::fromStdString(variables_.at("victim_mailbox")) + QStringLiteral("\r"));
  EXPECT_TRUE(eventually([&] { return tasks->verdict().startsWith(QStringLiteral("✓")); }, 60s))
      << tasks->verdict().toStdString();
  EXPECT_TRUE(eventually([&] { return window->scoreboard()->total() == 100; }, 30s));

  tasks->select(QStringLiteral("attachment"));
  // The row is looked up before each click: a score update redraws it.
  const auto hint_button = [&](const QString& name) -> QAbstractButton* {
    auto* row = window->findChild<QWidget*>(QStringLiteral("hint:hint-1"));
    return row ? button_named(row, name) : nullptr;
  };
  ASSERT_TRUE(eventually([&] {  // shown, hence laid out where the click lands
    auto* take = hint_button(QStringLiteral("take"));
    return take && take->isVisible();
  }));
  click(hint_button(QStringLiteral("take")));
  ASSERT_TRUE(eventually([&] {
    auto* confirm = hint_button(QStringLiteral("confirm"));
    return confirm && confirm->isVisible();
  }));
  click(hint_button(QStringLiteral("confirm")));
  EXPECT_TRUE(eventually([&] { return window->scoreboard()->total() == 80; }, 30s));
  EXPECT_TRUE(eventually([&] {
    for (const auto& task : tasks->taskList())
      if (task.objective == "attachment" && !task.hints.empty() && task.hints.front().taken)
        return !task.hints.front().text.empty();
    return false;
  }));
  screenshot(window, QStringLiteral("trainee-e2e-hint.png"));

  // The incident report: a draft, then the submitted version.
  ReportEditor* report = window->report();
  window->tabs()->setCurrentWidget(report);
  report->setSection(QStringLiteral("timeline"),
                     QStringLiteral("09:00 標的型メール受信 / lure mail"));
  report->setSection(QStringLiteral("cause"),
                     QStringLiteral("添付ファイルを開いた / attachment opened"));
  report->saveDraft();
  ASSERT_TRUE(eventually([&] { return report->version() == 1; }, 30s))
      << report->status().toStdString();
  report->setSection(QStringLiteral("measures"),
                     QStringLiteral("ws01 をネットワークから隔離 / isolated ws01"));
  report->submit();
  ASSERT_TRUE(eventually([&] { return report->submitted(); }, 30s))
      << report->status().toStdString();
  EXPECT_EQ(report->version(), 2);
  screenshot(window, QStringLiteral("trainee-e2e-report.png"));
  window->tabs()->setCurrentWidget(window->scoreboard());
  screenshot(window, QStringLiteral("trainee-e2e-scoreboard.png"));

  // Everything recorded reached PostgreSQL.
  ASSERT_NE(app.recorderClient(), nullptr);
  ASSERT_TRUE(app.recorderClient()->wait_until_acked(60s))
      << app.recorderClient()->last_error().message;
  const auto count = [&](const std::string& where) {
    return std::stoi(query("SELECT count(*) FROM recorder_events WHERE exercise_id = '" +
                           exercise_ + "' AND " + where));
  };
  EXPECT_GT(count("kind = 'key'"), 20);
  // Clicks count from the consent on: joining and the consent dialog's four are not in it;
  // "take" and "confirm" of the hint are.
  EXPECT_EQ(count("kind = 'click'"), 2);
  EXPECT_GE(count("kind = 'answer'"), 1);
  EXPECT_GE(count("kind = 'hint'"), 1);
  EXPECT_GE(count("kind = 'report_edit'"), 2);
  // Keys in the terminal carry their time and host only: the server records the terminal.
  EXPECT_GT(count("kind = 'key' AND data->>'target' = 'ws01'"), 20);
  EXPECT_EQ(count("kind = 'key' AND data->>'target' = 'ws01' AND (coalesce(data->>'text', '') "
                  "<> '' OR data->>'key' <> '')"),
            0);
  // Keys typed into the answer box keep their text (the answer was typed there).
  EXPECT_GT(count("kind = 'key' AND coalesce(data->>'target', '') = '' AND data->>'text' <> ''"),
            10);
  EXPECT_EQ(query("SELECT sum(points) FROM ledger_entries WHERE exercise_id = '" + exercise_ + "'"),
            "80");
  EXPECT_EQ(query("SELECT count(*) || '/' || count(*) FILTER (WHERE submitted) FROM reports "
                  "WHERE exercise_id = '" +
                  exercise_ + "'"),
            "2/1");
  EXPECT_EQ(
      query("SELECT measures FROM reports WHERE exercise_id = '" + exercise_ + "' AND submitted"),
      "ws01 をネットワークから隔離 / isolated ws01");

  // Network loss: cyranged is gone for a minute while the trainee keeps clicking; the
  // window says so and how many events wait; afterwards every event is stored exactly once.
  kill_daemon();
  const auto offline_until = std::chrono::steady_clock::now() + 60s;
  auto* tab_bar = window->tabs()->tabBar();
  int clicks = 0;
  while (std::chrono::steady_clock::now() < offline_until) {
    const int index = clicks % window->tabs()->count();
    QTest::mouseClick(window->windowHandle(), Qt::LeftButton, {},
                      tab_bar->mapTo(window, tab_bar->tabRect(index).center()));
    ++clicks;
    QTest::qWait(500);
  }
  const QString offline_text = window->findChild<QLabel*>(QStringLiteral("waiting"))->text();
  screenshot(window, QStringLiteral("trainee-e2e-offline.png"));
  EXPECT_TRUE(offline_text.contains(QStringLiteral("offline"))) << offline_text.toStdString();
  start_daemon();
  ASSERT_TRUE(app.recorderClient()->wait_until_acked(120s))
      << app.recorderClient()->last_error().message;
  const std::uint64_t recorded = app.recorderClient()->buffer().last_seq();
  EXPECT_EQ(std::stoull(query("SELECT count(*) FROM recorder_events WHERE exercise_id = '" +
                              exercise_ + "'")),
            recorded);
  EXPECT_EQ(std::stoull(query("SELECT count(DISTINCT seq) FROM recorder_events WHERE "
                              "exercise_id = '" +
                              exercise_ + "'")),
            recorded);
  EXPECT_EQ(count("kind = 'click'"), 2 + clicks);
}

// Self-paced study in the client: a trainee signed in with their own token opens the
// course list, starts quick-check, sees the run prepared, works in the day window the run
// opens (its clock runs by itself at x10: no instructor), closes the window (which pauses
// the run to disk) and resumes it from the list with the score kept.
class TraineeCourses : public reliability::LiveExerciseTest {
 protected:
  TraineeCourses() : LiveExerciseTest("trainee_courses", /*create_in_setup=*/false) {}

  // Ends the run's range when the test stops, passed or failed.
  struct EndRunAtExit {
    TraineeCourses* test;
    std::int64_t run = 0;
    ~EndRunAtExit() {
      if (!run) return;
      auto ended = client::CourseClient(test->trainee()).end(run);
      EXPECT_TRUE(ended) << ended.error().message;
    }
  };
};

TEST_F(TraineeCourses, ATraineeStartsACoursePausesByClosingAndResumesFromTheList) {
  // English as the app installs it: plural forms come from the translation.
  ASSERT_TRUE(qt::install_translations(QStringLiteral("cyrange_trainee"), client::Language::en));
  publish_course("quick", 10);
  qt::Session home(trainee());
  CoursesWindow courses(&home, {QStringLiteral("e2e-courses"), QString::fromStdString(address_),
                                QString::fromStdString(ca_file().string()), false});
  courses.setNotice(QStringLiteral("No training day is running for your team yet."));
  courses.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&courses));
  courses.refresh();
  ASSERT_TRUE(eventually([&] { return courses.model()->rowCount() == 1; }, 30s));
  EXPECT_EQ(courses.model()->courseAt(0).id, "quick");
  EXPECT_EQ(courses.model()->data(courses.model()->index(0, CourseTableModel::run_state)),
            QStringLiteral("Not started"));
  screenshot(&courses, QStringLiteral("trainee-courses-catalogue.png"));

  // Start: the range is prepared, then the day window opens on the run's own token.
  auto* start = courses.findChild<QAbstractButton*>(QStringLiteral("start-run"));
  ASSERT_TRUE(eventually([&] { return start->isEnabled(); }));
  EXPECT_EQ(start->text(), QStringLiteral("Start"));
  click(start);
  ASSERT_TRUE(eventually(
      [&] { return courses.status().contains(QStringLiteral("Preparing your range")); }, 60s))
      << courses.status().toStdString();
  screenshot(&courses, QStringLiteral("trainee-courses-preparing.png"));
  EndRunAtExit cleanup{this};
  ASSERT_TRUE(eventually([&] { return courses.runSession() != nullptr; }, 600s))
      << courses.status().toStdString();
  RunSession* run = courses.runSession();
  cleanup.run = run->run().id;
  EXPECT_FALSE(courses.isVisible());
  agree_to_scoring_only(*run->app(), {});
  MainWindow* window = run->app()->window();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(window));
  EXPECT_TRUE(run->app()->recording());
  EXPECT_NE(window->findChild<QWidget*>(QStringLiteral("run-controls")), nullptr);

  // The run's clock opens the tasks by itself; the first is answered.
  const std::string exercise = run->run().exercise_id;
  auto info = client::ExerciseClient(instructor()).get(exercise);
  ASSERT_TRUE(info) << info.error().message;
  const auto vars = scenario::resolve_variables(*scenario_, info->seed, run->run().team);
  TasksPanel* tasks = window->tasks();
  ASSERT_TRUE(eventually(
      [&] {
        for (const auto& task : tasks->taskList())
          if (task.objective == "recipient") return true;
        return false;
      },
      120s));
  tasks->select(QStringLiteral("recipient"));
  auto* answer = window->findChild<QLineEdit*>(QStringLiteral("answer"));
  ASSERT_NE(answer, nullptr);
  type_into(answer, QString::fromStdString(vars.at("victim_mailbox")) + QStringLiteral("\r"));
  EXPECT_TRUE(eventually([&] { return tasks->verdict().startsWith(QStringLiteral("✓")); }, 60s))
      << tasks->verdict().toStdString();
  EXPECT_TRUE(eventually([&] { return window->scoreboard()->total() == 100; }, 30s));
  screenshot(window, QStringLiteral("trainee-courses-run.png"));

  // Closing the window pauses the run: saved to disk, the list comes back.
  window->close();
  ASSERT_TRUE(
      eventually([&] { return courses.runSession() == nullptr && courses.isVisible(); }, 180s));
  ASSERT_TRUE(eventually(
      [&] {
        return courses.model()->runAt(0).has_value() &&
               courses.model()->runAt(0)->state == client::RunState::paused;
      },
      30s));
  EXPECT_EQ(courses.model()->runAt(0)->score, 100);
  EXPECT_EQ(courses.model()->runAt(0)->objectives_solved, 1);
  EXPECT_EQ(courses.model()->data(courses.model()->index(0, CourseTableModel::results)),
            QStringLiteral("100 points · 1 solved · 0 hints"));
  auto* notice = courses.findChild<QLabel*>(QStringLiteral("notice"));
  EXPECT_TRUE(notice->text().contains(QStringLiteral("saved"))) << notice->text().toStdString();
  courses.table()->selectRow(0);
  EXPECT_EQ(start->text(), QStringLiteral("Resume"));
  screenshot(&courses, QStringLiteral("trainee-courses-paused.png"));

  // Resume: the same run, its score kept.
  click(start);
  ASSERT_TRUE(eventually([&] { return courses.runSession() != nullptr; }, 180s))
      << courses.status().toStdString();
  EXPECT_EQ(courses.runSession()->run().id, cleanup.run);
  agree_to_scoring_only(*courses.runSession()->app(), {});
  window = courses.runSession()->app()->window();
  EXPECT_TRUE(eventually([&] { return window->scoreboard()->total() == 100; }, 60s));
  auto ended = client::CourseClient(trainee()).end(cleanup.run);
  ASSERT_TRUE(ended) << ended.error().message;
  EXPECT_EQ(ended->state, client::RunState::finished);
  cleanup.run = 0;
}

}  // namespace
}  // namespace cyrange::trainee
