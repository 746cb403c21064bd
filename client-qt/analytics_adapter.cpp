#include <client-qt/analytics_adapter.h>

namespace cyrange::qt {

AnalyticsAdapter::AnalyticsAdapter(Session* session, QObject* parent)
    : QObject(parent), connection_(session->connection()) {
  qRegisterMetaType<client::ExerciseAnalyticsView>();
  qRegisterMetaType<client::TeamActivityView>();
}

template <class T, class Signal>
quint64 AnalyticsAdapter::answer(const client::Call<T>& call, Signal signal) {
  const quint64 ticket = next_ticket_++;
  relay_.then<T>(call, [this, ticket, signal](const Expected<T>& r) {
    if (r) {
      emit(this->*signal)(ticket, *r);
    } else {
      emit failed(ticket, r.error());
    }
  });
  return ticket;
}

quint64 AnalyticsAdapter::analytics(const QString& exercise, const QString& team) {
  return answer(
      client::get_analytics_async(connection_, exercise.toStdString(), team.toStdString()),
      &AnalyticsAdapter::analyticsReady);
}

quint64 AnalyticsAdapter::activity(const QString& exercise, const QString& team, quint32 limit) {
  return answer(
      client::list_activity_async(connection_, exercise.toStdString(), team.toStdString(), limit),
      &AnalyticsAdapter::activityReady);
}

}  // namespace cyrange::qt
