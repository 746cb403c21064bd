#pragma once

#include <cstddef>
#include <vector>

#include <QAbstractListModel>
#include <QPointer>

#include <console/models/dashboard_model.h>
#include <console/models/model_roles.h>
#include <console/models/team_selection.h>

namespace cyrange::console {

/// The raised, unacknowledged attention flags over the one DashboardModel, oldest first.
/// Acknowledged or resolved flags leave the list with rowsRemoved; new ones are appended.
class AttentionModel : public QAbstractListModel {
  Q_OBJECT

 public:
  /// Shows `dashboard`; highlights the team of `selection` (may be null).
  explicit AttentionModel(DashboardModel* dashboard, TeamSelection* selection = nullptr,
                          QObject* parent = nullptr);

  /// Published flags.
  int rowCount(const QModelIndex& parent = {}) const override;
  /// Reason in the dashboard's language; TeamRole, KeyRole (flag id), KindRole (cause).
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

 public slots:
  /// Acknowledges the flag of `row`; it leaves the list at once.
  void acknowledge(int row);

 private:
  void sync();
  const AttentionFlag* flagAt(int row) const;

  QPointer<DashboardModel> dashboard_;
  QPointer<TeamSelection> selection_;
  std::vector<std::size_t> rows_;  // indices into DashboardState::flags()
  std::size_t seen_ = 0;           // flags before this index were looked at
};

}  // namespace cyrange::console
