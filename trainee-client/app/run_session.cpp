#include <trainee-client/app/run_session.h>

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QLabel>
#include <QToolBar>

#include <client-qt/session.h>
#include <client-qt/translations.h>
#include <trainee-client/app/main_window.h>
#include <trainee-client/app/trainee_app.h>

namespace cyrange::trainee {

namespace {

constexpr std::chrono::seconds kKeepAliveEvery{60};

}  // namespace

Expected<std::unique_ptr<RunSession>> RunSession::open(qt::Session* home,
                                                       const client::RunTicketInfo& ticket,
                                                       const qt::Profile& profile) {
  client::ClientOptions options = home->connection().options();
  options.token = ticket.token;
  auto link = client::Connection::open(options);
  if (!link) return link.error();
  return std::unique_ptr<RunSession>(new RunSession(home, ticket, profile, std::move(*link)));
}

RunSession::RunSession(qt::Session* home, client::RunTicketInfo ticket, const qt::Profile& profile,
                       client::Connection run_link)
    : home_(home),
      ticket_(std::move(ticket)),
      run_(ticket_.run),
      session_(std::make_unique<qt::Session>(std::move(run_link))),
      app_(std::make_unique<TraineeApp>(session_.get(), profile)) {
  connect(app_.get(), &TraineeApp::windowShown, this, &RunSession::add_run_controls);
  keep_alive_timer_.setInterval(kKeepAliveEvery);
  connect(&keep_alive_timer_, &QTimer::timeout, this, &RunSession::keep_alive);
  keep_alive_timer_.start();
  qApp->installEventFilter(this);
  app_->start({QString::fromStdString(run_.exercise_id), QString::fromStdString(run_.team),
               QString::fromStdString(run_.user)});
}

RunSession::~RunSession() {
  qApp->removeEventFilter(this);
  app_.reset();  // the window and its streams go before the connection they use
  session_.reset();
}

void RunSession::add_run_controls() {
  MainWindow* window = app_->window();
  if (!window || pause_action_) return;
  window->installEventFilter(this);
  auto* bar = window->addToolBar(tr("Self-paced run"));
  bar->setObjectName(QStringLiteral("run-controls"));
  bar->setMovable(false);
  pause_action_ = bar->addAction(tr("Pause and save"), this, &RunSession::pause);
  pause_action_->setObjectName(QStringLiteral("pause-run"));
  pause_action_->setToolTip(
      tr("Saves your range to disk and stops the clock; resume it from the course list, "
         "on any day before the range is removed."));
  run_status_ = new QLabel(bar);
  run_status_->setObjectName(QStringLiteral("run-status"));
  run_status_->setText(tr("Your range is kept until %1.")
                           .arg(QDateTime::fromMSecsSinceEpoch(run_.expires_at_unix_ms)
                                    .toLocalTime()
                                    .toString(QStringLiteral("yyyy-MM-dd HH:mm"))));
  bar->addSeparator();
  bar->addWidget(run_status_);
}

bool RunSession::eventFilter(QObject* watched, QEvent* event) {
  switch (event->type()) {
    case QEvent::KeyPress:
    case QEvent::MouseButtonPress:
    case QEvent::Wheel:
      active_since_last_ = true;
      break;
    case QEvent::Close:
      // Closing the window pauses the run; it closes once the server saved it.
      if (app_ && watched == app_->window()) {
        event->ignore();
        pause();
        return true;
      }
      break;
    default:
      break;
  }
  return QObject::eventFilter(watched, event);
}

void RunSession::keep_alive() {
  if (!active_since_last_ || pausing_) return;
  active_since_last_ = false;
  relay_.then<client::CourseRunInfo>(
      client::CourseClient(home_->connection()).keep_alive_async(run_.id),
      [this](const Expected<client::CourseRunInfo>& answer) {
        if (!answer) return;  // a lost link: the next minute tries again
        run_ = *answer;
        if (answer->state == client::RunState::paused && !pausing_)
          close_with(
              tr("The run was paused after a long time without activity. Your range "
                 "is saved; resume it from the course list."));
      });
}

void RunSession::pause() {
  if (pausing_) return;
  pausing_ = true;
  if (pause_action_) pause_action_->setEnabled(false);
  if (run_status_) run_status_->setText(tr("Saving your range to disk…"));
  relay_.then<client::CourseRunInfo>(
      client::CourseClient(home_->connection()).pause_async(run_.id),
      [this](const Expected<client::CourseRunInfo>& answer) {
        if (!answer) {
          pausing_ = false;
          if (pause_action_) pause_action_->setEnabled(true);
          if (run_status_)
            run_status_->setText(
                tr("The run could not be paused: %1").arg(qt::localized(answer.error())));
          return;
        }
        run_ = *answer;
        close_with(
            tr("Your range is saved and the clock is stopped. Resume the run from the "
               "course list whenever you are ready."));
      });
}

void RunSession::close_with(const QString& message) {
  pausing_ = true;
  keep_alive_timer_.stop();
  if (MainWindow* window = app_ ? app_->window() : nullptr) window->removeEventFilter(this);
  app_.reset();
  emit finished(message);
}

}  // namespace cyrange::trainee
