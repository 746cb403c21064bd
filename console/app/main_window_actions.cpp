// The menu and tool bar of the console window and what their actions do: the language, the
// exercise clock, hints, scores, grading, range checks, the board mode and the report.
#include <utility>

#include <QActionGroup>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QInputDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>

#include <console/app/main_window.h>
#include <console/app/recordings_panel.h>
#include <console/app/timeline_model.h>
#include <console/dialogs/adjust_score_dialog.h>
#include <console/dialogs/create_exercise_dialog.h>
#include <console/dialogs/grade_dialog.h>
#include <console/dialogs/join_codes_dialog.h>
#include <console/dialogs/push_hint_dialog.h>
#include <console/dialogs/reveal_solution_dialog.h>
#include <console/models/dashboard_model.h>
#include <console/report/report_writer.h>
#include <console/widgets/dashboard_view.h>
#include <console/widgets/score_chart.h>

namespace cyrange::console {

void MainWindow::build_actions() {
  // Settings: the language, switched at once (the shell rebuilds the window in it).
  auto* settings = menuBar()->addMenu(tr("&Settings"));
  auto* languages = settings->addMenu(tr("&Language"));
  auto* group = new QActionGroup(this);
  for (const auto& [language, name] :
       {std::pair{client::Language::ja, QStringLiteral("日本語")},
        std::pair{client::Language::en, QStringLiteral("English")}}) {
    QAction* choice = languages->addAction(name);
    choice->setCheckable(true);
    choice->setChecked(language == language_);
    choice->setData(static_cast<int>(language));
    group->addAction(choice);
    connect(choice, &QAction::triggered, this,
            [this, language = language] { emit languageChosen(language); });
  }
  auto* bar = addToolBar(tr("Exercise"));
  bar->setObjectName(QStringLiteral("exercise-controls"));
  bar->addAction(tr("Start clock"), this, &MainWindow::startClock);
  bar->addAction(tr("Pause"), this, &MainWindow::pauseClock);
  bar->addAction(tr("Resume"), this, &MainWindow::resumeClock);
  speed_ = new QDoubleSpinBox(bar);
  speed_->setRange(0.1, 600);
  speed_->setValue(1);
  speed_->setPrefix(QStringLiteral("x"));
  speed_->setToolTip(tr("Exercise seconds per real second"));
  bar->addWidget(speed_);
  bar->addAction(tr("Set speed"), this, &MainWindow::setSpeed);
  bar->addSeparator();
  bar->addAction(tr("Push hint…"), this, &MainWindow::pushHint);
  bar->addAction(tr("Reveal solution…"), this, &MainWindow::revealSolution);
  bar->addAction(tr("Adjust score…"), this, &MainWindow::adjustScore);
  bar->addAction(tr("Grade report…"), this, &MainWindow::gradeReport);
  bar->addAction(tr("Run checks now"), this, &MainWindow::runChecks);
  bar->addAction(tr("Reset a range…"), this, &MainWindow::resetTeamRange);
  bar->addAction(tr("Join codes…"), this, &MainWindow::joinCodes);
  board_mode_ = new QComboBox(bar);
  board_mode_->addItem(tr("Board: live"), static_cast<int>(client::BoardMode::live));
  board_mode_->addItem(tr("Board: frozen"), static_cast<int>(client::BoardMode::frozen));
  board_mode_->addItem(tr("Board: hidden"), static_cast<int>(client::BoardMode::hidden));
  board_mode_->setToolTip(tr("What trainees see of the scoreboard"));
  bar->addWidget(board_mode_);
  connect(board_mode_, &QComboBox::activated, this, &MainWindow::setBoardMode);
  bar->addSeparator();
  bar->addAction(tr("Export report…"), this, &MainWindow::exportReport);
}

void MainWindow::newExercise() {
  CreateExerciseDialog dialog(this);
  if (dialog.exec() != QDialog::Accepted) return;
  exercise_api_->create(dialog.request());
  emit notice(tr("Creating the exercise; its ranges are being built."));
}

void MainWindow::endExercise() {
  if (exercise_.isEmpty()) return;
  const auto answer = QMessageBox::warning(
      this, tr("End exercise"),
      tr("End exercise %1? Every team's range is removed; scores and recordings are kept.")
          .arg(exercise_),
      QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
  if (answer != QMessageBox::Yes) return;
  exercise_api_->end(exercise_);
}

void MainWindow::startClock() {
  timeline_api_->controlClock(exercise_, client::ClockAction::start);
}

void MainWindow::pauseClock() {
  timeline_api_->controlClock(exercise_, client::ClockAction::pause);
}

void MainWindow::resumeClock() {
  timeline_api_->controlClock(exercise_, client::ClockAction::resume);
}

void MainWindow::setSpeed() {
  timeline_api_->controlClock(exercise_, client::ClockAction::set_speed, speed_->value());
}

void MainWindow::setClockSpeed(double speed) {
  speed_->setValue(speed);
  setSpeed();
}

void MainWindow::pushHint() {
  if (catalog_.objectives.empty()) {
    emit problem(tr("The scenario of this exercise is not loaded yet."));
    return;
  }
  PushHintDialog dialog(catalog_, teams(), language_, this);
  if (dialog.exec() != QDialog::Accepted || dialog.hint().isEmpty()) return;
  for (const QString& team : dialog.teams())
    scoring_api_->pushHint(exercise_, team, dialog.objective(), dialog.hint());
}

void MainWindow::revealSolution() {
  if (catalog_.objectives.empty()) {
    emit problem(tr("The scenario of this exercise is not loaded yet."));
    return;
  }
  const auto solved = [this](const QString& team, const QString& objective) {
    const auto& state = dashboard_model_->state();
    const auto row = state.team_row(team.toStdString());
    const auto col = state.objective_column(objective.toStdString());
    return row && col && state.cell(*row, *col).state == CellState::solved;
  };
  RevealSolutionDialog dialog(catalog_, teams(), language_, solved, this);
  if (dialog.exec() != QDialog::Accepted || dialog.objective().isEmpty()) return;
  for (const QString& team : dialog.teams())
    scoring_api_->revealSolution(exercise_, team, dialog.objective());
}

void MainWindow::chooseOption() {
  const QModelIndex row = timeline_filter_->mapToSource(timeline_view_->currentIndex());
  const client::TimelineItemView* item = row.isValid() ? timeline_model_->at(row.row()) : nullptr;
  if (!item || item->options.empty()) {
    emit problem(tr("Select a decision step in the timeline first."));
    return;
  }
  QStringList options;
  for (const auto& o : item->options) options << QString::fromStdString(o);
  bool chosen = false;
  const QString team = timeline_model_->team_of(row.row());
  const QString option = QInputDialog::getItem(
      this, tr("Choose a branch"),
      tr("Decision %1 of team %2: the branch of the chosen option runs, the others are skipped.")
          .arg(QString::fromStdString(item->item_id), team),
      options, 0, false, &chosen);
  if (!chosen || option.isEmpty()) return;
  timeline_api_->choose(exercise_, team, QString::fromStdString(item->item_id), option);
}

void MainWindow::adjustScore() {
  QStringList objectives;
  for (const auto& o : catalog_.objectives) objectives << QString::fromStdString(o.id);
  AdjustScoreDialog dialog(teams(), objectives, this);
  if (dialog.exec() != QDialog::Accepted) return;
  scoring_api_->adjust(exercise_, dialog.team(), dialog.objective(), dialog.points(),
                       dialog.reason());
}

void MainWindow::gradeReport() {
  GradeDialog dialog(catalog_, teams(), language_, this);
  dialog.showReportsOf(session_->connection(), exercise_);
  dialog.offerMoment(recordings_->evidenceLink());
  if (dialog.exec() != QDialog::Accepted) return;
  scoring_api_->gradeRubric(exercise_, dialog.team(), dialog.objective(), dialog.item(),
                            dialog.note(), dialog.evidence());
}

void MainWindow::runChecks() { exercise_api_->runChecks(exercise_); }

void MainWindow::resetTeamRange() {
  if (exercise_.isEmpty() || teams().isEmpty()) return;
  bool chosen = false;
  const QString team = QInputDialog::getItem(
      this, tr("Reset a team's range"),
      tr("Every guest of the team's range goes back to the state it had when the range was "
         "ready; what the team changed in its guests is lost. Scores, reports and the timeline "
         "are kept.\n\nTeam:"),
      teams(), 0, false, &chosen);
  if (!chosen || team.isEmpty()) return;
  exercise_api_->resetTeam(exercise_, team);
}

void MainWindow::joinCodes() {
  if (exercise_.isEmpty()) return;
  JoinCodesDialog dialog(session_, exercise_, this);
  dialog.exec();
}

void MainWindow::setBoardMode(int index) {
  const auto mode = static_cast<client::BoardMode>(board_mode_->itemData(index).toInt());
  scoring_api_->setMode(exercise_, mode);
}

void MainWindow::exportReport() {
  const QString base =
      QFileDialog::getSaveFileName(this, tr("Export the after-action report"),
                                   exercise_ + QStringLiteral("-report.pdf"), tr("PDF (*.pdf)"));
  if (base.isEmpty()) return;
  ReportInput input{summary_, catalog_, dashboard_model_->state(),
                    dashboard_view_->chart()->render(QSize(1200, 600))};
  auto written = write_report(input, base);
  if (!written.ok()) {
    emit problem(QString::fromStdString(written.error().message));
    return;
  }
  emit notice(tr("Report written: %1").arg(base));
}

}  // namespace cyrange::console
