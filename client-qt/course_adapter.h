#pragma once

#include <QObject>

#include <client-core/course_client.h>
#include <client-qt/gui_relay.h>
#include <client-qt/session.h>

namespace cyrange::qt {

/// CourseService's live list of self-paced runs for a Qt app: watchRuns() streams the
/// caller's runs (a trainee's own, an instructor's organisation's, every run for an admin)
/// as `runChanged` on the GUI thread, first each of them, then each one again whenever its
/// state, place in the queue or results change. A lost link is resumed by client-core with
/// backoff and a fresh list, so nothing is polled.
class CourseAdapter : public QObject {
  Q_OBJECT

 public:
  /// Uses `session`'s connection; `session` must outlive the adapter.
  explicit CourseAdapter(Session* session, QObject* parent = nullptr);
  /// Cancels the stream before anything its callbacks touch goes.
  ~CourseAdapter() override;

  /// Starts (or restarts) the stream of runs.
  void watchRuns();
  /// Stops it.
  void stopWatching();
  /// Whether the stream runs (also while it reconnects).
  bool watching() const { return watch_.active(); }

 signals:
  /// One run as it is now (replace the run with the same id).
  void runChanged(const cyrange::client::CourseRunInfo& run);
  /// The stream ended by itself (refused, or the server ended it).
  void watchEnded(const cyrange::client::StreamEnd& end);

 private:
  client::CourseClient client_;
  quint64 generation_ = 0;  // a stopped stream's late messages are dropped
  GuiRelay relay_;
  client::Subscription watch_;
};

}  // namespace cyrange::qt
