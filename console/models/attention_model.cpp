#include <console/models/attention_model.h>

#include <algorithm>

#include <QFont>

namespace cyrange::console {

AttentionModel::AttentionModel(DashboardModel* dashboard, TeamSelection* selection, QObject* parent)
    : QAbstractListModel(parent), dashboard_(dashboard), selection_(selection) {
  const auto& flags = dashboard->state().flags();
  for (std::size_t i = 0; i < flags.size(); ++i) {
    if (flags[i].active()) rows_.push_back(i);
  }
  seen_ = flags.size();
  connect(dashboard, &DashboardModel::attentionChanged, this, &AttentionModel::sync);
  connect(dashboard, &DashboardModel::languageChanged, this, [this] {
    if (!rows_.empty()) emit dataChanged(index(0), index(static_cast<int>(rows_.size()) - 1));
  });
  if (selection) {
    connect(selection, &TeamSelection::teamChanged, this, [this] {
      if (rows_.empty()) return;
      emit dataChanged(index(0), index(static_cast<int>(rows_.size()) - 1),
                       {Qt::FontRole, SelectedRole});
    });
  }
}

int AttentionModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

const AttentionFlag* AttentionModel::flagAt(int row) const {
  if (!dashboard_ || row < 0 || row >= static_cast<int>(rows_.size())) return nullptr;
  return &dashboard_->state().flags().at(rows_[static_cast<std::size_t>(row)]);
}

QVariant AttentionModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const AttentionFlag* flag = flagAt(index.row());
  if (!flag) return {};
  const QString team = QString::fromStdString(flag->team);
  const bool selected = selection_ && selection_->isSelected(team);
  switch (role) {
    case Qt::DisplayRole:
      return localized(flag->reason, dashboard_->language());
    case Qt::ToolTipRole:
      return tr("%1\nRaised at %2 (exercise time).")
          .arg(localized(flag->reason, dashboard_->language()),
               QString::fromStdString(format_exercise_time(flag->raised_at_ms)));
    case Qt::FontRole: {
      if (!selected) return {};
      QFont font;
      font.setBold(true);
      return font;
    }
    case TeamRole:
      return team;
    case ObjectiveRole:
      return QString::fromStdString(flag->subject);
    case KindRole:
      return static_cast<int>(flag->cause);
    case KeyRole:
      return QString::fromStdString(flag->id);
    case ExerciseTimeRole:
      return static_cast<qint64>(flag->raised_at_ms);
    case SelectedRole:
      return selected;
    default:
      return {};
  }
}

void AttentionModel::acknowledge(int row) {
  const AttentionFlag* flag = flagAt(row);
  if (!flag) return;
  dashboard_->acknowledge(QString::fromStdString(flag->id));  // flushes: sync() runs now
}

void AttentionModel::sync() {
  if (!dashboard_) return;
  const auto& flags = dashboard_->state().flags();
  // Flags only ever leave the active set, and new ones have higher indices than every
  // published one: remove the inactive rows (from the back), then append the new ones.
  for (int row = static_cast<int>(rows_.size()) - 1; row >= 0; --row) {
    if (flags[rows_[static_cast<std::size_t>(row)]].active()) continue;
    beginRemoveRows({}, row, row);
    rows_.erase(rows_.begin() + row);
    endRemoveRows();
  }
  std::vector<std::size_t> added;
  for (std::size_t i = seen_; i < flags.size(); ++i) {
    if (flags[i].active()) added.push_back(i);
  }
  seen_ = flags.size();
  if (added.empty()) return;
  const int first = static_cast<int>(rows_.size());
  beginInsertRows({}, first, first + static_cast<int>(added.size()) - 1);
  rows_.insert(rows_.end(), added.begin(), added.end());
  endInsertRows();
}

}  // namespace cyrange::console
