#pragma once

#include <memory>
#include <set>

#include <QObject>
#include <QPointer>

#include <client-core/privacy_client.h>
#include <client-core/recorder_client.h>
#include <client-qt/sign_in/profiles.h>
#include <trainee-client/app/day.h>

namespace cyrange::qt {
class InputRecorder;
class Session;
}  // namespace cyrange::qt

namespace cyrange::trainee {

class ConsentDialog;
class MainWindow;

/// The trainee's day from sign-in on: consent first (nothing is recorded before the
/// trainee agrees), then the main window; recording runs exactly while the scoring consent
/// is in force. Events go through the recorder client's disk buffer, so a lost link or a
/// restart loses nothing; withdrawing stops the recorder and deletes what waited locally.
class TraineeApp : public QObject {
  Q_OBJECT

 public:
  TraineeApp(qt::Session* session, qt::Profile profile, QObject* parent = nullptr);
  ~TraineeApp() override;

  /// Starts the day: asks for consent, then shows the window.
  void start(const cyrange::trainee::Day& day);
  /// The window, once shown.
  MainWindow* window() const { return window_.get(); }
  /// The consent dialog while it is open (tests answer it).
  ConsentDialog* consentDialog() const;
  /// True while input is recorded.
  bool recording() const;
  /// The recorder client while recording (tests wait on it).
  client::RecorderClient* recorderClient() const { return recorder_.get(); }

  /// Shows `why` and ends the app (no training day to show).
  static void explainAndQuit(const QString& why);

 signals:
  /// The consent dialog is open and ready for a choice.
  void consentAsked();
  /// The main window is shown.
  void windowShown();

 private:
  void ask_consent();
  void apply(const std::set<client::ConsentPurpose>& agreed);
  void start_recording();
  void stop_recording();

  qt::Session* session_;
  qt::Profile profile_;
  Day day_;
  QPointer<ConsentDialog> consent_;
  std::unique_ptr<MainWindow> window_;
  std::unique_ptr<client::RecorderClient> recorder_;
  std::unique_ptr<qt::InputRecorder> input_;
};

}  // namespace cyrange::trainee
