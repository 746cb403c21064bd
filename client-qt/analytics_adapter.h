#pragma once

#include <QMetaType>
#include <QObject>
#include <QString>

#include <client-core/analytics_client.h>
#include <client-qt/gui_relay.h>
#include <client-qt/metatypes.h>
#include <client-qt/session.h>

namespace cyrange::qt {

/// AnalyticsService for a Qt app: an exercise's numbers and one team's activity. Answers
/// come as signals on the GUI thread with the ticket the call returned.
class AnalyticsAdapter : public QObject {
  Q_OBJECT

 public:
  /// Uses `session`'s connection; `session` must outlive the adapter.
  explicit AnalyticsAdapter(Session* session, QObject* parent = nullptr);

  /// The numbers of `exercise` (of `team`, or every team the caller may see).
  quint64 analytics(const QString& exercise, const QString& team = {});
  /// `team`'s latest `limit` steps (0: the server's default).
  quint64 activity(const QString& exercise, const QString& team, quint32 limit = 0);

 signals:
  void analyticsReady(quint64 ticket, const cyrange::client::ExerciseAnalyticsView& analytics);
  void activityReady(quint64 ticket, const cyrange::client::TeamActivityView& activity);
  void failed(quint64 ticket, const cyrange::Error& error);

 private:
  template <class T, class Signal>
  quint64 answer(const client::Call<T>& call, Signal signal);

  client::Connection connection_;
  GuiRelay relay_;
  quint64 next_ticket_ = 1;
};

}  // namespace cyrange::qt

Q_DECLARE_METATYPE(cyrange::client::ExerciseAnalyticsView)
Q_DECLARE_METATYPE(cyrange::client::TeamActivityView)
