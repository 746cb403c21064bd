#include <trainee-client/app/main_window.h>

#include <QActionGroup>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

#include <client-qt/exercise_adapter.h>
#include <client-qt/link_indicator.h>
#include <client-qt/scoring_adapter.h>
#include <client-qt/session.h>
#include <client-qt/timeline_adapter.h>
#include <client-qt/translations.h>
#include <trainee-client/app/inbox_view.h>
#include <trainee-client/app/report_editor.h>
#include <trainee-client/app/scoreboard_view.h>
#include <trainee-client/app/tasks_panel.h>
#include <trainee-client/app/terminal_tab.h>
#include <trainee-client/app/watch_bar.h>

namespace cyrange::trainee {

MainWindow::MainWindow(qt::Session* session, Day day, QWidget* parent)
    : QMainWindow(parent),
      session_(session),
      day_(std::move(day)),
      exercise_(new qt::ExerciseAdapter(session, this)),
      scoring_(new qt::ScoringAdapter(session, this)),
      timeline_(new qt::TimelineAdapter(session, this)),
      tasks_(new TasksPanel(session, day_, this)),
      inbox_(new InboxView(session, this)),
      report_(new ReportEditor(session, day_, this)),
      scoreboard_(new ScoreboardView(this)),
      watch_bar_(new WatchBar(session, day_.exercise, this)),
      tabs_(new QTabWidget(this)),
      title_(new QLabel(this)),
      recording_(new QLabel(this)),
      waiting_(new QLabel(this)),
      score_(new QLabel(this)) {
  setObjectName(QStringLiteral("trainee-window"));
  setWindowTitle(tr("cyrange — training day %1, team %2").arg(day_.exercise, day_.team));
  resize(1280, 800);

  title_->setText(tr("Exercise %1 · team %2 · %3").arg(day_.exercise, day_.team, day_.user));
  auto* header = new QWidget(this);
  auto* header_layout = new QVBoxLayout(header);
  header_layout->setContentsMargins(6, 4, 6, 0);
  header_layout->addWidget(title_);

  tabs_->setObjectName(QStringLiteral("tabs"));
  tabs_->addTab(inbox_, tr("Inbox"));
  tabs_->addTab(report_, tr("Incident report"));
  tabs_->addTab(scoreboard_, tr("Scoreboard"));
  auto* split = new QSplitter(Qt::Horizontal, this);
  split->addWidget(tasks_);
  split->addWidget(tabs_);
  split->setStretchFactor(0, 2);
  split->setStretchFactor(1, 3);
  auto* central = new QWidget(this);
  auto* layout = new QVBoxLayout(central);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(header);
  layout->addWidget(watch_bar_);
  layout->addWidget(split, 1);
  setCentralWidget(central);

  // Always visible: the link, what is recorded, what waits, the score.
  recording_->setObjectName(QStringLiteral("recording"));
  waiting_->setObjectName(QStringLiteral("waiting"));
  score_->setObjectName(QStringLiteral("score"));
  statusBar()->addPermanentWidget(score_);
  statusBar()->addPermanentWidget(recording_);
  statusBar()->addPermanentWidget(waiting_);
  auto* link = new qt::LinkIndicator(session_, this);
  statusBar()->addPermanentWidget(link);
  connect(session_, &qt::Session::connectivityChanged, this, &MainWindow::show_link);
  setRecording({});
  setWaitingEvents(0);
  build_menus();

  connect(scoring_, &qt::ScoringAdapter::boardUpdated, scoreboard_, &ScoreboardView::apply);
  connect(scoreboard_, &ScoreboardView::totalChanged, this, [this](int total) {
    score_->setText(tr("Score: %1").arg(total));
    tasks_->refresh();
  });
  score_->setText(tr("Score: %1").arg(0));
  connect(tasks_, &TasksPanel::action, this, &MainWindow::action);
  connect(report_, &ReportEditor::action, this, &MainWindow::action);
  connect(inbox_, &InboxView::arrived, this, [this](const QString& subject) {
    statusBar()->showMessage(tr("New message: %1").arg(subject), 10000);
    if (tabs_->currentWidget() != inbox_)
      tabs_->setTabText(tabs_->indexOf(inbox_), tr("Inbox (new)"));
  });
  connect(tabs_, &QTabWidget::currentChanged, this, [this](int index) {
    QWidget* page = tabs_->widget(index);
    if (page == inbox_) tabs_->setTabText(index, tr("Inbox"));
    if (auto* terminal = qobject_cast<TerminalTab*>(page); terminal && !terminal->isOpen())
      terminal->open();
    emit action(client::TraineeEventKind::focus, QStringLiteral("tab:") + page->objectName(),
                QString());
  });
  connect(
      exercise_, &qt::ExerciseAdapter::ranges, this,
      [this](quint64, const std::vector<client::TeamRangeView>& ranges) { add_terminals(ranges); });
  connect(watch_bar_, &WatchBar::problem, this,
          [this](const QString& message) { statusBar()->showMessage(message, 15000); });
  connect(exercise_, &qt::ExerciseAdapter::failed, this, [this](quint64, const Error& error) {
    statusBar()->showMessage(qt::localized(error), 15000);
  });

  // A task appears when the timeline opens its objective.
  connect(timeline_, &qt::TimelineAdapter::changed, this,
          [this](const client::TimelineChange& change) {
            if (change.item.kind == client::ItemKind::objective &&
                change.item.state == client::ItemState::done)
              tasks_->refresh();
          });

  inbox_->watch(day_.exercise);
  timeline_->watch(day_.exercise, day_.team);
  scoring_->watch(day_.exercise);
  exercise_->listRanges(day_.exercise);
  tasks_->refresh();
  report_->load();
}

MainWindow::~MainWindow() = default;

TerminalTab* MainWindow::terminal(const QString& host) const {
  auto it = terminals_.find(host);
  return it == terminals_.end() ? nullptr : it->second;
}

QStringList MainWindow::terminalHosts() const {
  QStringList hosts;
  for (const auto& [host, tab] : terminals_) hosts << host;
  return hosts;
}

void MainWindow::build_menus() {
  auto* day_menu = menuBar()->addMenu(tr("&Day"));
  day_menu->addAction(tr("Recording and consent…"), this, &MainWindow::consentRequested);
  auto* language = day_menu->addMenu(tr("Language"));
  auto* group = new QActionGroup(this);
  for (const auto& [code, name] : {std::pair{QStringLiteral("ja"), QStringLiteral("日本語")},
                                   std::pair{QStringLiteral("en"), QStringLiteral("English")}}) {
    auto* item = language->addAction(name);
    item->setCheckable(true);
    item->setChecked((qt::current_language() == client::Language::ja) ==
                     (code == QStringLiteral("ja")));
    group->addAction(item);
    connect(item, &QAction::triggered, this, [this, code] {
      QSettings().setValue(QStringLiteral("language"), code);
      QMessageBox::information(this, tr("Language"),
                               tr("The new language applies the next time you start "
                                  "cyrange-trainee."));
      emit languageChosen(code);
    });
  }
  day_menu->addSeparator();
  day_menu->addAction(tr("&Quit"), this, &QWidget::close);
}

void MainWindow::add_terminals(const std::vector<client::TeamRangeView>& ranges) {
  for (const auto& range : ranges) {
    if (range.exercise != day_.exercise.toStdString()) continue;
    for (const auto& host : range.hosts) {
      if (!host.trainee_terminal) continue;
      const QString name = QString::fromStdString(host.name);
      if (terminals_.contains(name)) continue;
      client::TerminalTarget target{range.exercise, range.team, host.name};
      auto* tab = new TerminalTab(session_, target, this);
      terminals_[name] = tab;
      tabs_->insertTab(1 + static_cast<int>(terminals_.size()) - 1, tab,
                       tr("Terminal: %1").arg(name));
    }
  }
  emit terminalsReady();
}

void MainWindow::setRecording(const QString& what) {
  if (what.isEmpty()) {
    recording_->setText(tr("○ not recording"));
    recording_->setToolTip(
        tr("Nothing you do is recorded: you have not agreed to recording. "
           "Day > Recording and consent changes this."));
  } else {
    recording_->setText(tr("● recording"));
    recording_->setToolTip(what);
  }
}

void MainWindow::setWaitingEvents(quint64 count) {
  waiting_count_ = count;
  if (count == 0) {
    waiting_->setText(online_ ? QString() : tr("offline: nothing waiting"));
  } else {
    waiting_->setText(online_ ? tr("%n event(s) being sent", "", static_cast<int>(count))
                              : tr("offline: %n event(s) kept on this computer, sent when the "
                                   "server is back",
                                   "", static_cast<int>(count)));
  }
}

void MainWindow::show_link(const client::ConnectivityState& state) {
  online_ = state.state == client::Connectivity::connected;
  setWaitingEvents(waiting_count_);
}

}  // namespace cyrange::trainee
