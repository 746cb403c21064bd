#pragma once

#include <chrono>
#include <cstddef>
#include <memory>

#include <QObject>
#include <QString>
#include <QTimer>

#include <client-core/recorder_client.h>
#include <client-qt/recording/event_sink.h>
#include <client-qt/recording/recording_worker.h>

class QKeyEvent;
class QWidget;

namespace cyrange::qt {

/// Tuning of the input recorder; the defaults are what the trainee client uses.
struct InputRecorderOptions {
  std::chrono::milliseconds move_interval{50};     ///< at most one mouse-move sample per window
  std::chrono::milliseconds waiting_refresh{250};  ///< how often waitingEvents is refreshed
  std::size_t max_queued = 200000;                 ///< inputs held for the worker at most
};

/// Records what the trainee does in the app, once they agreed: one application-wide
/// event filter (installed by start(), removed by stop()) notes key presses, mouse
/// clicks, sampled mouse moves, wheel, focus and window changes; the app reports its
/// semantic actions (answers, hints, tabs, report saves) through the slots below. The
/// filter only builds a small value and queues it; a worker thread turns it into a
/// client::TraineeEvent of the exercise and hands it to the sink (in the app, the
/// RecorderClient's durable buffer). Nothing is recorded while stopped.
///
/// Keys are recorded only from widgets; keys in a secret field (input-method hints
/// ImhHiddenText or ImhSensitiveData, or a QLineEdit that does not echo normally) are
/// marked secret and keep no key name, text or modifiers; keys in a TerminalView keep
/// only their time (the server records the terminal itself), with the host set by
/// setTerminalHost() as target. Focus targets read "widget:<name>@<window title>",
/// "window:<name>@<window title>", "tab:<name>", "app:active|inactive" and
/// "recording:started", where a name is the objectName, else the class name.
/// Positions are in window coordinates; wheel events carry the angle delta (120 a notch).
///
/// Create, start, stop and destroy on the GUI thread.
class InputRecorder : public QObject {
  Q_OBJECT
  Q_PROPERTY(bool recording READ isRecording NOTIFY recordingChanged)
  Q_PROPERTY(QString description READ description NOTIFY descriptionChanged)
  Q_PROPERTY(quint64 waitingEvents READ waitingEvents NOTIFY waitingEventsChanged)

 public:
  /// Records events of `exercise` into `sink`; stopped until start().
  InputRecorder(std::shared_ptr<recording::EventSink> sink, const QString& exercise,
                InputRecorderOptions options = {}, QObject* parent = nullptr);
  /// Records into `recorder` (its durable buffer), which must outlive this object.
  InputRecorder(client::RecorderClient& recorder, const QString& exercise,
                QObject* parent = nullptr);
  /// Removes the filter, then delivers what is still queued before returning.
  ~InputRecorder() override;

  /// True between start() and stop().
  bool isRecording() const { return recording_; }
  /// What is recorded, one sentence for the recording indicator; empty while stopped.
  QString description() const;
  /// The sentence description() shows while recording, in the current language.
  static QString whatIsRecorded();
  /// Recorded events the server has not acknowledged yet (from local counters).
  quint64 waitingEvents() const { return waiting_; }
  /// The exercise every event belongs to.
  QString exercise() const { return exercise_; }
  /// Events recorded from now on belong to `exercise`.
  void setExercise(const QString& exercise) { exercise_ = exercise; }
  /// What the worker did so far (inputs queued, samples, events delivered...).
  recording::RecordingCounters counters() const { return worker_->counters(); }

  /// Names the host a terminal widget reaches: its keys are recorded with it as target.
  static void setTerminalHost(QWidget* terminal, const QString& host);

  /// The filter: notes the input and lets it through (never consumes an event).
  bool eventFilter(QObject* watched, QEvent* event) override;

 public slots:
  /// The trainee consented: installs the filter and records "recording:started".
  void start();
  /// Consent withdrawn: removes the filter; nothing more is recorded.
  void stop();
  /// The trainee submitted `answer` to objective `objective`.
  void answerSubmitted(const QString& objective, const QString& answer);
  /// The trainee took hint `hint` of `objective` (target "objective/hint").
  void hintTaken(const QString& objective, const QString& hint);
  /// A tab (terminal, inbox, report...) was opened or brought to the front.
  void tabOpened(const QString& tab);
  /// A report section was saved with `added` and `removed` characters since the last save.
  void reportSaved(const QString& section, quint32 added, quint32 removed);
  /// Any semantic action of kind answer, hint, focus or report_edit, as the main window
  /// emits them (target and text as in client::TraineeEvent); other kinds are ignored.
  void recordAction(cyrange::client::TraineeEventKind kind, const QString& target,
                    const QString& text);

 signals:
  /// Recording started (true) or stopped (false).
  void recordingChanged(bool recording);
  /// The indicator's text changed (empty: nothing is recorded).
  void descriptionChanged(const QString& description);
  /// The number of events waiting for the server changed.
  void waitingEventsChanged(quint64 count);

 private:
  recording::PendingInput make(client::TraineeEventKind kind) const;
  void push(recording::PendingInput&& input);
  void record_key(QWidget* receiver, const QKeyEvent& key);
  void record_commit(QWidget* receiver, const QString& commit);
  void record_focus(const char* prefix, const QWidget& widget);
  void classify(QWidget* receiver, recording::PendingInput& input) const;
  void refresh_waiting();

  QString exercise_;
  bool recording_ = false;
  quint64 waiting_ = 0;
  QTimer waiting_timer_;
  std::unique_ptr<recording::RecordingWorker> worker_;
};

}  // namespace cyrange::qt
