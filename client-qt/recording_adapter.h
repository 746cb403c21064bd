#pragma once

#include <vector>

#include <QMetaType>
#include <QObject>
#include <QString>

#include <client-core/terminal_recordings.h>
#include <client-qt/gui_relay.h>
#include <client-qt/session.h>

class QTimer;

namespace cyrange::qt {

/// Recorded terminals for a Qt app (RangeService.ListTerminalSessions and
/// ReadTerminalSession): the list, one recording read page by page, and a live watch that
/// follows a session while its terminal is open. Answers come as signals on the GUI
/// thread; nothing here ever sends input to a guest.
class RecordingAdapter : public QObject {
  Q_OBJECT

 public:
  /// Uses `session`'s connection; `session` must outlive the adapter.
  explicit RecordingAdapter(Session* session, QObject* parent = nullptr);
  /// Stops reading; answers still in flight are dropped.
  ~RecordingAdapter() override;

  /// Lists the recorded sessions of `exercise` (`team` empty: every team); the answer
  /// comes as `sessions` (or `failed`) with the returned ticket.
  quint64 list(const QString& exercise, const QString& team = {});
  /// Reads session `id` from its start, page after page (`page`), until everything stored
  /// is read; then `finished`, unless `follow` is set and the terminal is still open: the
  /// adapter then asks again every `pollMs` for what was recorded since (live watch).
  void open(qint64 id, bool follow = false);
  /// Stops reading or following; no `page` of the old session arrives after this.
  void stop();
  /// The session being read (0: none).
  qint64 current() const { return session_; }
  /// How long a live watch waits before asking for new chunks again.
  void setPollInterval(int ms);

 signals:
  /// The answer to list().
  void sessions(quint64 ticket, const std::vector<cyrange::client::TerminalRecordingInfo>& list);
  /// The next chunks of the session being read, in order.
  void page(qint64 session, const cyrange::client::TerminalRecordingPage& page);
  /// Everything of the session was read and it has ended (or is not followed).
  void finished(qint64 session);
  /// A call failed; `ticket` is 0 for the reading of a session.
  void failed(quint64 ticket, const cyrange::Error& error);

 private:
  void read_next();

  client::Connection connection_;
  GuiRelay relay_;
  quint64 next_ticket_ = 1;
  qint64 session_ = 0;
  int next_seq_ = 0;
  bool follow_ = false;
  quint64 generation_ = 0;  // drops answers of a session no longer read
  QTimer* poll_;
};

}  // namespace cyrange::qt

Q_DECLARE_METATYPE(cyrange::client::TerminalRecordingPage)
Q_DECLARE_METATYPE(std::vector<cyrange::client::TerminalRecordingInfo>)
