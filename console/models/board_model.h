#pragma once

#include <QAbstractTableModel>
#include <QPointer>

#include <console/models/dashboard_model.h>
#include <console/models/model_roles.h>
#include <console/models/team_selection.h>

namespace cyrange::console {

/// The scoreboard table over the one DashboardModel: one row per team (in the dashboard's
/// team order; sort in a proxy), with the same totals and counts the matrix shows.
class BoardModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  /// The columns of the board.
  enum Column {
    RankColumn,
    TeamColumn,
    TotalColumn,
    SolvedColumn,
    HintsColumn,
    WrongColumn,
    ColumnCount
  };

  /// Shows `dashboard`; highlights the team of `selection` (may be null).
  explicit BoardModel(DashboardModel* dashboard, TeamSelection* selection = nullptr,
                      QObject* parent = nullptr);

  /// Published team rows.
  int rowCount(const QModelIndex& parent = {}) const override;
  /// ColumnCount columns.
  int columnCount(const QModelIndex& parent = {}) const override;
  /// Numbers as ints (so proxies sort numerically), team name, highlight of the selection.
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  /// Translated column titles.
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  void onTeamsInserted(int first, int last);
  void onTeamsChanged(int first, int last);
  void onSelectionChanged(const QString& current, const QString& previous);

  QPointer<DashboardModel> dashboard_;
  QPointer<TeamSelection> selection_;
  int rows_ = 0;
};

}  // namespace cyrange::console
