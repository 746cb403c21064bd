#include <client-qt/link_indicator.h>

#include <client-qt/session.h>
#include <client-qt/translations.h>

namespace cyrange::qt {

LinkIndicator::LinkIndicator(Session* session, QWidget* parent)
    : QLabel(parent), target_(QString::fromStdString(session->connection().options().target)) {
  setObjectName(QStringLiteral("link"));
  connect(session, &Session::connectivityChanged, this, &LinkIndicator::show);
  show(session->connectivity());
}

void LinkIndicator::show(const client::ConnectivityState& state) {
  state_ = state.state;
  switch (state.state) {
    case client::Connectivity::connected:
      setText(tr("● connected to %1").arg(target_));
      break;
    case client::Connectivity::connecting:
      setText(tr("○ connecting…"));
      break;
    case client::Connectivity::reconnecting:
      setText(tr("◌ connection lost — reconnecting…"));
      break;
    case client::Connectivity::failed:
      setText(tr("✗ not connected"));
      break;
  }
  setToolTip(localized(state.reason));
}

}  // namespace cyrange::qt
