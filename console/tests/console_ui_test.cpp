// The console's window, dialogs and report on the offscreen platform, against cyranged's
// gRPC server on loopback (in-memory score board): sign-in errors, the live dashboard
// fed by a real stream, the dialogs' rules, and the bilingual PDF report. Screenshots of
// each view go to the build tree (CYRANGE_SCREENSHOT_DIR).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTimer>

#include <gtest/gtest.h>

#include <client-core/scoring_client.h>
#include <client-core/testing/loopback_server.h>
#include <client-qt/session.h>
#include <client-qt/sign_in/sign_in_dialog.h>
#include <console/app/exercise_list_model.h>
#include <console/app/console_shell.h>
#include <console/app/main_window.h>
#include <console/app/scenario_catalog.h>
#include <console/app/team_panel.h>
#include <console/app/timeline_model.h>
#include <console/dialogs/adjust_score_dialog.h>
#include <console/dialogs/create_exercise_dialog.h>
#include <console/dialogs/grade_dialog.h>
#include <console/dialogs/push_hint_dialog.h>
#include <console/dialogs/reveal_solution_dialog.h>
#include <console/models/dashboard_model.h>
#include <console/models/board_model.h>
#include <console/models/feed_filter_proxy.h>
#include <console/models/feed_model.h>
#include <console/models/matrix_model.h>
#include <console/models/model_roles.h>
#include <console/models/team_objectives_model.h>
#include <console/models/team_selection.h>
#include <console/report/report_writer.h>
#include <console/widgets/dashboard_view.h>
#include <console/widgets/score_chart.h>
#include <testing/qt_ui.h>

namespace cyrange::console {
namespace {

namespace fs = std::filesystem;
const fs::path kQuickCheck = fs::path(CYRANGE_SOURCE_DIR) / "scenarios/quick-check/scenario.yaml";

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void screenshot(QWidget* widget, const QString& name) {
  QDir().mkpath(QStringLiteral(CYRANGE_SCREENSHOT_DIR));
  widget->grab().save(QStringLiteral(CYRANGE_SCREENSHOT_DIR "/") + name);
}

// Processes events until `done` holds or 10 s pass.
template <class Pred>
bool eventually(Pred done) {
  for (int i = 0; i < 200 && !done(); ++i) QTest::qWait(50);
  return done();
}

// Clicks `button` as a user would: through the window's event handling.
void click(QPushButton* button) {
  QWidget* window = button->window();
  window->show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(window));
  QTest::mouseClick(window->windowHandle(), Qt::LeftButton, {},
                    button->mapTo(window, button->rect().center()));
}

QPushButton* button_named(QWidget* parent, const QString& text) {
  for (auto* b : parent->findChildren<QPushButton*>()) {
    if (b->text() == text) return b;
  }
  return nullptr;
}

TEST(SignIn, ExplainsARefusedTokenAndAnUnreachableServerAndAcceptsAGoodOne) {
  client::testing::LoopbackServer server;
  auto attempt = [&](const QString& address, const QString& token) {
    auto dialog = std::make_unique<qt::SignInDialog>(
        std::set<client::Role>{client::Role::instructor, client::Role::admin});
    // A profile of its own: other test processes may sign in at the same time.
    dialog->setProfile({QStringLiteral("test-%1").arg(QCoreApplication::applicationPid()), address,
                        QString(), true});
    dialog->setPastedToken(token);
    return dialog;
  };
  auto wrong = attempt(QString::fromStdString(server.address()), QStringLiteral("nope"));
  QSignalSpy failed(wrong.get(), &qt::SignInDialog::failed);
  click(button_named(wrong.get(), QStringLiteral("Sign in")));
  ASSERT_TRUE(failed.wait(10000));
  EXPECT_TRUE(failed.at(0).at(0).toString().contains(QStringLiteral("refused the token")));
  screenshot(wrong.get(), QStringLiteral("console-sign-in-refused.png"));

  auto trainee = attempt(QString::fromStdString(server.address()), QStringLiteral("red"));
  QSignalSpy wrong_role(trainee.get(), &qt::SignInDialog::failed);
  trainee->signIn();
  ASSERT_TRUE(wrong_role.wait(10000));
  EXPECT_TRUE(wrong_role.at(0).at(0).toString().contains(QStringLiteral("trainee")));

  auto remote = attempt(QStringLiteral("192.0.2.1:50051"), QStringLiteral("staff"));
  QSignalSpy refused_plaintext(remote.get(), &qt::SignInDialog::failed);
  remote->signIn();  // plaintext is refused before anything is sent
  ASSERT_EQ(refused_plaintext.count(), 1);
  EXPECT_TRUE(refused_plaintext.at(0).at(0).toString().contains(QStringLiteral("127.0.0.1")));

  auto good = attempt(QString::fromStdString(server.address()), QStringLiteral("staff"));
  QSignalSpy accepted(good.get(), &QDialog::accepted);
  click(button_named(good.get(), QStringLiteral("Sign in")));
  ASSERT_TRUE(accepted.count() == 1 || accepted.wait(10000));
  EXPECT_EQ(good->caller().role, client::Role::instructor);
  EXPECT_EQ(good->caller().name, "ina");
  // The token went to its own 0600 file, not into the settings.
  const auto file = good->profile().token_file();
  ASSERT_TRUE(fs::exists(file));
  EXPECT_EQ(fs::status(file).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
}

TEST(Dashboard, AStreamedBoardShowsTheSameSolveInMatrixBoardAndFeed) {
  client::testing::LoopbackServer server;
  qt::Session session(server.connect("staff"));
  MainWindow window(&session, {1, "ina", client::Role::instructor, std::nullopt},
                    client::Language::en);
  window.resize(1400, 900);
  window.show();
  window.openExercise(QStringLiteral("ex"));
  DashboardView* view = window.dashboardView();
  QAbstractItemModelTester matrix_tester(view->matrixModel(),
                                         QAbstractItemModelTester::FailureReportingMode::Fatal);
  QAbstractItemModelTester board_tester(view->boardModel(),
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
  QAbstractItemModelTester feed_tester(view->feedFilter(),
                                       QAbstractItemModelTester::FailureReportingMode::Fatal);
  ASSERT_TRUE(eventually([&] { return view->matrixModel()->rowCount() == 2; }));

  client::ScoringClient red(server.connect("red"));
  ASSERT_TRUE(red.submit_answer("ex", "q1", "", "wrong"));
  ASSERT_TRUE(red.take_hint("ex", "q1", "hint-1"));
  ASSERT_TRUE(red.submit_answer("ex", "q1", "", "kakuu"));
  ASSERT_TRUE(eventually([&] { return view->feedModel()->rowCount() >= 3; }));

  const auto* state = &window.dashboardModel()->state();
  const auto row = state->team_row("red");
  const auto col = state->objective_column("q1");
  ASSERT_TRUE(row && col);
  const QModelIndex cell =
      view->matrixModel()->index(static_cast<int>(*row), static_cast<int>(*col));
  // Solved, 100 points less the 20 of the hint: the cell shows the objective's net points.
  EXPECT_EQ(cell.data(StateRole).toInt(), static_cast<int>(CellState::solved));
  EXPECT_TRUE(cell.data().toString().contains(QStringLiteral("80")))
      << cell.data().toString().toStdString();
  int red_total = -1;
  for (int r = 0; r < view->boardModel()->rowCount(); ++r) {
    if (view->boardModel()->index(r, 0).data(TeamRole).toString() == QStringLiteral("red"))
      red_total = view->boardModel()->index(r, 2).data().toInt();
  }
  EXPECT_EQ(red_total, 80);  // 100 for the solve, 20 for the hint
  EXPECT_EQ(view->chart()->curveCount(), 2);
  screenshot(&window, QStringLiteral("console-dashboard.png"));

  // Selecting a team in the board highlights it everywhere.
  view->selection()->setTeam(QStringLiteral("red"));
  EXPECT_TRUE(cell.data(SelectedRole).toBool());
  screenshot(&window, QStringLiteral("console-dashboard-selected.png"));
}

// Settings > Language switches at once: the window is built again in Japanese on the same
// connection with the same exercise open, and back; the choice is saved for the next start.
TEST(Language, SwitchingRebuildsTheWindowInTheOtherLanguageWithTheSameExercise) {
  client::testing::LoopbackServer server;
  qt::Session session(server.connect("staff"));
  ConsoleShell shell(&session, {1, "ina", client::Role::instructor, std::nullopt},
                     client::Language::en);
  shell.window()->resize(1400, 900);
  shell.window()->openExercise(QStringLiteral("ex"));
  ASSERT_TRUE(
      eventually([&] { return shell.window()->dashboardView()->matrixModel()->rowCount() == 2; }));
  EXPECT_EQ(shell.window()->tabs()->tabText(0), QStringLiteral("Dashboard"));

  const auto choose = [&](const QString& name) {
    for (QAction* a : shell.window()->menuBar()->findChildren<QAction*>())
      if (a->text() == name) return a->trigger(), true;
    return false;
  };
  QSignalSpy replaced(&shell, &ConsoleShell::windowReplaced);
  ASSERT_TRUE(choose(QStringLiteral("日本語")));
  ASSERT_EQ(replaced.count(), 1);
  MainWindow* ja = shell.window();
  EXPECT_EQ(shell.language(), client::Language::ja);
  EXPECT_EQ(ja->tabs()->tabText(0), QStringLiteral("ダッシュボード"));
  EXPECT_EQ(ja->exercise(), QStringLiteral("ex"));
  ASSERT_TRUE(eventually([&] { return ja->dashboardView()->matrixModel()->rowCount() == 2; }));
  EXPECT_EQ(QSettings().value(QStringLiteral("language")).toString(), QStringLiteral("ja"));
  screenshot(ja, QStringLiteral("console-japanese.png"));

  ASSERT_TRUE(choose(QStringLiteral("English")));
  ASSERT_EQ(replaced.count(), 2);
  EXPECT_EQ(shell.window()->tabs()->tabText(0), QStringLiteral("Dashboard"));
  EXPECT_EQ(QSettings().value(QStringLiteral("language")).toString(), QStringLiteral("en"));
}

// The moment replayed in the Recordings tab becomes a grade's evidence with one click.
TEST(Dialogs, TheGradeDialogTakesTheReplayedMomentAsEvidence) {
  auto catalog = ScenarioCatalog::parse(slurp(kQuickCheck), kQuickCheck.string());
  ASSERT_TRUE(catalog) << catalog.error().message;
  GradeDialog dialog(*catalog, {QStringLiteral("red")}, client::Language::en);
  EXPECT_EQ(dialog.findChild<QPushButton*>(QStringLiteral("use-moment")), nullptr);
  dialog.offerMoment({});
  EXPECT_EQ(dialog.findChild<QPushButton*>(QStringLiteral("use-moment")), nullptr);
  dialog.offerMoment(QStringLiteral("recording:7@12"));
  auto* use = dialog.findChild<QPushButton*>(QStringLiteral("use-moment"));
  ASSERT_NE(use, nullptr);
  dialog.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&dialog));
  dialog.fill(QStringLiteral("red"), {}, {}, QStringLiteral("the timeline is complete"),
              QStringLiteral("report v2"));
  click(use);
  EXPECT_EQ(dialog.evidence(), QStringLiteral("report v2 recording:7@12"));
}

TEST(Dialogs, CreateRefusesAnInvalidScenarioAndNamesTheLine) {
  const fs::path broken = fs::temp_directory_path() / "cyrange-console-broken.yaml";
  std::string text = slurp(kQuickCheck);
  // Two objectives with the same id: an error at the second one's id.
  text += "\n";
  const auto at = text.find("  - id: attachment");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, std::string("  - id: attachment").size(), "  - id: recipient");
  std::ofstream(broken) << text;

  CreateExerciseDialog dialog;
  dialog.setTeams(QStringLiteral("team1 team2"));
  dialog.setScenarioFile(QString::fromStdString(broken.string()));
  const QStringList problems = dialog.problems();
  ASSERT_FALSE(problems.isEmpty());
  EXPECT_TRUE(problems.first().startsWith(QString::fromStdString(broken.string()) + ":"))
      << problems.first().toStdString();
  EXPECT_TRUE(problems.first().contains(QStringLiteral("error")));
  auto* create = button_named(&dialog, QStringLiteral("Create"));
  ASSERT_NE(create, nullptr);
  EXPECT_FALSE(create->isEnabled());
  dialog.resize(900, 420);
  screenshot(&dialog, QStringLiteral("console-create-invalid.png"));

  dialog.setScenarioFile(QString::fromStdString(kQuickCheck.string()));
  EXPECT_TRUE(create->isEnabled());
  const auto request = dialog.request();
  EXPECT_EQ(request.teams, (std::vector<std::string>{"team1", "team2"}));
  EXPECT_NE(request.seed, 0u) << "a seed left empty is drawn at random";
  fs::remove(broken);
}

TEST(Dialogs, APushedHintStatesItsCostAndAnAdjustmentNeedsAReason) {
  auto catalog = ScenarioCatalog::parse(slurp(kQuickCheck), kQuickCheck.string());
  ASSERT_TRUE(catalog) << catalog.error().message;
  PushHintDialog hint(*catalog, {QStringLiteral("team1"), QStringLiteral("team2")},
                      client::Language::ja);
  hint.choose(QString(), QStringLiteral("c2-address"), QStringLiteral("hint-1"));
  EXPECT_EQ(hint.penalty(), 30);
  EXPECT_EQ(hint.teams().size(), 2);
  bool states_cost = false;
  for (auto* label : hint.findChildren<QLabel*>())
    states_cost = states_cost || label->text().contains(QStringLiteral("30"));
  EXPECT_TRUE(states_cost);
  screenshot(&hint, QStringLiteral("console-push-hint.png"));

  AdjustScoreDialog adjust({QStringLiteral("team1")}, {QStringLiteral("recipient")});
  auto* ok = adjust.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
  adjust.fill(QStringLiteral("team1"), 25, QString());
  EXPECT_FALSE(ok->isEnabled()) << "no reason, no adjustment";
  adjust.fill(QStringLiteral("team1"), 25, QStringLiteral("Clear report"));
  EXPECT_TRUE(ok->isEnabled());
}

TEST(Dialogs, ARevealStatesWhichTeamsLoseThePointsOfAnUnsolvedObjective) {
  auto catalog = ScenarioCatalog::parse(slurp(kQuickCheck), kQuickCheck.string());
  ASSERT_TRUE(catalog) << catalog.error().message;
  const auto only_team1_solved = [](const QString& team, const QString& objective) {
    return team == QStringLiteral("team1") && objective == QStringLiteral("recipient");
  };
  RevealSolutionDialog reveal(*catalog, {QStringLiteral("team1"), QStringLiteral("team2")},
                              client::Language::en, only_team1_solved);
  reveal.choose(QString(), QStringLiteral("recipient"));
  EXPECT_EQ(reveal.teams().size(), 2);
  EXPECT_EQ(reveal.teamsLosingPoints(), QStringList{QStringLiteral("team2")});
  EXPECT_TRUE(reveal.costText().contains(QStringLiteral("team2")))
      << reveal.costText().toStdString();
  EXPECT_TRUE(reveal.costText().contains(QStringLiteral("100"))) << reveal.costText().toStdString();
  EXPECT_FALSE(reveal.costText().contains(QStringLiteral("team1")));
  auto* solution = reveal.findChild<QLabel*>(QStringLiteral("solution"));
  ASSERT_NE(solution, nullptr);
  EXPECT_TRUE(solution->text().contains(QStringLiteral("/var/mail/"))) << "the solution is shown";
  reveal.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&reveal));
  screenshot(&reveal, QStringLiteral("console-reveal-solution.png"));
  reveal.choose(QStringLiteral("team1"), QStringLiteral("recipient"));
  EXPECT_TRUE(reveal.teamsLosingPoints().isEmpty());
  EXPECT_TRUE(reveal.costText().contains(QStringLiteral("costs nothing")));
}

// Double-clicking a team on the dashboard opens its details in the Team tab: its objectives
// as the matrix has them (state, points, wrong answers, hints) and the dashboard's events of
// that team only; the matrix's team names open them too.
TEST(TeamDetails, DoubleClickingATeamOpensItsObjectivesAndEvents) {
  client::testing::LoopbackServer server;
  qt::Session session(server.connect("staff"));
  MainWindow window(&session, {1, "ina", client::Role::instructor, std::nullopt},
                    client::Language::en);
  window.resize(1400, 900);
  window.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
  window.openExercise(QStringLiteral("ex"));
  DashboardView* view = window.dashboardView();
  ASSERT_TRUE(eventually([&] { return view->boardModel()->rowCount() == 2; }));
  client::ScoringClient red(server.connect("red"));
  ASSERT_TRUE(red.submit_answer("ex", "q1", "", "wrong"));
  ASSERT_TRUE(red.take_hint("ex", "q1", "hint-1"));
  ASSERT_TRUE(red.submit_answer("ex", "q1", "", "kakuu"));
  ASSERT_TRUE(client::ScoringClient(server.connect("blue")).submit_answer("ex", "q2", "", "x"));
  ASSERT_TRUE(eventually([&] { return view->feedModel()->rowCount() >= 4; }));

  // A double-click on red's line of the board, through the window as real input travels.
  int red_row = -1;
  for (int r = 0; r < view->boardModel()->rowCount(); ++r)
    if (view->boardModel()->index(r, 0).data(TeamRole).toString() == QStringLiteral("red"))
      red_row = r;
  ASSERT_GE(red_row, 0);
  QTableView* board = view->boardView();
  const QRect cell = board->visualRect(board->model()->index(red_row, 1));
  const QPoint at = board->viewport()->mapTo(&window, cell.center());
  QTest::mouseClick(window.windowHandle(), Qt::LeftButton, {}, at);
  QTest::mouseDClick(window.windowHandle(), Qt::LeftButton, {}, at);
  TeamPanel* panel = window.teamPanel();
  ASSERT_TRUE(eventually([&] { return window.tabs()->currentWidget() == panel; }));
  EXPECT_EQ(panel->team(), QStringLiteral("red"));
  EXPECT_EQ(view->selection()->team(), QStringLiteral("red"));

  TeamObjectivesModel* objectives = panel->objectives();
  QAbstractItemModelTester objectives_tester(objectives,
                                             QAbstractItemModelTester::FailureReportingMode::Fatal);
  QAbstractItemModelTester events_tester(panel->events(),
                                         QAbstractItemModelTester::FailureReportingMode::Fatal);
  ASSERT_EQ(objectives->rowCount(), 2);
  const auto& state = window.dashboardModel()->state();
  const int q1 = static_cast<int>(*state.objective_column("q1"));
  const int q2 = static_cast<int>(*state.objective_column("q2"));
  const auto text = [&](int row, int column) {
    return objectives->index(row, column).data().toString();
  };
  EXPECT_EQ(text(q1, TeamObjectivesModel::State), QStringLiteral("✓ solved"));
  EXPECT_EQ(objectives->index(q1, TeamObjectivesModel::Points).data().toInt(), 80);
  EXPECT_EQ(objectives->index(q1, TeamObjectivesModel::WrongAnswers).data().toInt(), 1);
  EXPECT_EQ(text(q1, TeamObjectivesModel::Hints), QStringLiteral("1 (hint-1)"));
  EXPECT_EQ(text(q2, TeamObjectivesModel::State), QStringLiteral("open"))
      << "blue's solve of q2 is not red's";
  // Red's three events, none of blue's.
  ASSERT_EQ(panel->events()->rowCount(), 3);
  for (int r = 0; r < panel->events()->rowCount(); ++r)
    EXPECT_EQ(panel->events()->index(r, 0).data(TeamRole).toString(), QStringLiteral("red"));
  panel->details()->setCurrentIndex(1);
  cyrange::testing::screenshot(&window, QStringLiteral(CYRANGE_SCREENSHOT_DIR),
                               QStringLiteral("console-team-detail.png"));

  // Back on the dashboard, blue's name beside the matrix opens blue's details.
  window.tabs()->setCurrentIndex(0);
  QHeaderView* names = view->matrixView()->verticalHeader();
  const int blue_row = static_cast<int>(*state.team_row("blue"));
  const QPoint blue_at = names->viewport()->mapTo(
      &window, QPoint(names->width() / 2,
                      names->sectionViewportPosition(blue_row) + names->sectionSize(blue_row) / 2));
  QTest::mouseClick(window.windowHandle(), Qt::LeftButton, {}, blue_at);
  QTest::mouseDClick(window.windowHandle(), Qt::LeftButton, {}, blue_at);
  ASSERT_TRUE(eventually([&] { return panel->team() == QStringLiteral("blue"); }));
  EXPECT_EQ(window.tabs()->currentWidget(), panel);
  EXPECT_EQ(text(q2, TeamObjectivesModel::State), QStringLiteral("✓ solved"));
  ASSERT_EQ(panel->events()->rowCount(), 1);

  // A right click on red's line of the board offers "Team details: red", which opens it.
  window.tabs()->setCurrentIndex(0);
  QString offered;
  auto* poll = new QTimer(&window);
  QObject::connect(poll, &QTimer::timeout, poll, [poll, &offered] {
    auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
    if (!menu) return;
    poll->stop();
    for (QAction* a : menu->actions()) offered += a->text();
    menu->actions().value(0)->trigger();
    menu->close();
  });
  poll->start(20);
  QTest::mouseClick(window.windowHandle(), Qt::RightButton, {}, at);
  // Selected at the right click, opened only by the menu's action.
  ASSERT_TRUE(eventually([&] { return window.tabs()->currentWidget() == panel; }));
  EXPECT_EQ(offered, QStringLiteral("Team details: red"));
  EXPECT_EQ(panel->team(), QStringLiteral("red"));
}

TEST(Report, ThePdfHoldsBothLanguagesAndTheBoard) {
  client::testing::LoopbackServer server;
  qt::Session session(server.connect("staff"));
  MainWindow window(&session, {1, "ina", client::Role::instructor, std::nullopt},
                    client::Language::ja);
  window.openExercise(QStringLiteral("ex"));
  // The board's snapshot first: a solve before it would show as a total, not an event.
  ASSERT_TRUE(eventually([&] { return window.dashboardView()->matrixModel()->rowCount() == 2; }));
  ASSERT_TRUE(client::ScoringClient(server.connect("blue")).submit_answer("ex", "q2", "", "x"));
  ASSERT_TRUE(eventually([&] { return window.dashboardView()->feedModel()->rowCount() >= 1; }));
  auto catalog = ScenarioCatalog::parse(slurp(kQuickCheck), kQuickCheck.string());
  ASSERT_TRUE(catalog);
  client::ExerciseSummary summary;
  summary.id = "ex";
  summary.scenario_id = "quick-check";
  summary.teams = {"red", "blue"};
  summary.title = catalog->title;
  const fs::path pdf = fs::path(CYRANGE_SCREENSHOT_DIR) / "console-report.pdf";
  fs::create_directories(pdf.parent_path());
  ReportInput input{summary, *catalog, window.dashboardModel()->state(),
                    window.dashboardView()->chart()->render(QSize(900, 450))};
  ASSERT_TRUE(write_report(input, QString::fromStdString(pdf.string())).ok());
  ASSERT_TRUE(fs::exists(pdf));
  EXPECT_EQ(fs::status(pdf).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  const std::string txt = (pdf.parent_path() / "console-report.txt").string();
  ASSERT_EQ(std::system(("pdftotext -layout '" + pdf.string() + "' '" + txt + "'").c_str()), 0);
  const std::string text = slurp(txt);
  EXPECT_NE(text.find("Final board"), std::string::npos);
  EXPECT_NE(text.find("最終順位"), std::string::npos) << "Japanese glyphs are embedded";
  EXPECT_NE(text.find("blue"), std::string::npos);
  EXPECT_NE(text.find("T1566"), std::string::npos) << "the scenario's ATT&CK techniques";
  EXPECT_TRUE(fs::exists(pdf.parent_path() / "console-report.html"));
}

}  // namespace
}  // namespace cyrange::console
