#pragma once

#include <QAbstractTableModel>
#include <QPointer>

#include <console/models/dashboard_model.h>
#include <console/models/model_roles.h>
#include <console/models/team_selection.h>

namespace cyrange::console {

/// Teams (rows) x objectives (columns) over the one DashboardModel. A cell's text carries
/// its state without colour ("✓ 100", "◐ 50", "✗×2", "?", "⊘"); colours come from the
/// application palette. Rows and columns appear only when the dashboard notifies, so
/// rowCount() never runs ahead of the signals views saw.
class MatrixModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  /// Shows `dashboard`; highlights the team of `selection` (may be null).
  explicit MatrixModel(DashboardModel* dashboard, TeamSelection* selection = nullptr,
                       QObject* parent = nullptr);

  /// Published team rows.
  int rowCount(const QModelIndex& parent = {}) const override;
  /// Published objective columns.
  int columnCount(const QModelIndex& parent = {}) const override;
  /// Display, accessible text, tooltip, colours, font and the dashboard roles of a cell.
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  /// Objective ids (tooltip: title) across, team names down.
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;
  /// The dashboard role names, for QML and debugging.
  QHash<int, QByteArray> roleNames() const override;

  /// The short text of a cell: glyph plus numbers, empty for an open cell.
  static QString cellText(const Cell& cell);
  /// The translated name of a state ("solved").
  static QString stateName(CellState state);
  /// The full description of a cell for its tooltip.
  static QString cellDetail(const Cell& cell);

 protected:
  /// Repaints colours when the application palette changes (dark mode).
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void onTeamsInserted(int first, int last);
  void onObjectivesInserted(int first, int last);
  void onCellsChanged(int firstRow, int lastRow, int firstColumn, int lastColumn);
  void onSelectionChanged(const QString& current, const QString& previous);
  void refreshRow(const QString& team, const QList<int>& roles);
  void refreshAll(const QList<int>& roles);

  QPointer<DashboardModel> dashboard_;
  QPointer<TeamSelection> selection_;
  int rows_ = 0;
  int columns_ = 0;
};

}  // namespace cyrange::console
