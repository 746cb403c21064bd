#pragma once

#include <QSet>
#include <QSortFilterProxyModel>
#include <QString>

#include <console/models/dashboard_types.h>

namespace cyrange::console {

/// Filters a FeedModel by team and by a set of feed kinds (TeamRole, KindRole).
class FeedFilterProxy : public QSortFilterProxyModel {
  Q_OBJECT

 public:
  /// Lets everything through until a filter is set.
  explicit FeedFilterProxy(QObject* parent = nullptr);

  /// Shows only rows of `team`; empty shows every team.
  void setTeam(const QString& team);
  /// The team filter; empty when none.
  QString team() const { return team_; }
  /// Shows only rows whose kind is in `kinds`; empty shows every kind.
  void setKinds(const QSet<FeedKind>& kinds);
  /// The kind filter; empty when none.
  QSet<FeedKind> kinds() const { return kinds_; }

 protected:
  /// True when the row's team and kind pass both filters.
  bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

 private:
  QString team_;
  QSet<FeedKind> kinds_;
};

}  // namespace cyrange::console
