#pragma once

#include <map>
#include <utility>
#include <vector>

#include <QAbstractTableModel>

#include <client-core/timeline_client.h>

namespace cyrange::console {

/// Every team's timeline as a table (team, item, kind, state, due, fired, finished,
/// technique, detail), fed by the TimelineService stream; a row per team and item.
/// Re-applying a snapshot after a reconnect updates rows in place.
class TimelineModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  /// Columns of the table.
  enum Column { Team, Item, Kind, State, Due, Fired, Finished, Technique, Detail, ColumnCount };
  /// Extra data of a row.
  enum Role { TeamRole = Qt::UserRole + 1, ItemRole, StateRole };

  explicit TimelineModel(QObject* parent = nullptr);

  /// Applies one stream message (snapshot item or change).
  void apply(const client::TimelineChange& change);
  /// The item in `row`.
  const client::TimelineItemView* at(int row) const;
  /// The team of `row`.
  QString team_of(int row) const;
  /// Forgets everything (another exercise).
  void clear();

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  struct Row {
    std::string team;
    client::TimelineItemView item;
  };
  std::vector<Row> rows_;
  std::map<std::pair<std::string, std::string>, int> index_;  // (team, item id) -> row
};

/// The state of a timeline item as a person reads it.
QString item_state_text(client::ItemState state);
/// Exercise seconds as "01:02:03".
QString exercise_clock(double seconds);

}  // namespace cyrange::console
