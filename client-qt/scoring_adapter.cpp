#include <client-qt/scoring_adapter.h>

namespace cyrange::qt {

namespace {
std::string s(const QString& text) { return text.toStdString(); }
}  // namespace

ScoringAdapter::ScoringAdapter(Session* session, QObject* parent)
    : QObject(parent), client_(session->connection()) {}

ScoringAdapter::~ScoringAdapter() { watch_.cancel(); }

quint64 ScoringAdapter::deliver(const client::Call<client::ScoringReply>& call) {
  const quint64 ticket = next_ticket_++;
  relay_.then<client::ScoringReply>(call,
                                    [this, ticket](const Expected<client::ScoringReply>& reply) {
                                      if (reply) {
                                        emit replied(ticket, *reply);
                                      } else {
                                        emit failed(ticket, reply.error());
                                      }
                                    });
  return ticket;
}

quint64 ScoringAdapter::submitAnswer(const QString& exercise, const QString& objective,
                                     const QString& part, const QString& answer) {
  return deliver(client_.submit_answer_async(s(exercise), s(objective), s(part), s(answer)));
}

quint64 ScoringAdapter::takeHint(const QString& exercise, const QString& objective,
                                 const QString& hint) {
  return deliver(client_.take_hint_async(s(exercise), s(objective), s(hint)));
}

quint64 ScoringAdapter::pushHint(const QString& exercise, const QString& team,
                                 const QString& objective, const QString& hint) {
  return deliver(client_.push_hint_async(s(exercise), s(team), s(objective), s(hint)));
}

quint64 ScoringAdapter::adjust(const QString& exercise, const QString& team,
                               const QString& objective, int points, const QString& reason) {
  return deliver(client_.adjust_async(s(exercise), s(team), s(objective), points, s(reason)));
}

quint64 ScoringAdapter::revealSolution(const QString& exercise, const QString& team,
                                       const QString& objective) {
  return deliver(client_.reveal_solution_async(s(exercise), s(team), s(objective)));
}

quint64 ScoringAdapter::gradeRubric(const QString& exercise, const QString& team,
                                    const QString& objective, const QString& item,
                                    const QString& note, const QString& evidence) {
  return deliver(client_.grade_rubric_async(s(exercise), s(team), s(objective), s(item), s(note),
                                            s(evidence)));
}

quint64 ScoringAdapter::setMode(const QString& exercise, client::BoardMode mode) {
  const quint64 ticket = next_ticket_++;
  relay_.then<client::Unit>(client_.set_mode_async(s(exercise), mode),
                            [this, ticket](const Expected<client::Unit>& result) {
                              if (result) {
                                emit done(ticket);
                              } else {
                                emit failed(ticket, result.error());
                              }
                            });
  return ticket;
}

void ScoringAdapter::watch(const QString& exercise, const QString& team) {
  // Messages of an earlier watch still queued for the GUI thread are dropped.
  const quint64 generation = ++watch_generation_;
  watch_ = client_.watch(
      s(exercise), s(team),
      relay_.to_gui<client::ScoreboardMessage>(
          [this, generation](const client::ScoreboardMessage& m) {
            if (generation == watch_generation_) emit boardUpdated(m);
          }),
      relay_.to_gui<client::StreamEnd>([this, generation](const client::StreamEnd& end) {
        if (generation == watch_generation_) emit watchEnded(end);
      }));
}

void ScoringAdapter::stopWatching() {
  ++watch_generation_;
  watch_.cancel();
}

}  // namespace cyrange::qt
