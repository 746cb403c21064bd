#pragma once

#include <QObject>
#include <QString>

#include <client-core/connection.h>
#include <client-core/system_client.h>
#include <client-qt/gui_relay.h>
#include <client-qt/metatypes.h>

namespace cyrange::qt {

/// One signed-in connection to cyranged for a Qt app: owns the client-core Connection,
/// shows its connectivity as a signal on the GUI thread, and says who the caller is.
/// Every adapter of client-qt takes a Session.
class Session : public QObject {
  Q_OBJECT

 public:
  /// Wraps `connection` and starts watching its connectivity.
  explicit Session(client::Connection connection, QObject* parent = nullptr);
  /// Cancels the connectivity watch before anything it touches goes.
  ~Session() override;

  /// The connection the adapters share.
  const client::Connection& connection() const { return connection_; }
  /// The last state the GUI thread was told about.
  const client::ConnectivityState& connectivity() const { return state_; }
  /// Asks the server who the caller is; the answer comes as whoAmIAnswered or callFailed.
  void whoAmI();

 signals:
  /// The link changed: connecting, connected, reconnecting or failed, with the reason.
  void connectivityChanged(const cyrange::client::ConnectivityState& state);
  /// The server's view of the caller.
  void whoAmIAnswered(const QString& name, int role, qint64 teamId);
  /// A call of this session failed.
  void callFailed(const cyrange::Error& error);

 private:
  client::Connection connection_;
  client::ConnectivityState state_;
  GuiRelay relay_;
  client::Subscription watch_;
};

}  // namespace cyrange::qt
