#include <console/app/review_list_model.h>

namespace cyrange::console {

ReviewListModel::ReviewListModel(QObject* parent) : QAbstractTableModel(parent) {}

void ReviewListModel::set(const std::vector<client::PendingReviewInfo>& items,
                          client::Language language) {
  beginResetModel();
  rows_ = items;
  language_ = language;
  endResetModel();
}

const client::PendingReviewInfo* ReviewListModel::at(int row) const {
  return row >= 0 && row < static_cast<int>(rows_.size()) ? &rows_[static_cast<std::size_t>(row)]
                                                          : nullptr;
}

int ReviewListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int ReviewListModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant ReviewListModel::data(const QModelIndex& index, int role) const {
  const auto* item = index.isValid() ? at(index.row()) : nullptr;
  if (item == nullptr) return {};
  if (role == Qt::ToolTipRole && index.column() == Objective)
    return QString::fromStdString(item->objective);
  if (role == Qt::TextAlignmentRole && index.column() == Points)
    return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case Objective:
      return item->objective_title.empty()
                 ? QString::fromStdString(item->objective)
                 : QString::fromStdString(item->objective_title.in(language_));
    case Item:
      return QString::fromStdString(item->text.in(language_));
    case Points:
      return item->points;
    default:
      return {};
  }
}

QVariant ReviewListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case Objective:
      return tr("Objective");
    case Item:
      return tr("Rubric item");
    case Points:
      return tr("Points");
    default:
      return {};
  }
}

}  // namespace cyrange::console
