#include <client-qt/inbox_adapter.h>

namespace cyrange::qt {

InboxAdapter::InboxAdapter(Session* session, QObject* parent)
    : QObject(parent), client_(session->connection()) {}

InboxAdapter::~InboxAdapter() { watch_.cancel(); }

void InboxAdapter::watch(const QString& exercise, const QString& team) {
  const quint64 generation = ++watch_generation_;
  watch_ = client_.watch(
      exercise.toStdString(), team.toStdString(), 0,
      relay_.to_gui<client::InboxEntry>([this, generation](const client::InboxEntry& e) {
        if (generation == watch_generation_) emit received(e);
      }),
      relay_.to_gui<client::StreamEnd>([this, generation](const client::StreamEnd& end) {
        if (generation == watch_generation_) emit watchEnded(end);
      }));
}

void InboxAdapter::stopWatching() {
  ++watch_generation_;
  watch_.cancel();
}

}  // namespace cyrange::qt
