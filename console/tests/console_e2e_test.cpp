// e2e, offscreen: the instructor console against a real cyranged (TLS, PostgreSQL) and a
// real quick-check range on libvirt. The test signs in through the sign-in dialog,
// creates the exercise through the console's own dialog (input through the window
// handle), starts the clock, lets the ideal scripted trainee play, and checks that
// the matrix, the board and the feed show the solves; pushes a hint and finds it in the
// team's inbox; exports the report (both languages in the PDF); then kills cyranged
// with SIGKILL and restarts it: the console shows reconnecting, then the same board,
// without a feed entry twice. Screenshots of each view go to the build tree.
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <set>
#include <thread>

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QInputDialog>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QStatusBar>
#include <QTabWidget>
#include <QTest>
#include <QTimer>

#include <client-core/inbox_client.h>
#include <client-core/scoring_client.h>
#include <client-core/script/grpc_trainee_session.h>
#include <client-core/script/scripted_trainee.h>
#include <client-core/script/trainee_script.h>
#include <client-qt/scoring_adapter.h>
#include <client-qt/session.h>
#include <client-qt/sign_in/sign_in_dialog.h>
#include <console/app/exercise_list_model.h>
#include <console/app/main_window.h>
#include <console/app/provisioning_model.h>
#include <console/app/team_activity_model.h>
#include <console/app/team_panel.h>
#include <console/models/feed_filter_proxy.h>
#include <console/models/team_objectives_model.h>
#include <console/dialogs/create_exercise_dialog.h>
#include <console/dialogs/push_hint_dialog.h>
#include <console/dialogs/reveal_solution_dialog.h>
#include <console/models/dashboard_model.h>
#include <console/models/feed_model.h>
#include <console/models/model_roles.h>
#include <console/report/report_writer.h>
#include <console/widgets/dashboard_view.h>
#include <console/widgets/score_chart.h>
#include <orchestrator/range/guest_agent.h>
#include <orchestrator/range/libvirt_hypervisor.h>
#include <orchestrator/range/naming.h>
#include <testing/qt_ui.h>
#include <tests/reliability/live_exercise_fixture.h>

namespace cyrange::console {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

void screenshot(QWidget* widget, const QString& name) {
  QDir().mkpath(QStringLiteral(CYRANGE_SCREENSHOT_DIR));
  widget->grab().save(QStringLiteral(CYRANGE_SCREENSHOT_DIR "/") + name);
}

// Processes events until `done` holds or `budget` passes.
template <class Pred>
bool eventually(Pred done, std::chrono::milliseconds budget = 60s) {
  const auto deadline = std::chrono::steady_clock::now() + budget;
  while (!done() && std::chrono::steady_clock::now() < deadline) QTest::qWait(100);
  return done();
}

// Clicks the dialog button named `text` through the window's event handling.
void click(QWidget* dialog, const QString& text) {
  for (auto* b : dialog->findChildren<QPushButton*>()) {
    if (b->text() != text) continue;
    QWidget* window = b->window();
    QTest::mouseClick(window->windowHandle(), Qt::LeftButton, {},
                      b->mapTo(window, b->rect().center()));
    return;
  }
  ADD_FAILURE() << "no button " << text.toStdString();
}

class ConsoleEndToEnd : public reliability::LiveExerciseTest {
 protected:
  ConsoleEndToEnd() : LiveExerciseTest("console_e2e", /*create_in_setup=*/false) {}

  int cell_state(MainWindow& window, const std::string& objective) {
    const auto& state = window.dashboardModel()->state();
    const auto row = state.team_row(team_);
    const auto col = state.objective_column(objective);
    if (!row || !col) return -1;
    return static_cast<int>(state.cell(*row, *col).state);
  }
};

TEST_F(ConsoleEndToEnd, AnInstructorRunsAndWatchesADayFromTheConsole) {
  // Sign in through the dialog, with the server's CA and a pasted token.
  qt::SignInDialog sign_in({client::Role::instructor, client::Role::admin});
  sign_in.setProfile({QStringLiteral("e2e"), QString::fromStdString(address_),
                      QString::fromStdString(ca_file().string()), false});
  sign_in.setPastedToken(QString::fromStdString(instructor_token_));
  sign_in.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&sign_in));
  screenshot(&sign_in, QStringLiteral("console-e2e-sign-in.png"));
  click(&sign_in, QStringLiteral("Sign in"));
  ASSERT_TRUE(eventually([&] { return sign_in.result() == QDialog::Accepted; }, 30s));

  qt::Session session(*sign_in.connection());
  MainWindow window(&session, sign_in.caller(), client::Language::en);
  window.resize(1500, 950);
  window.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));

  // Create the exercise through the console's own dialog.
  testing::when_modal_opens<CreateExerciseDialog>([this](CreateExerciseDialog* d) {
    d->setScenarioFile(QString::fromStdString(scenario_file().string()));
    d->setExerciseId(QString::fromStdString(exercise_));
    d->setTeams(QString::fromStdString(team_));
    d->setSeed(QString::number(kSeed));
    screenshot(d, QStringLiteral("console-e2e-create.png"));
    click(d, QStringLiteral("Create"));
  });
  window.newExercise();
  ASSERT_TRUE(eventually([&] { return window.exerciseModel()->row_of(exercise_) >= 0; }, 30s));
  window.openExercise(QString::fromStdString(exercise_));
  const auto ready = [&] {
    const int row = window.exerciseModel()->row_of(exercise_);
    const auto* e = window.exerciseModel()->at(row);
    return e && e->state == client::ExerciseState::ready;
  };
  ASSERT_TRUE(eventually(ready, 20min)) << "the exercise did not become ready";
  screenshot(&window, QStringLiteral("console-e2e-provisioning.png"));
  ASSERT_FALSE(window.catalog().objectives.empty()) << "the scenario reached the console";

  // The clock, then the ideal trainee plays through gRPC as a real trainee would.
  window.startClock();
  window.setClockSpeed(10);
  auto script = client::load_trainee_script(fs::path(CYRANGE_SOURCE_DIR) /
                                            "scenarios/quick-check/playtest/ideal.yaml");
  ASSERT_TRUE(script) << script.error().message;
  std::atomic<bool> played{false};
  client::PlaytestResult result;
  std::thread trainee_thread([&] {
    auto session = client::GrpcTraineeSession::open(trainee(), {exercise_, "", {}});
    if (session) result = client::run_scripted_trainee(**session, *script);
    played = true;
  });
  const bool finished = eventually([&] { return played.load(); }, 15min);
  trainee_thread.join();
  ASSERT_TRUE(finished);
  ASSERT_TRUE(result.completed) << result.failure;

  // Matrix, board and feed show the same solves.
  for (const char* objective : {"recipient", "attachment", "c2-address"}) {
    EXPECT_TRUE(eventually(
        [&] { return cell_state(window, objective) == static_cast<int>(CellState::solved); }, 30s))
        << objective;
  }
  const auto& state = window.dashboardModel()->state();
  const auto row = state.team_row(team_);
  ASSERT_TRUE(row);
  EXPECT_EQ(state.total(*row), result.total);
  int solves = 0;
  for (const auto& e : state.feed()) solves += e.kind == FeedKind::solve ? 1 : 0;
  EXPECT_EQ(solves, 3);
  window.tabs()->setCurrentIndex(0);
  screenshot(&window, QStringLiteral("console-e2e-dashboard.png"));
  window.tabs()->setCurrentIndex(1);
  screenshot(&window, QStringLiteral("console-e2e-timeline.png"));

  // The Team tab follows the team selected on the dashboard: its hosts, its numbers, and
  // its activity with the ledger's three solves in order.
  window.dashboardView()->selection()->setTeam(QString::fromStdString(team_));
  QSignalSpy team_loaded(window.teamPanel(), &TeamPanel::loaded);
  window.tabs()->setCurrentWidget(window.teamPanel());
  ASSERT_TRUE(team_loaded.count() > 0 || team_loaded.wait(30000));
  QAbstractItemModelTester activity_tester(window.teamPanel()->activity(),
                                           QAbstractItemModelTester::FailureReportingMode::Fatal);
  EXPECT_EQ(window.teamPanel()->hosts()->rowCount(), 3);
  QStringList solved;
  auto* activity = window.teamPanel()->activity();
  for (int r = 0; r < activity->rowCount(); ++r)
    if (activity->index(r, TeamActivityModel::What).data().toString() == QStringLiteral("Solved"))
      solved << activity->index(r, TeamActivityModel::Detail).data().toString();
  EXPECT_EQ(solved.size(), 3) << solved.join(QLatin1Char(',')).toStdString();
  EXPECT_TRUE(window.teamPanel()->numbersText().contains(QStringLiteral("solved at")))
      << window.teamPanel()->numbersText().toStdString();
  // Its objectives as the matrix has them, and the dashboard's events of this team only.
  auto* objectives = window.teamPanel()->objectives();
  ASSERT_EQ(objectives->rowCount(), 3);
  for (int r = 0; r < objectives->rowCount(); ++r)
    EXPECT_EQ(objectives->index(r, TeamObjectivesModel::State).data().toString(),
              QStringLiteral("✓ solved"));
  auto* events = window.teamPanel()->events();
  EXPECT_GE(events->rowCount(), 3);
  for (int r = 0; r < events->rowCount(); ++r)
    EXPECT_EQ(events->index(r, 0).data(TeamRole).toString(), QString::fromStdString(team_));
  screenshot(&window, QStringLiteral("console-e2e-team.png"));
  window.tabs()->setCurrentIndex(0);

  // Push a hint through the dialog; the team finds it in its inbox.
  testing::when_modal_opens<PushHintDialog>([this](PushHintDialog* d) {
    d->choose(QString::fromStdString(team_), QStringLiteral("c2-address"),
              QStringLiteral("hint-1"));
    screenshot(d, QStringLiteral("console-e2e-push-hint.png"));
    click(d, QStringLiteral("Push hint"));
  });
  window.pushHint();
  client::InboxClient inbox(trainee());
  EXPECT_TRUE(eventually(
      [&] {
        auto messages = inbox.list(exercise_, "");
        if (!messages) return false;
        for (const auto& m : *messages)
          if (m.source == "hint:c2-address/hint-1") return true;
        return false;
      },
      30s))
      << "the pushed hint never reached the team's inbox";

  // Reveal a solution: the team solved it already, so the dialog says it costs nothing;
  // the team can read it afterwards.
  testing::when_modal_opens<RevealSolutionDialog>([this](RevealSolutionDialog* d) {
    d->choose(QString::fromStdString(team_), QStringLiteral("recipient"));
    EXPECT_TRUE(d->teamsLosingPoints().isEmpty());
    EXPECT_TRUE(d->costText().contains(QStringLiteral("costs nothing")))
        << d->costText().toStdString();
    screenshot(d, QStringLiteral("console-e2e-reveal.png"));
    click(d, QStringLiteral("Reveal"));
  });
  window.revealSolution();
  EXPECT_TRUE(eventually(
      [&] {
        auto shown = client::ScoringClient(trainee()).solution(exercise_, "", "recipient");
        return shown && shown->en.find("/var/mail/") != std::string::npos;
      },
      30s))
      << "the team cannot read the revealed solution";

  // Reset the team's range: what the team left in a guest is gone, its score stays.
  auto hv = range::LibvirtHypervisor::connect("qemu:///system");
  ASSERT_TRUE(hv) << hv.error().message;
  const std::string ws01 = range::exercise_prefix(exercise_) + team_ + "-ws01";
  const auto marker_left = [&] {
    auto test = range::guest_exec(**hv, ws01, {"/bin/sh", "-c", "test -e /tmp/reset-marker"});
    return test ? std::optional<bool>(test->exit_code == 0) : std::nullopt;
  };
  auto wrote = range::guest_exec(**hv, ws01, {"/bin/sh", "-c", "echo left > /tmp/reset-marker"});
  ASSERT_TRUE(wrote && wrote->exit_code == 0);
  ASSERT_EQ(marker_left(), std::optional<bool>(true));
  const auto team_total_on_server = [&] {
    auto board = client::ScoringClient(instructor()).scoreboard(exercise_);
    if (board)
      for (const auto& t : board->standings)
        if (t.team == team_) return t.total;
    return -1;
  };
  const int total_before_reset = team_total_on_server();
  testing::when_modal_opens<QInputDialog>([this](QInputDialog* d) {
    d->setTextValue(QString::fromStdString(team_));
    screenshot(d, QStringLiteral("console-e2e-reset.png"));
    click(d, QStringLiteral("OK"));
  });
  window.resetTeamRange();
  EXPECT_TRUE(eventually([&] { return marker_left() == std::optional<bool>(false); }, 180s))
      << "the guest still holds what the team left there";
  // The Provisioning tab followed the reset until every host was ready again.
  EXPECT_TRUE(eventually(
      [&] {
        const auto [ready, hosts] = window.provisioningModel()->ready_hosts();
        return hosts == 3 && ready == hosts;
      },
      60s));
  screenshot(&window, QStringLiteral("console-e2e-after-reset.png"));
  EXPECT_EQ(team_total_on_server(), total_before_reset);
  window.tabs()->setCurrentIndex(0);

  // The after-action report, in both languages.
  const fs::path pdf = fs::path(CYRANGE_SCREENSHOT_DIR) / "console-e2e-report.pdf";
  ReportInput input{*window.exerciseModel()->at(window.exerciseModel()->row_of(exercise_)),
                    window.catalog(), window.dashboardModel()->state(),
                    window.dashboardView()->chart()->render(QSize(1200, 600))};
  ASSERT_TRUE(write_report(input, QString::fromStdString(pdf.string())).ok());
  const std::string txt = pdf.string() + ".txt";
  ASSERT_EQ(std::system(("pdftotext -layout '" + pdf.string() + "' '" + txt + "'").c_str()), 0);
  std::ifstream in(txt);
  const std::string text{std::istreambuf_iterator<char>(in), {}};
  EXPECT_NE(text.find("Final board"), std::string::npos);
  EXPECT_NE(text.find("最終順位"), std::string::npos);
  EXPECT_NE(text.find(team_), std::string::npos);

  // SIGKILL: the console shows the lost link, then the same board, no entry twice.
  const std::size_t feed_before = state.feed().size();
  // The board as the server has it now (the pushed hint cost 30), shown by the console.
  auto server_board = client::ScoringClient(instructor()).scoreboard(exercise_);
  ASSERT_TRUE(server_board) << server_board.error().message;
  int server_total = -1;
  for (const auto& t : server_board->standings)
    if (t.team == team_) server_total = t.total;
  ASSERT_TRUE(eventually([&] { return state.total(*row) == server_total; }, 30s));
  const int total_before = state.total(*row);
  // A second board stream on the same session tells when the restarted server has sent
  // its fresh snapshot.
  qt::ScoringAdapter observer(&session);
  QSignalSpy observed(&observer, &qt::ScoringAdapter::boardUpdated);
  observer.watch(QString::fromStdString(exercise_));
  ASSERT_TRUE(eventually([&] { return observed.count() >= 1; }, 30s));
  ASSERT_NO_FATAL_FAILURE(kill_daemon());
  observed.clear();  // from here on, only what the restarted server sends
  EXPECT_TRUE(eventually(
      [&] { return session.connectivity().state == client::Connectivity::reconnecting; }, 60s));
  screenshot(&window, QStringLiteral("console-e2e-reconnecting.png"));
  ASSERT_NO_FATAL_FAILURE(start_daemon());
  EXPECT_TRUE(eventually(
      [&] { return session.connectivity().state == client::Connectivity::connected; }, 60s));
  ASSERT_TRUE(eventually(
      [&] {
        for (const auto& signal : observed)
          if (signal.at(0).value<client::ScoreboardMessage>().snapshot) return true;
        return false;
      },
      60s))
      << "no snapshot after the restart";
  window.dashboardModel()->flushNow();
  EXPECT_GE(window.dashboardModel()->state().feed().size(), feed_before);
  std::set<std::string> keys;
  for (const auto& e : window.dashboardModel()->state().feed())
    EXPECT_TRUE(keys.insert(e.key).second) << "feed entry twice: " << e.key;
  EXPECT_EQ(window.dashboardModel()->state().total(*row), total_before);
  screenshot(&window, QStringLiteral("console-e2e-after-restart.png"));
}

}  // namespace
}  // namespace cyrange::console
