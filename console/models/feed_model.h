#pragma once

#include <QAbstractTableModel>
#include <QPointer>

#include <console/models/dashboard_model.h>
#include <console/models/model_roles.h>
#include <console/models/team_selection.h>

namespace cyrange::console {

/// The event feed over the one DashboardModel, in arrival order: exercise time, team,
/// kind and the sentence in the dashboard's language. Rows are only ever appended.
class FeedModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  /// The columns of the feed.
  enum Column { TimeColumn, TeamColumn, KindColumn, TextColumn, ColumnCount };

  /// Shows `dashboard`; highlights the team of `selection` (may be null).
  explicit FeedModel(DashboardModel* dashboard, TeamSelection* selection = nullptr,
                     QObject* parent = nullptr);

  /// Published feed rows.
  int rowCount(const QModelIndex& parent = {}) const override;
  /// ColumnCount columns.
  int columnCount(const QModelIndex& parent = {}) const override;
  /// Text per column; every column answers TeamRole, KindRole, KeyRole, ExerciseTimeRole.
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  /// Translated column titles.
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

  /// The translated name of a feed kind ("Service down").
  static QString kindName(FeedKind kind);

 private:
  void onFeedAppended(int first, int last);
  void refreshAll(const QList<int>& roles);

  QPointer<DashboardModel> dashboard_;
  QPointer<TeamSelection> selection_;
  int rows_ = 0;
};

}  // namespace cyrange::console
