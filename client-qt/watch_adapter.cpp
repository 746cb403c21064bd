#include <client-qt/watch_adapter.h>

namespace cyrange::qt {

WatchAdapter::WatchAdapter(Session* session, QObject* parent)
    : QObject(parent), connection_(session->connection()) {
  qRegisterMetaType<client::TerminalWatchesView>();
  qRegisterMetaType<client::TerminalWatchView>();
}

WatchAdapter::~WatchAdapter() { following_.cancel(); }

void WatchAdapter::follow(const QString& exercise, const QString& team) {
  following_ = client::follow_watches_async(
      connection_, exercise.toStdString(), team.toStdString(),
      relay_.to_gui<client::TerminalWatchesView>(
          [this](const client::TerminalWatchesView& w) { emit updated(w); }),
      relay_.to_gui<client::StreamEnd>(
          [this](const client::StreamEnd& end) { emit followEnded(end); }));
}

void WatchAdapter::stopFollowing() { following_.cancel(); }

quint64 WatchAdapter::ask(const QString& exercise, const QString& team) {
  return reply(client::ask_to_watch_async(connection_, exercise.toStdString(), team.toStdString()));
}

quint64 WatchAdapter::answer(qint64 id, bool accept) {
  return reply(client::answer_watch_async(connection_, id, accept));
}

quint64 WatchAdapter::end(qint64 id) { return reply(client::end_watch_async(connection_, id)); }

quint64 WatchAdapter::reply(const client::Call<client::TerminalWatchView>& call) {
  const quint64 ticket = next_ticket_++;
  relay_.then<client::TerminalWatchView>(
      call, [this, ticket](const Expected<client::TerminalWatchView>& r) {
        if (r) {
          emit replied(ticket, *r);
        } else {
          emit failed(ticket, r.error());
        }
      });
  return ticket;
}

}  // namespace cyrange::qt
