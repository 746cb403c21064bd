#include <console/app/timeline_model.h>

namespace cyrange::console {

QString item_state_text(client::ItemState state) {
  switch (state) {
    case client::ItemState::pending:
      return TimelineModel::tr("pending");
    case client::ItemState::due:
      return TimelineModel::tr("due");
    case client::ItemState::firing:
      return TimelineModel::tr("running");
    case client::ItemState::done:
      return TimelineModel::tr("done");
    case client::ItemState::failed:
      return TimelineModel::tr("failed");
    case client::ItemState::skipped:
      return TimelineModel::tr("skipped");
    case client::ItemState::unknown:
      break;
  }
  return TimelineModel::tr("unknown");
}

QString exercise_clock(double seconds) {
  const auto total = static_cast<long long>(seconds < 0 ? 0 : seconds);
  return QStringLiteral("%1:%2:%3")
      .arg(total / 3600, 2, 10, QLatin1Char('0'))
      .arg((total / 60) % 60, 2, 10, QLatin1Char('0'))
      .arg(total % 60, 2, 10, QLatin1Char('0'));
}

namespace {

QString kind_text(client::ItemKind kind) {
  switch (kind) {
    case client::ItemKind::message:
      return TimelineModel::tr("message");
    case client::ItemKind::step:
      return TimelineModel::tr("attack step");
    case client::ItemKind::objective:
      return TimelineModel::tr("objective");
    case client::ItemKind::unknown:
      break;
  }
  return TimelineModel::tr("unknown");
}

QVariant time_or_blank(const std::optional<double>& seconds) {
  if (!seconds) return QString();
  return exercise_clock(*seconds);
}

}  // namespace

TimelineModel::TimelineModel(QObject* parent) : QAbstractTableModel(parent) {}

void TimelineModel::apply(const client::TimelineChange& change) {
  const auto key = std::make_pair(change.team, change.item.item_id);
  if (auto found = index_.find(key); found != index_.end()) {
    rows_[found->second].item = change.item;
    emit dataChanged(index(found->second, 0), index(found->second, ColumnCount - 1));
    return;
  }
  const int row = static_cast<int>(rows_.size());
  beginInsertRows({}, row, row);
  rows_.push_back({change.team, change.item});
  index_[key] = row;
  endInsertRows();
}

const client::TimelineItemView* TimelineModel::at(int row) const {
  if (row < 0 || row >= static_cast<int>(rows_.size())) return nullptr;
  return &rows_[row].item;
}

QString TimelineModel::team_of(int row) const {
  if (row < 0 || row >= static_cast<int>(rows_.size())) return {};
  return QString::fromStdString(rows_[row].team);
}

void TimelineModel::clear() {
  beginResetModel();
  rows_.clear();
  index_.clear();
  endResetModel();
}

int TimelineModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int TimelineModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant TimelineModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const Row& row = rows_[index.row()];
  const auto& item = row.item;
  if (role == TeamRole) return QString::fromStdString(row.team);
  if (role == ItemRole) return QString::fromStdString(item.item_id);
  if (role == StateRole) return static_cast<int>(item.state);
  if (role == Qt::ToolTipRole && !item.detail.empty()) return QString::fromStdString(item.detail);
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case Team:
      return QString::fromStdString(row.team);
    case Item:
      return QString::fromStdString(item.item_id);
    case Kind:
      return kind_text(item.kind);
    case State:
      return item_state_text(item.state);
    case Due:
      return time_or_blank(item.due_at);
    case Fired:
      return time_or_blank(item.fired_at);
    case Finished:
      return time_or_blank(item.finished_at);
    case Technique:
      return QString::fromStdString(item.technique);
    case Detail:
      return QString::fromStdString(item.detail);
    default:
      return {};
  }
}

QVariant TimelineModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case Team:
      return tr("Team");
    case Item:
      return tr("Item");
    case Kind:
      return tr("Kind");
    case State:
      return tr("State");
    case Due:
      return tr("Due");
    case Fired:
      return tr("Fired");
    case Finished:
      return tr("Finished");
    case Technique:
      return tr("ATT&CK");
    case Detail:
      return tr("Detail");
    default:
      return {};
  }
}

}  // namespace cyrange::console
