#pragma once

#include <QObject>
#include <QString>

#include <client-core/inbox_client.h>
#include <client-qt/gui_relay.h>
#include <client-qt/session.h>

namespace cyrange::qt {

/// InboxService for a Qt app: watch() streams a team's messages as `received` on the
/// GUI thread, each once (after a reconnect it resumes after the last one delivered).
class InboxAdapter : public QObject {
  Q_OBJECT

 public:
  /// Uses `session`'s connection; `session` must outlive the adapter.
  explicit InboxAdapter(Session* session, QObject* parent = nullptr);
  ~InboxAdapter() override;

  /// Streams the messages of `team` (empty: a trainee's own; every team for staff).
  void watch(const QString& exercise, const QString& team = {});
  /// Stops the stream.
  void stopWatching();

 signals:
  /// One message (snapshot or new).
  void received(const cyrange::client::InboxEntry& entry);
  /// The stream ended by itself.
  void watchEnded(const cyrange::client::StreamEnd& end);

 private:
  client::InboxClient client_;
  quint64 watch_generation_ = 0;
  GuiRelay relay_;
  client::Subscription watch_;
};

}  // namespace cyrange::qt
