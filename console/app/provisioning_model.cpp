#include <console/app/provisioning_model.h>

#include <QApplication>
#include <QPalette>

namespace cyrange::console {

namespace {

QString step_state_text(const std::string& state) {
  if (state == "pending") return ProvisioningModel::tr("waiting");
  if (state == "defining") return ProvisioningModel::tr("defining");
  if (state == "booting") return ProvisioningModel::tr("starting");
  if (state == "waiting-for-services") return ProvisioningModel::tr("waiting for services");
  if (state == "ready") return ProvisioningModel::tr("ready");
  if (state == "failed") return ProvisioningModel::tr("failed");
  return QString::fromStdString(state);
}

}  // namespace

ProvisioningModel::ProvisioningModel(QObject* parent) : QAbstractTableModel(parent) {}

void ProvisioningModel::apply(const client::ProvisioningStep& step) {
  const auto key = std::make_pair(step.team, step.host);
  if (auto found = index_.find(key); found != index_.end()) {
    rows_[found->second] = step;
    emit dataChanged(index(found->second, 0), index(found->second, ColumnCount - 1));
    return;
  }
  const int row = static_cast<int>(rows_.size());
  beginInsertRows({}, row, row);
  rows_.push_back(step);
  index_[key] = row;
  endInsertRows();
}

void ProvisioningModel::clear() {
  beginResetModel();
  rows_.clear();
  index_.clear();
  endResetModel();
}

std::pair<int, int> ProvisioningModel::ready_hosts() const {
  int ready = 0, hosts = 0;
  for (const auto& r : rows_) {
    if (r.host.empty()) continue;
    ++hosts;
    if (r.state == "ready") ++ready;
  }
  return {ready, hosts};
}

int ProvisioningModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int ProvisioningModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProvisioningModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const auto& s = rows_[index.row()];
  const bool failed = s.state == "failed";
  if (role == PercentRole) return s.percent;
  if (role == FailedRole) return failed;
  if (role == Qt::ForegroundRole && failed) return QApplication::palette().brush(QPalette::Link);
  if (role == Qt::ToolTipRole) return QString::fromStdString(s.message);
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case Team:
      return QString::fromStdString(s.team);
    case Host:
      return s.host.empty() ? tr("(whole range)") : QString::fromStdString(s.host);
    case State:
      return failed ? tr("✗ %1").arg(step_state_text(s.state)) : step_state_text(s.state);
    case Progress:
      return tr("%1 %").arg(s.percent);
    case Message:
      return QString::fromStdString(s.message);
    default:
      return {};
  }
}

QVariant ProvisioningModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case Team:
      return tr("Team");
    case Host:
      return tr("Host");
    case State:
      return tr("State");
    case Progress:
      return tr("Progress");
    case Message:
      return tr("Message");
    default:
      return {};
  }
}

}  // namespace cyrange::console
