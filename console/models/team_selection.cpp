#include <console/models/team_selection.h>

namespace cyrange::console {

TeamSelection::TeamSelection(QObject* parent) : QObject(parent) {}

void TeamSelection::setTeam(const QString& team) {
  if (team == team_) return;
  const QString previous = team_;
  team_ = team;
  emit teamChanged(team_, previous);
}

}  // namespace cyrange::console
