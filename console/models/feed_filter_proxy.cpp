#include <console/models/feed_filter_proxy.h>

#include <console/models/model_roles.h>

namespace cyrange::console {

FeedFilterProxy::FeedFilterProxy(QObject* parent) : QSortFilterProxyModel(parent) {}

void FeedFilterProxy::setTeam(const QString& team) {
  if (team == team_) return;
  team_ = team;
  invalidateFilter();
}

void FeedFilterProxy::setKinds(const QSet<FeedKind>& kinds) {
  if (kinds == kinds_) return;
  kinds_ = kinds;
  invalidateFilter();
}

bool FeedFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
  const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
  if (!team_.isEmpty() && index.data(TeamRole).toString() != team_) return false;
  if (!kinds_.isEmpty() && !kinds_.contains(static_cast<FeedKind>(index.data(KindRole).toInt()))) {
    return false;
  }
  return true;
}

}  // namespace cyrange::console
