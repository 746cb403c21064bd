#pragma once

#include <vector>

#include <QAbstractTableModel>

#include <client-core/course_client.h>

namespace cyrange::console {

/// The rubric items of one self-paced run that wait for an instructor's review:
/// objective, item and points, in the scenario's order.
class ReviewListModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  /// The columns.
  enum Column { Objective, Item, Points, ColumnCount };

  explicit ReviewListModel(QObject* parent = nullptr);

  /// Replaces the items; texts are shown in `language`.
  void set(const std::vector<client::PendingReviewInfo>& items, client::Language language);
  /// The item in `row`, or nullptr.
  const client::PendingReviewInfo* at(int row) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  std::vector<client::PendingReviewInfo> rows_;
  client::Language language_ = client::Language::en;
};

}  // namespace cyrange::console
