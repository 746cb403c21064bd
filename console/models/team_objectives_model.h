#pragma once

#include <optional>

#include <QAbstractTableModel>
#include <QPointer>
#include <QString>

#include <console/models/dashboard_model.h>
#include <console/models/model_roles.h>

namespace cyrange::console {

/// One team's row of the matrix turned into a table, for the team's details: one row per
/// objective (the matrix's columns, in the same order) with its title, state, points, wrong
/// answers, hints taken and solve time. It reads the one DashboardModel, so it always shows
/// what the matrix shows; rows appear only when the dashboard notifies.
class TeamObjectivesModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  /// The columns.
  enum Column { Objective, State, Points, WrongAnswers, Hints, SolvedAt, ColumnCount };

  /// Shows `team`'s objectives of `dashboard` (an empty team: its objectives, all open).
  explicit TeamObjectivesModel(DashboardModel* dashboard, QObject* parent = nullptr);

  /// Shows another team's cells.
  void setTeam(const QString& team);
  QString team() const { return team_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  /// Text per column; every column answers StateRole, TeamRole, ObjectiveRole, PointsRole.
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  std::optional<std::size_t> team_row() const;
  void changedRows(int first, int last);

  QPointer<DashboardModel> dashboard_;
  QString team_;
  int rows_ = 0;
};

}  // namespace cyrange::console
