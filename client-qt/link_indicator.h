#pragma once

#include <QLabel>

#include <client-core/connection.h>

namespace cyrange::qt {

class Session;

/// The link to cyranged for a status bar: connected (with the address), connecting,
/// lost and reconnecting, or not connected; the reason is the tooltip. Follows the
/// session's connectivity by itself; state is spelled out in text, not only colour.
class LinkIndicator : public QLabel {
  Q_OBJECT

 public:
  explicit LinkIndicator(Session* session, QWidget* parent = nullptr);

  /// The state shown.
  client::Connectivity state() const { return state_; }

 public slots:
  void show(const cyrange::client::ConnectivityState& state);

 private:
  QString target_;
  client::Connectivity state_ = client::Connectivity::connecting;
};

}  // namespace cyrange::qt
