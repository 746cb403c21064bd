#pragma once

#include <Qt>

namespace cyrange::console {

/// Item data roles shared by every dashboard model, so views and proxies can filter,
/// sort and highlight without knowing which model they show.
enum DashboardRole {
  StateRole = Qt::UserRole + 1,  ///< int(CellState) of a matrix cell
  TeamRole,                      ///< QString team name of the row (or cell)
  ObjectiveRole,                 ///< QString objective id
  SelectedRole,                  ///< bool: the row belongs to the selected team
  KindRole,                      ///< int(FeedKind) of a feed row, int(AttentionCause) of a flag
  KeyRole,                       ///< QString unique key of a feed row or id of a flag
  ExerciseTimeRole,              ///< qint64 exercise time in ms
  PointsRole,                    ///< int points of a cell or feed row
  EvidenceRole,                  ///< QString recording moment a feed row's entry points to
};

}  // namespace cyrange::console
