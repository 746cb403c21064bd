#pragma once

#include <memory>

#include <QByteArray>
#include <QObject>
#include <QString>

#include <client-core/range_client.h>
#include <client-qt/gui_relay.h>
#include <client-qt/session.h>

namespace cyrange::qt {

/// One interactive terminal to a range host for a Qt app: output arrives as `output`
/// on the GUI thread; keys and resizes go out without blocking. When the link is lost
/// it says so (`lost`) and reopen() starts a fresh terminal to the same host. Connect
/// it to a TerminalView: output -> feed, input -> sendKeys, sizeChanged -> resize.
class TerminalSession : public QObject {
  Q_OBJECT

 public:
  /// Uses `session`'s connection; `session` must outlive this object.
  TerminalSession(Session* session, client::TerminalTarget target, QObject* parent = nullptr);
  /// Closes the terminal without waiting; no signal after this.
  ~TerminalSession() override;

  /// Opens the terminal (again, after `lost` or `closed`).
  void open();
  /// Ends the terminal gracefully.
  void close();
  /// True between `opened` and `closed`/`lost`.
  bool isOpen() const { return open_; }
  /// The host and team it reaches.
  const client::TerminalTarget& target() const { return target_; }

 public slots:
  /// Sends typed or pasted bytes to the host.
  void sendKeys(const QByteArray& bytes);
  /// Passes the window size on to the host.
  void resize(int cols, int rows);

 signals:
  void opened(const cyrange::client::TerminalInfo& info);
  void output(const QByteArray& bytes);
  /// Ended normally (closed by either side).
  void closed();
  /// The connection was lost or the server refused (`error` says which); reopen() retries.
  void lost(const cyrange::Error& error);

 private:
  Session* session_;
  client::TerminalTarget target_;
  bool open_ = false;
  quint64 generation_ = 0;
  GuiRelay relay_;
  std::unique_ptr<client::TerminalClient> terminal_;
};

}  // namespace cyrange::qt
