#pragma once

#include <QObject>
#include <QString>

#include <client-core/scoring_client.h>
#include <client-qt/gui_relay.h>
#include <client-qt/session.h>

namespace cyrange::qt {

/// ScoringService for a Qt app: every call returns a ticket at once and answers with
/// `replied(ticket, …)` or `failed(ticket, …)` on the GUI thread; watch() streams the
/// board as `boardUpdated`. The stream is cancelled first in the destructor.
class ScoringAdapter : public QObject {
  Q_OBJECT

 public:
  /// Uses `session`'s connection; `session` must outlive the adapter.
  explicit ScoringAdapter(Session* session, QObject* parent = nullptr);
  ~ScoringAdapter() override;

  /// ScoringClient's calls; each returns the ticket its answer carries.
  quint64 submitAnswer(const QString& exercise, const QString& objective, const QString& part,
                       const QString& answer);
  quint64 takeHint(const QString& exercise, const QString& objective, const QString& hint);
  quint64 pushHint(const QString& exercise, const QString& team, const QString& objective,
                   const QString& hint);
  quint64 adjust(const QString& exercise, const QString& team, const QString& objective, int points,
                 const QString& reason);
  quint64 revealSolution(const QString& exercise, const QString& team, const QString& objective);
  quint64 gradeRubric(const QString& exercise, const QString& team, const QString& objective,
                      const QString& item, const QString& note, const QString& evidence);
  quint64 setMode(const QString& exercise, client::BoardMode mode);

  /// Streams the board of `exercise` (team empty: everything the caller may see);
  /// replaces an earlier watch.
  void watch(const QString& exercise, const QString& team = {});
  /// Stops the board stream.
  void stopWatching();

 signals:
  /// The server's judgement of the call with `ticket`.
  void replied(quint64 ticket, const cyrange::client::ScoringReply& reply);
  /// A call without a judgement (setMode) succeeded.
  void done(quint64 ticket);
  /// The call with `ticket` failed.
  void failed(quint64 ticket, const cyrange::Error& error);
  /// A snapshot (replaces the board) or a delta of the watched board.
  void boardUpdated(const cyrange::client::ScoreboardMessage& message);
  /// The board stream ended by itself (not after stopWatching).
  void watchEnded(const cyrange::client::StreamEnd& end);

 private:
  quint64 deliver(const client::Call<client::ScoringReply>& call);

  client::ScoringClient client_;
  quint64 next_ticket_ = 1;
  quint64 watch_generation_ = 0;
  GuiRelay relay_;
  client::Subscription watch_;
};

}  // namespace cyrange::qt
