#include <console/app/main_window.h>

#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QHeaderView>
#include <QLabel>
#include <QListView>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

#include <client-qt/link_indicator.h>
#include <console/app/cohort_panel.h>
#include <console/app/exercise_list_model.h>
#include <console/app/provisioning_model.h>
#include <console/app/recordings_panel.h>
#include <console/app/team_panel.h>
#include <console/app/timeline_model.h>
#include <console/dialogs/create_exercise_dialog.h>
#include <console/models/dashboard_model.h>
#include <console/models/team_selection.h>
#include <console/widgets/dashboard_view.h>
#include <console/widgets/progress_delegate.h>

namespace cyrange::console {

MainWindow::MainWindow(qt::Session* session, client::Caller caller, client::Language language,
                       QWidget* parent)
    : QMainWindow(parent), session_(session), caller_(std::move(caller)), language_(language) {
  setWindowTitle(tr("cyrange console — %1").arg(QString::fromStdString(caller_.name)));
  exercise_api_ = new qt::ExerciseAdapter(session_, this);
  scoring_api_ = new qt::ScoringAdapter(session_, this);
  timeline_api_ = new qt::TimelineAdapter(session_, this);

  // Exercises, on the left.
  exercises_ = new ExerciseListModel(this);
  exercises_->set_language(language_);
  exercise_view_ = new QListView(this);
  exercise_view_->setModel(exercises_);
  exercise_view_->setSelectionMode(QAbstractItemView::SingleSelection);
  exercise_view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  auto* side = new QWidget(this);
  auto* side_layout = new QVBoxLayout(side);
  side_layout->addWidget(exercise_view_, 1);
  auto* refresh = new QPushButton(tr("Refresh"), side);
  auto* create = new QPushButton(tr("New exercise…"), side);
  auto* end = new QPushButton(tr("End exercise…"), side);
  side_layout->addWidget(refresh);
  side_layout->addWidget(create);
  side_layout->addWidget(end);
  auto* dock = new QDockWidget(tr("Exercises"), this);
  dock->setObjectName(QStringLiteral("exercises"));
  dock->setWidget(side);
  addDockWidget(Qt::LeftDockWidgetArea, dock);
  connect(refresh, &QPushButton::clicked, this, &MainWindow::refreshExercises);
  connect(create, &QPushButton::clicked, this, &MainWindow::newExercise);
  connect(end, &QPushButton::clicked, this, &MainWindow::endExercise);
  connect(exercise_view_->selectionModel(), &QItemSelectionModel::currentChanged, this,
          [this](const QModelIndex& current) {
            if (current.isValid()) openExercise(current.data(ExerciseListModel::IdRole).toString());
          });

  // The selected exercise, in tabs.
  tabs_ = new QTabWidget(this);
  recordings_ = new RecordingsPanel(session_, language_, this);
  team_panel_ = new TeamPanel(session_, this);
  replace_dashboard();
  timeline_model_ = new TimelineModel(this);
  timeline_filter_ = new QSortFilterProxyModel(this);
  timeline_filter_->setSourceModel(timeline_model_);
  timeline_filter_->setFilterKeyColumn(TimelineModel::Team);
  timeline_view_ = new QTableView(this);
  timeline_view_->setModel(timeline_filter_);
  timeline_view_->setSortingEnabled(true);
  timeline_view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  timeline_view_->horizontalHeader()->setStretchLastSection(true);
  auto* timeline_page = new QWidget(this);
  auto* timeline_layout = new QVBoxLayout(timeline_page);
  auto* timeline_buttons = new QToolBar(timeline_page);
  auto* fire = timeline_buttons->addAction(tr("Fire now"));
  auto* skip = timeline_buttons->addAction(tr("Skip"));
  timeline_buttons->addAction(tr("Choose option…"), this, &MainWindow::chooseOption);
  timeline_layout->addWidget(timeline_buttons);
  timeline_layout->addWidget(timeline_view_, 1);
  tabs_->addTab(timeline_page, tr("Timeline"));
  connect(fire, &QAction::triggered, this, [this] {
    const QModelIndex row = timeline_filter_->mapToSource(timeline_view_->currentIndex());
    if (!row.isValid()) return;
    timeline_api_->fire(exercise_, timeline_model_->team_of(row.row()),
                        row.data(TimelineModel::ItemRole).toString());
  });
  connect(skip, &QAction::triggered, this, [this] {
    const QModelIndex row = timeline_filter_->mapToSource(timeline_view_->currentIndex());
    if (!row.isValid()) return;
    timeline_api_->skip(exercise_, timeline_model_->team_of(row.row()),
                        row.data(TimelineModel::ItemRole).toString(),
                        tr("Skipped by %1").arg(QString::fromStdString(caller_.name)));
  });
  provisioning_model_ = new ProvisioningModel(this);
  auto* provisioning_view = new QTableView(this);
  provisioning_view->setModel(provisioning_model_);
  provisioning_view->setItemDelegateForColumn(
      ProvisioningModel::Progress,
      new ProgressDelegate(ProvisioningModel::PercentRole, ProvisioningModel::FailedRole,
                           provisioning_view));
  provisioning_view->horizontalHeader()->setStretchLastSection(true);
  // A few rows per team: fitted as they come, so "(whole range)" is not wrapped.
  connect(provisioning_model_, &QAbstractItemModel::rowsInserted, provisioning_view,
          [provisioning_view] { provisioning_view->resizeColumnsToContents(); });
  tabs_->addTab(provisioning_view, tr("Provisioning"));
  tabs_->addTab(team_panel_, tr("Team"));
  tabs_->addTab(recordings_, tr("Recordings"));
  connect(recordings_, &RecordingsPanel::problem, this, &MainWindow::problem);
  connect(team_panel_, &TeamPanel::problem, this, &MainWindow::problem);
  connect(team_panel_, &TeamPanel::recordingsRequested, this, [this](const QString& team) {
    recordings_->setTeam(team);
    tabs_->setCurrentWidget(recordings_);
  });
  connect(team_panel_, &TeamPanel::evidenceRequested, this, [this](const QString& link) {
    if (recordings_->openEvidence(link)) tabs_->setCurrentWidget(recordings_);
  });
  // Self-paced runs are not one exercise's: the tab shows the whole cohort, read when shown.
  if (caller_.role == client::Role::instructor || caller_.role == client::Role::admin) {
    cohort_ = new CohortPanel(session_, language_, this);
    tabs_->addTab(cohort_, tr("Self-paced"));
    connect(cohort_, &CohortPanel::problem, this, &MainWindow::problem);
    connect(cohort_, &CohortPanel::notice, this, &MainWindow::notice);
  }
  setCentralWidget(tabs_);

  // The connection and the clock, at the bottom.
  clock_label_ = new QLabel(this);
  statusBar()->addPermanentWidget(clock_label_);
  statusBar()->addPermanentWidget(new qt::LinkIndicator(session_, this));
  connect(this, &MainWindow::problem, this,
          [this](const QString& m) { statusBar()->showMessage(m, 15000); });
  connect(this, &MainWindow::notice, this,
          [this](const QString& m) { statusBar()->showMessage(m, 8000); });

  build_actions();

  // Answers of the adapters.
  connect(
      exercise_api_, &qt::ExerciseAdapter::exercises, this,
      [this](quint64, const std::vector<client::ExerciseSummary>& list) { exercises_->set(list); });
  connect(exercise_api_, &qt::ExerciseAdapter::exercise, this,
          [this](quint64, const client::ExerciseSummary& e) { show_exercise(e); });
  connect(exercise_api_, &qt::ExerciseAdapter::failed, this,
          [this](quint64 ticket, const Error& e) {
            show_error(e);
            // A server without exercise records (or an older one) still streams its board.
            if (ticket == get_ticket_) watch_live();
          });
  connect(exercise_api_, &qt::ExerciseAdapter::provisioning, provisioning_model_,
          &ProvisioningModel::apply);
  connect(exercise_api_, &qt::ExerciseAdapter::provisioning, team_panel_,
          &TeamPanel::applyProvisioning);
  connect(exercise_api_, &qt::ExerciseAdapter::provisioning, this,
          [this](const client::ProvisioningStep& s) { dashboard_model_->applyProvisioning(s); });
  connect(provisioning_model_, &ProvisioningModel::teamSettled, this,
          [this](const QString& team, bool ready, const QString& message) {
            if (!resetting_.remove(team)) return;
            if (ready)
              emit notice(tr("The range of team %1 is reset and ready.").arg(team));
            else
              emit problem(tr("Resetting the range of team %1 failed: %2").arg(team, message));
          });
  connect(exercise_api_, &qt::ExerciseAdapter::provisioningEnded, this,
          [this](const client::StreamEnd&) { exercise_api_->get(exercise_); });
  connect(exercise_api_, &qt::ExerciseAdapter::checksRan, this,
          [this](quint64, const std::vector<client::CheckRun>& checks) {
            int passed = 0;
            for (const auto& c : checks) passed += c.passed ? 1 : 0;
            emit notice(tr("Range checks: %1 of %2 passed.").arg(passed).arg(checks.size()));
          });
  connect(exercise_api_, &qt::ExerciseAdapter::teamResetStarted, this,
          [this](quint64, const QString& team) {
            resetting_.insert(team);
            emit notice(tr("Resetting the range of team %1; the Provisioning tab shows its "
                           "progress.")
                            .arg(team));
            exercise_api_->watchProvisioning(exercise_);
            tabs_->setCurrentIndex(2);
          });
  connect(scoring_api_, &qt::ScoringAdapter::boardUpdated, this,
          [this](const client::ScoreboardMessage& m) { dashboard_model_->applyBoard(m); });
  connect(scoring_api_, &qt::ScoringAdapter::boardUpdated, team_panel_, &TeamPanel::boardChanged);
  connect(scoring_api_, &qt::ScoringAdapter::replied, this,
          [this](quint64, const client::ScoringReply& r) { reply_notice(r); });
  connect(scoring_api_, &qt::ScoringAdapter::failed, this,
          [this](quint64, const Error& e) { show_error(e); });
  connect(timeline_api_, &qt::TimelineAdapter::changed, timeline_model_, &TimelineModel::apply);
  connect(timeline_api_, &qt::TimelineAdapter::changed, this,
          [this](const client::TimelineChange& c) { dashboard_model_->applyTimeline(c); });
  connect(timeline_api_, &qt::TimelineAdapter::changed, this,
          [this](const client::TimelineChange& c) {
            clock_label_->setText(tr("Exercise clock %1").arg(exercise_clock(c.exercise_time)));
          });
  connect(timeline_api_, &qt::TimelineAdapter::clockChanged, this,
          [this](quint64, const client::TimelineClock& clock) {
            clock_label_->setText(tr("Exercise clock %1 (x%2%3)")
                                      .arg(exercise_clock(clock.now_seconds))
                                      .arg(clock.speed)
                                      .arg(clock.paused ? tr(", paused") : QString()));
          });
  connect(timeline_api_, &qt::TimelineAdapter::failed, this,
          [this](quint64, const Error& e) { show_error(e); });

  QSettings settings;
  restoreGeometry(settings.value(QStringLiteral("console/geometry")).toByteArray());
  restoreState(settings.value(QStringLiteral("console/state")).toByteArray());
  refreshExercises();
}

MainWindow::~MainWindow() = default;

void MainWindow::replace_dashboard() {
  // One dashboard per exercise: a fresh model cannot mix two exercises' teams.
  auto* model = new DashboardModel(this);
  model->setLanguage(language_);
  auto* view = new DashboardView(model, this);
  if (dashboard_view_) {
    tabs_->removeTab(0);
    dashboard_view_->deleteLater();
    dashboard_model_->deleteLater();
  }
  dashboard_model_ = model;
  dashboard_view_ = view;
  // The recordings and the Team tab follow the team selected on the dashboard.
  connect(view->selection(), &TeamSelection::teamChanged, recordings_,
          [this](const QString& team) { recordings_->setTeam(team); });
  connect(view->selection(), &TeamSelection::teamChanged, team_panel_,
          [this](const QString& team) { team_panel_->setTeam(team); });
  // A grade's evidence in the feed opens the recording at its moment.
  connect(view, &DashboardView::evidenceRequested, this, [this](const QString& link) {
    if (recordings_->openEvidence(link)) tabs_->setCurrentWidget(recordings_);
  });
  // A team's details: the Team tab, on that team (selected everywhere).
  team_panel_->setDashboard(model, view->feedModel());
  connect(view, &DashboardView::teamDetailsRequested, this, [this, view](const QString& team) {
    view->selection()->setTeam(team);  // the Team tab follows the selection
    tabs_->setCurrentWidget(team_panel_);
  });
  tabs_->insertTab(0, view, tr("Dashboard"));
  tabs_->setCurrentIndex(0);
}

void MainWindow::closeEvent(QCloseEvent* event) {
  QSettings settings;
  settings.setValue(QStringLiteral("console/geometry"), saveGeometry());
  settings.setValue(QStringLiteral("console/state"), saveState());
  settings.setValue(QStringLiteral("console/exercise"), exercise_);
  QMainWindow::closeEvent(event);
}

QStringList MainWindow::teams() const {
  QStringList out;
  for (const auto& t : summary_.teams) out << QString::fromStdString(t);
  return out;
}

void MainWindow::show_error(const Error& error) {
  const std::string& text = language_ == client::Language::ja && !error.message_ja.empty()
                                ? error.message_ja
                                : error.message;
  emit problem(QString::fromStdString(text));
}

void MainWindow::reply_notice(const client::ScoringReply& reply) {
  emit notice(QString::fromStdString(reply.message.in(language_)));
}

void MainWindow::refreshExercises() { exercise_api_->list(false); }

void MainWindow::openExercise(const QString& id) {
  if (id == exercise_) return;
  exercise_ = id;
  summary_ = {};
  catalog_ = {};
  replace_dashboard();
  timeline_model_->clear();
  provisioning_model_->clear();
  resetting_.clear();
  recordings_->setExercise(QString(), {});
  team_panel_->setExercise(id);
  live_ = false;
  get_ticket_ = exercise_api_->get(id);
  const int row = exercises_->row_of(id.toStdString());
  if (row >= 0 && exercise_view_->currentIndex().row() != row)
    exercise_view_->setCurrentIndex(exercises_->index(row));
}

void MainWindow::show_exercise(const client::ExerciseSummary& summary) {
  exercises_->upsert(summary);
  if (QString::fromStdString(summary.id) != exercise_) return;
  const bool first = summary_.id.empty();
  summary_ = summary;
  if (!summary.scenario_yaml.empty() && catalog_.id.empty()) {
    if (auto parsed = ScenarioCatalog::parse(summary.scenario_yaml, summary.scenario_file)) {
      catalog_ = std::move(parsed).value();
      std::map<std::string, client::LocalizedText> titles;
      for (const auto& o : catalog_.objectives) titles[o.id] = o.question;
      dashboard_model_->setObjectiveTitles(titles);
      emit catalogLoaded();
    }
  }
  if (first) recordings_->setExercise(exercise_, teams());
  if (first && summary.state == client::ExerciseState::provisioning) {
    exercise_api_->watchProvisioning(exercise_);
    tabs_->setCurrentIndex(2);
  }
  // The board and the timeline exist once the ranges are up.
  if (summary.state == client::ExerciseState::ready ||
      summary.state == client::ExerciseState::ended) {
    watch_live();
  }
}

void MainWindow::watch_live() {
  if (live_ || exercise_.isEmpty()) return;
  live_ = true;
  scoring_api_->watch(exercise_);
  timeline_api_->watch(exercise_);
  if (tabs_->currentIndex() == 2) tabs_->setCurrentIndex(0);
}

}  // namespace cyrange::console
