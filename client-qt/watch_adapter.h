#pragma once

#include <QMetaType>
#include <QObject>
#include <QString>

#include <client-core/terminal_watches.h>
#include <client-qt/gui_relay.h>
#include <client-qt/metatypes.h>
#include <client-qt/session.h>

namespace cyrange::qt {

/// Live-watch requests for a Qt app (RangeService.AskToWatch, AnswerWatch, EndWatch,
/// FollowWatches): the console asks and ends, the trainee client answers and ends, both
/// follow the team's requests. Answers and updates come as signals on the GUI thread.
class WatchAdapter : public QObject {
  Q_OBJECT

 public:
  /// Uses `session`'s connection; `session` must outlive the adapter.
  explicit WatchAdapter(Session* session, QObject* parent = nullptr);
  /// Cancels the follow stream before anything its callbacks touch goes.
  ~WatchAdapter() override;

  /// Follows `team`'s requests in `exercise` (a trainee: empty for their own team),
  /// replacing an earlier follow; updates come as `updated`.
  void follow(const QString& exercise, const QString& team = {});
  /// Stops following.
  void stopFollowing();
  /// The three steps; each answers with `replied` or `failed` and the returned ticket.
  quint64 ask(const QString& exercise, const QString& team);
  quint64 answer(qint64 id, bool accept);
  quint64 end(qint64 id);

 signals:
  /// The team's open requests (the whole state) and the one that changed, if any.
  void updated(const cyrange::client::TerminalWatchesView& watches);
  /// The follow stream ended for good (it resumes by itself after a lost link).
  void followEnded(const cyrange::client::StreamEnd& end);
  /// A step succeeded: the request as it now stands.
  void replied(quint64 ticket, const cyrange::client::TerminalWatchView& watch);
  void failed(quint64 ticket, const cyrange::Error& error);

 private:
  quint64 reply(const client::Call<client::TerminalWatchView>& call);

  client::Connection connection_;
  GuiRelay relay_;
  client::Subscription following_;
  quint64 next_ticket_ = 1;
};

}  // namespace cyrange::qt

Q_DECLARE_METATYPE(cyrange::client::TerminalWatchesView)
Q_DECLARE_METATYPE(cyrange::client::TerminalWatchView)
