#pragma once

#include <memory>

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <client-core/course_client.h>
#include <client-qt/gui_relay.h>
#include <client-qt/sign_in/profiles.h>

class QAction;
class QLabel;

namespace cyrange::qt {
class Session;
}

namespace cyrange::trainee {

class TraineeApp;

/// One self-paced run open in the trainee's day window. The run has its own connection,
/// signed in with the run's token (it acts for the run's team in the run's exercise only),
/// and the same views as a training day (consent first, then tasks, inbox, terminals and
/// report). A toolbar adds "Pause and save" and the date the range is removed. Closing the
/// window pauses the run as the button does: the server saves every guest to disk and stops
/// the clock. While the trainee types or clicks, KeepAlive tells the server once a minute,
/// so the idle pause only takes runs nobody works in.
class RunSession : public QObject {
  Q_OBJECT

 public:
  /// Opens the run's connection with `ticket.token` (same server and CA as `home`) and
  /// starts the day. `home` is the trainee's own session; it must outlive this object.
  static Expected<std::unique_ptr<RunSession>> open(qt::Session* home,
                                                    const client::RunTicketInfo& ticket,
                                                    const qt::Profile& profile);
  ~RunSession() override;

  /// The day on the run's connection (its window once consent was answered).
  TraineeApp* app() const { return app_.get(); }
  const client::CourseRunInfo& run() const { return run_; }
  /// True from the pause request until the window closed.
  bool pausing() const { return pausing_; }

 public slots:
  /// Asks the server to save the run; the window closes when it has (finished()).
  void pause();

 signals:
  /// The window is gone; `message` says what became of the run (saved, or paused by the
  /// server after the trainee was idle).
  void finished(const QString& message);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  RunSession(qt::Session* home, client::RunTicketInfo ticket, const qt::Profile& profile,
             client::Connection run_link);
  void add_run_controls();
  void keep_alive();
  void close_with(const QString& message);

  qt::Session* home_;
  client::RunTicketInfo ticket_;
  client::CourseRunInfo run_;
  std::unique_ptr<qt::Session> session_;
  std::unique_ptr<TraineeApp> app_;
  QTimer keep_alive_timer_;
  bool active_since_last_ = false;
  bool pausing_ = false;
  QPointer<QAction> pause_action_;
  QPointer<QLabel> run_status_;
  qt::GuiRelay relay_;
};

}  // namespace cyrange::trainee
