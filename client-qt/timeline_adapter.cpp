#include <client-qt/timeline_adapter.h>

namespace cyrange::qt {

namespace {
std::string str(const QString& text) { return text.toStdString(); }
}  // namespace

TimelineAdapter::TimelineAdapter(Session* session, QObject* parent)
    : QObject(parent), client_(session->connection()) {}

TimelineAdapter::~TimelineAdapter() { watch_.cancel(); }

quint64 TimelineAdapter::deliver_unit(const client::Call<client::Unit>& call) {
  const quint64 ticket = next_ticket_++;
  relay_.then<client::Unit>(call, [this, ticket](const Expected<client::Unit>& r) {
    if (r) {
      emit done(ticket);
    } else {
      emit failed(ticket, r.error());
    }
  });
  return ticket;
}

quint64 TimelineAdapter::list(const QString& exercise, const QString& team) {
  const quint64 ticket = next_ticket_++;
  relay_.then<client::TimelineListing>(client_.list_async(str(exercise), str(team)),
                                       [this, ticket](const Expected<client::TimelineListing>& r) {
                                         if (r) {
                                           emit listed(ticket, *r);
                                         } else {
                                           emit failed(ticket, r.error());
                                         }
                                       });
  return ticket;
}

quint64 TimelineAdapter::fire(const QString& exercise, const QString& team, const QString& item) {
  return deliver_unit(client_.fire_async(str(exercise), str(team), str(item)));
}

quint64 TimelineAdapter::skip(const QString& exercise, const QString& team, const QString& item,
                              const QString& reason) {
  return deliver_unit(client_.skip_async(str(exercise), str(team), str(item), str(reason)));
}

quint64 TimelineAdapter::choose(const QString& exercise, const QString& team,
                                const QString& decision, const QString& option) {
  return deliver_unit(client_.choose_async(str(exercise), str(team), str(decision), str(option)));
}

quint64 TimelineAdapter::controlClock(const QString& exercise, client::ClockAction action,
                                      double speed) {
  const quint64 ticket = next_ticket_++;
  relay_.then<client::TimelineClock>(client_.control_clock_async(str(exercise), action, speed),
                                     [this, ticket](const Expected<client::TimelineClock>& r) {
                                       if (r) {
                                         emit clockChanged(ticket, *r);
                                       } else {
                                         emit failed(ticket, r.error());
                                       }
                                     });
  return ticket;
}

void TimelineAdapter::watch(const QString& exercise, const QString& team) {
  const quint64 generation = ++watch_generation_;
  watch_ = client_.watch(
      str(exercise), str(team),
      relay_.to_gui<client::TimelineChange>([this, generation](const client::TimelineChange& c) {
        if (generation == watch_generation_) emit changed(c);
      }),
      relay_.to_gui<client::StreamEnd>([this, generation](const client::StreamEnd& end) {
        if (generation == watch_generation_) emit watchEnded(end);
      }));
}

void TimelineAdapter::stopWatching() {
  ++watch_generation_;
  watch_.cancel();
}

}  // namespace cyrange::qt
