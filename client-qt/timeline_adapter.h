#pragma once

#include <QObject>
#include <QString>

#include <client-core/timeline_client.h>
#include <client-qt/gui_relay.h>
#include <client-qt/session.h>

namespace cyrange::qt {

/// TimelineService for a Qt app: calls answer on the GUI thread by ticket; watch()
/// streams the timeline as `changed`. The stream is cancelled first in the destructor.
class TimelineAdapter : public QObject {
  Q_OBJECT

 public:
  /// Uses `session`'s connection; `session` must outlive the adapter.
  explicit TimelineAdapter(Session* session, QObject* parent = nullptr);
  ~TimelineAdapter() override;

  /// TimelineClient's calls; each returns the ticket its answer carries.
  quint64 list(const QString& exercise, const QString& team);
  quint64 fire(const QString& exercise, const QString& team, const QString& item);
  quint64 skip(const QString& exercise, const QString& team, const QString& item,
               const QString& reason);
  quint64 choose(const QString& exercise, const QString& team, const QString& decision,
                 const QString& option);
  quint64 controlClock(const QString& exercise, client::ClockAction action, double speed = 0);

  /// Streams the timeline of `team` (empty: every team, staff only).
  void watch(const QString& exercise, const QString& team = {});
  /// Stops the stream.
  void stopWatching();

 signals:
  void listed(quint64 ticket, const cyrange::client::TimelineListing& listing);
  void clockChanged(quint64 ticket, const cyrange::client::TimelineClock& clock);
  void done(quint64 ticket);
  void failed(quint64 ticket, const cyrange::Error& error);
  /// A snapshot item or a change of the watched timeline.
  void changed(const cyrange::client::TimelineChange& change);
  /// The stream ended by itself.
  void watchEnded(const cyrange::client::StreamEnd& end);

 private:
  quint64 deliver_unit(const client::Call<client::Unit>& call);

  client::TimelineClient client_;
  quint64 next_ticket_ = 1;
  quint64 watch_generation_ = 0;
  GuiRelay relay_;
  client::Subscription watch_;
};

}  // namespace cyrange::qt
