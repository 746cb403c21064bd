#include <trainee-client/app/trainee_app.h>

#include <filesystem>

#include <QApplication>
#include <QDir>
#include <QMessageBox>
#include <QStandardPaths>

#include <client-qt/recording/input_recorder.h>
#include <client-qt/session.h>
#include <client-qt/translations.h>
#include <trainee-client/app/consent_dialog.h>
#include <trainee-client/app/main_window.h>
#include <trainee-client/app/terminal_tab.h>
#include <client-qt/terminal/terminal_view.h>

namespace cyrange::trainee {

namespace {

// The recorder's durable buffer: one folder per exercise and trainee, kept across restarts
// so that what the server has not acknowledged is sent when the app starts again.
std::filesystem::path buffer_dir(const Day& day) {
  const QString base = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
  return std::filesystem::path(base.toStdString()) / "recording" /
         (day.exercise + QLatin1Char('_') + day.user).toStdString();
}

}  // namespace

TraineeApp::TraineeApp(qt::Session* session, qt::Profile profile, QObject* parent)
    : QObject(parent), session_(session), profile_(std::move(profile)) {}

TraineeApp::~TraineeApp() {
  // The filter goes first, then the window it watches, then the sender.
  input_.reset();
  window_.reset();
  recorder_.reset();
}

void TraineeApp::start(const Day& day) {
  day_ = day;
  ask_consent();
}

ConsentDialog* TraineeApp::consentDialog() const { return consent_.data(); }

bool TraineeApp::recording() const { return input_ && input_->isRecording(); }

void TraineeApp::ask_consent() {
  if (consent_) return;
  consent_ = new ConsentDialog(session_, day_.exercise, window_.get());
  consent_->setAttribute(Qt::WA_DeleteOnClose);
  connect(consent_, &ConsentDialog::ready, this, &TraineeApp::consentAsked);
  connect(consent_, &QDialog::accepted, this, [this] { apply(consent_->agreed()); });
  connect(consent_, &QDialog::rejected, this, [this] {
    // Closing the dialog without a choice records nothing; the day goes on.
    if (!window_) apply({});
  });
  consent_->load();
  consent_->open();
}

void TraineeApp::apply(const std::set<client::ConsentPurpose>& agreed) {
  if (!window_) {
    window_ = std::make_unique<MainWindow>(session_, day_);
    connect(window_.get(), &MainWindow::consentRequested, this, &TraineeApp::ask_consent);
    window_->show();
  }
  if (agreed.contains(client::ConsentPurpose::scoring)) {
    start_recording();
  } else {
    stop_recording();
  }
  emit windowShown();
}

void TraineeApp::start_recording() {
  if (recording()) return;
  if (!recorder_) {
    auto buffer = client::EventBuffer::open({buffer_dir(day_)});
    if (!buffer) {
      QMessageBox::warning(window_.get(), tr("Recording"),
                           tr("Recording cannot start: %1").arg(qt::localized(buffer.error())));
      return;
    }
    recorder_ =
        std::make_unique<client::RecorderClient>(session_->connection(), std::move(*buffer));
  }
  input_ = std::make_unique<qt::InputRecorder>(*recorder_, day_.exercise);
  connect(window_.get(), &MainWindow::action, input_.get(), &qt::InputRecorder::recordAction);
  connect(input_.get(), &qt::InputRecorder::descriptionChanged, window_.get(),
          &MainWindow::setRecording);
  connect(input_.get(), &qt::InputRecorder::waitingEventsChanged, window_.get(),
          &MainWindow::setWaitingEvents);
  for (const QString& host : window_->terminalHosts())
    qt::InputRecorder::setTerminalHost(window_->terminal(host)->view(), host);
  connect(window_.get(), &MainWindow::terminalsReady, input_.get(), [this] {
    for (const QString& host : window_->terminalHosts())
      qt::InputRecorder::setTerminalHost(window_->terminal(host)->view(), host);
  });
  input_->start();
}

void TraineeApp::stop_recording() {
  if (input_) input_->stop();
  input_.reset();
  if (window_) {
    window_->setRecording({});
    window_->setWaitingEvents(0);
  }
  if (recorder_) {
    // Withdrawn: what waited on this computer is deleted with the server's copy.
    recorder_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(buffer_dir(day_), ignored);
  }
}

void TraineeApp::explainAndQuit(const QString& why) {
  QMessageBox::critical(nullptr, tr("cyrange-trainee"), why);
  QApplication::exit(1);
}

}  // namespace cyrange::trainee
