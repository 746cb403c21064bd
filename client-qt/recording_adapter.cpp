#include <client-qt/recording_adapter.h>

#include <QTimer>

namespace cyrange::qt {

RecordingAdapter::RecordingAdapter(Session* session, QObject* parent)
    : QObject(parent), connection_(session->connection()), poll_(new QTimer(this)) {
  qRegisterMetaType<client::TerminalRecordingPage>();
  qRegisterMetaType<std::vector<client::TerminalRecordingInfo>>();
  // A live watch asks the server again after a pause; the polling rests while a call
  // is in flight, so one session never has two reads at once.
  poll_->setSingleShot(true);
  poll_->setInterval(500);
  connect(poll_, &QTimer::timeout, this, &RecordingAdapter::read_next);
}

RecordingAdapter::~RecordingAdapter() { stop(); }

void RecordingAdapter::setPollInterval(int ms) { poll_->setInterval(ms); }

quint64 RecordingAdapter::list(const QString& exercise, const QString& team) {
  const quint64 ticket = next_ticket_++;
  relay_.then<std::vector<client::TerminalRecordingInfo>>(
      client::list_terminal_sessions_async(connection_, exercise.toStdString(), team.toStdString()),
      [this, ticket](const Expected<std::vector<client::TerminalRecordingInfo>>& r) {
        if (r) {
          emit sessions(ticket, *r);
        } else {
          emit failed(ticket, r.error());
        }
      });
  return ticket;
}

void RecordingAdapter::open(qint64 id, bool follow) {
  stop();
  session_ = id;
  follow_ = follow;
  next_seq_ = 0;
  read_next();
}

void RecordingAdapter::stop() {
  poll_->stop();
  ++generation_;
  session_ = 0;
}

void RecordingAdapter::read_next() {
  if (session_ == 0) return;
  const quint64 generation = generation_;
  client::RecordingPageQuery query;
  query.session_id = session_;
  query.from_seq = next_seq_;
  relay_.then<client::TerminalRecordingPage>(
      client::read_terminal_session_async(connection_, query),
      [this, generation](const Expected<client::TerminalRecordingPage>& r) {
        if (generation != generation_) return;
        const qint64 id = session_;
        if (!r) {
          session_ = 0;
          emit failed(0, r.error());
          return;
        }
        next_seq_ = r->next_seq;
        if (!r->chunks.empty() || r->session.session_id != 0) emit page(id, *r);
        if (!r->complete) {
          read_next();
        } else if (follow_ && r->session.open()) {
          poll_->start();
        } else {
          session_ = 0;
          emit finished(id);
        }
      });
}

}  // namespace cyrange::qt
