#include <trainee-client/app/courses_window.h>

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include <client-qt/course_adapter.h>
#include <client-qt/session.h>
#include <client-qt/translations.h>
#include <trainee-client/app/course_table_model.h>
#include <trainee-client/app/run_session.h>

namespace cyrange::trainee {

CoursesWindow::CoursesWindow(qt::Session* session, qt::Profile profile, QWidget* parent)
    : QMainWindow(parent),
      session_(session),
      profile_(std::move(profile)),
      model_(new CourseTableModel(this)),
      table_(new QTableView),
      notice_(new QLabel),
      status_(new QLabel),
      start_(new QPushButton(tr("Start"))),
      end_(new QPushButton(tr("End run…"))),
      runs_(new qt::CourseAdapter(session, this)) {
  setObjectName(QStringLiteral("courses"));
  setWindowTitle(tr("Self-paced courses — cyrange"));
  auto* heading = new QLabel(tr("Self-paced courses"));
  QFont bigger = heading->font();
  bigger.setPointSizeF(bigger.pointSizeF() * 1.4);
  bigger.setBold(true);
  heading->setFont(bigger);
  auto* explain = new QLabel(
      tr("Take a course alone, at your own pace, on your own range. Pausing saves the range "
         "to disk; resume it on another day, before the date in the last column."));
  explain->setWordWrap(true);
  notice_->setObjectName(QStringLiteral("notice"));
  notice_->setWordWrap(true);
  notice_->setFrameShape(QFrame::StyledPanel);
  notice_->setMargin(6);
  notice_->hide();
  status_->setObjectName(QStringLiteral("run-status"));
  status_->setWordWrap(true);

  table_->setObjectName(QStringLiteral("course-table"));
  table_->setModel(model_);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setSectionResizeMode(CourseTableModel::course, QHeaderView::Stretch);
  connect(table_, &QTableView::doubleClicked, this,
          [this](const QModelIndex& index) { startRow(index.row()); });
  connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          &CoursesWindow::update_buttons);
  connect(model_, &QAbstractItemModel::modelReset, this, &CoursesWindow::update_buttons);

  start_->setObjectName(QStringLiteral("start-run"));
  end_->setObjectName(QStringLiteral("end-run"));
  auto* refresh_button = new QPushButton(tr("Refresh"));
  connect(start_, &QPushButton::clicked, this, &CoursesWindow::start_selected);
  connect(end_, &QPushButton::clicked, this, &CoursesWindow::end_selected);
  connect(refresh_button, &QPushButton::clicked, this, &CoursesWindow::refresh);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(start_);
  buttons->addWidget(end_);
  buttons->addStretch();
  buttons->addWidget(refresh_button);

  auto* central = new QWidget;
  auto* layout = new QVBoxLayout(central);
  layout->addWidget(heading);
  layout->addWidget(explain);
  layout->addWidget(notice_);
  layout->addWidget(table_, 1);
  layout->addWidget(status_);
  layout->addLayout(buttons);
  setCentralWidget(central);
  resize(860, 420);

  // Every change of the trainee's runs (state, place in the queue, results) arrives by itself.
  connect(runs_, &qt::CourseAdapter::runChanged, this, &CoursesWindow::run_changed);
  connect(runs_, &qt::CourseAdapter::watchEnded, this, [this](const client::StreamEnd& end) {
    if (end.reason == client::StreamEnd::Reason::failed) show_failure(end.error);
  });
  runs_->watchRuns();
  update_buttons();
}

CoursesWindow::~CoursesWindow() = default;

void CoursesWindow::setNotice(const QString& text) {
  notice_->setText(text);
  notice_->setVisible(!text.isEmpty());
}

QString CoursesWindow::status() const { return status_->text(); }

void CoursesWindow::show_failure(const Error& error) {
  awaited_.reset();
  status_->setText(qt::localized(error));
  update_buttons();
}

void CoursesWindow::refresh() {
  const client::CourseClient courses(session_->connection());
  relay_.then<std::vector<client::CourseInfo>>(
      courses.courses_async(), [this](const Expected<std::vector<client::CourseInfo>>& listed) {
        if (!listed) return show_failure(listed.error());
        relay_.then<std::vector<client::CourseRunInfo>>(
            client::CourseClient(session_->connection()).runs_async(),
            [this, listed = *listed](const Expected<std::vector<client::CourseRunInfo>>& runs) {
              if (!runs) return show_failure(runs.error());
              const int selected =
                  table_->selectionModel()->hasSelection() ? table_->currentIndex().row() : 0;
              model_->set(listed, *runs);
              if (model_->rowCount() > 0)
                table_->selectRow(std::min(selected, model_->rowCount() - 1));
              follow_awaited();
              update_buttons();
              emit refreshed();
            });
      });
}

void CoursesWindow::run_changed(const client::CourseRunInfo& run) {
  if (model_->updateRun(run) < 0) return;
  if (awaited_ && *awaited_ == run.id) follow_awaited();
  update_buttons();
}

void CoursesWindow::follow_awaited() {
  if (!awaited_) return;
  const int row = model_->rowOfRun(*awaited_);
  if (row < 0) return;  // not listed yet: the list or the watch brings it
  const auto& run = *model_->runAt(row);
  if (run.state == client::RunState::running) {
    awaited_.reset();
    startRow(row);  // the ticket of a running run opens the day
  } else {
    if (!CourseTableModel::isOpen(run)) awaited_.reset();
    status_->setText(CourseTableModel::stateText(run));
  }
}

void CoursesWindow::startRow(int row) {
  if (row < 0 || row >= model_->rowCount() || run_session_) return;
  const auto& course = model_->courseAt(row);
  start_->setEnabled(false);
  status_->setText(tr("Asking the server for your range…"));
  relay_.then<client::RunTicketInfo>(
      client::CourseClient(session_->connection()).start_async(course.id),
      [this](const Expected<client::RunTicketInfo>& ticket) {
        update_buttons();
        if (!ticket) return show_failure(ticket.error());
        handle_ticket(*ticket);
      });
}

void CoursesWindow::start_selected() {
  if (table_->selectionModel()->hasSelection()) startRow(table_->currentIndex().row());
}

void CoursesWindow::handle_ticket(const client::RunTicketInfo& ticket) {
  if (ticket.run.state == client::RunState::running && !ticket.token.empty()) {
    open_run(ticket);
    return;
  }
  // Queued or being prepared: WatchRuns follows it until it runs, then its ticket is asked
  // for again.
  awaited_ = ticket.run.id;
  update_buttons();
  status_->setText(CourseTableModel::stateText(ticket.run));
  follow_awaited();
}

void CoursesWindow::open_run(const client::RunTicketInfo& ticket) {
  auto opened = RunSession::open(session_, ticket, profile_);
  if (!opened) return show_failure(opened.error());
  run_session_ = std::move(*opened);
  connect(run_session_.get(), &RunSession::finished, this, &CoursesWindow::run_finished);
  status_->clear();
  hide();
  emit runOpened();
}

void CoursesWindow::run_finished(const QString& message) {
  // The signal comes from the session itself: it goes once its slot has returned.
  run_session_.release()->deleteLater();
  setNotice(message);
  show();
  refresh();
}

void CoursesWindow::end_selected() {
  if (!table_->selectionModel()->hasSelection()) return;
  const int row = table_->currentIndex().row();
  const auto& run = model_->runAt(row);
  if (!run) return;
  const auto answer = QMessageBox::question(
      this, tr("End run"),
      tr("End your run of \"%1\"? Its range is removed and cannot be resumed; your results "
         "are kept.")
          .arg(model_->data(model_->index(row, CourseTableModel::course)).toString()));
  if (answer != QMessageBox::Yes) return;
  relay_.then<client::CourseRunInfo>(
      client::CourseClient(session_->connection()).end_async(run->id),
      [this](const Expected<client::CourseRunInfo>& ended) {
        if (!ended) return show_failure(ended.error());
        status_->setText(CourseTableModel::stateText(*ended));
        refresh();
      });
}

void CoursesWindow::update_buttons() {
  const bool selected = table_->selectionModel()->hasSelection();
  const auto* run = selected && model_->runAt(table_->currentIndex().row())
                        ? &*model_->runAt(table_->currentIndex().row())
                        : nullptr;
  const bool waiting =
      run && (run->state == client::RunState::queued || run->state == client::RunState::starting);
  start_->setEnabled(selected && !waiting && !awaited_ && !run_session_);
  if (run && run->state == client::RunState::paused)
    start_->setText(tr("Resume"));
  else if (run && run->state == client::RunState::running)
    start_->setText(tr("Open"));
  else
    start_->setText(tr("Start"));
  end_->setEnabled(run &&
                   (CourseTableModel::isOpen(*run) || run->state == client::RunState::paused));
}

}  // namespace cyrange::trainee
