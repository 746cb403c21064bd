#include <console/app/provisioning_model.h>

#include <QApplication>
#include <QFont>
#include <QPalette>

namespace cyrange::console {

namespace {

constexpr const char* kReady = "ready";
constexpr const char* kFailed = "failed";
constexpr const char* kInProgress = "in-progress";

QString step_state_text(const std::string& state) {
  if (state == "pending") return ProvisioningModel::tr("waiting");
  if (state == "defining") return ProvisioningModel::tr("defining");
  if (state == "booting") return ProvisioningModel::tr("starting");
  if (state == "waiting-for-services") return ProvisioningModel::tr("waiting for services");
  if (state == kReady) return ProvisioningModel::tr("ready");
  if (state == kFailed) return ProvisioningModel::tr("failed");
  return QString::fromStdString(state);
}

// How far one host has come, from its state alone: a host is defined, started, answers
// through its guest agent, then its services answer (the steps cyranged reports per host).
int host_percent(const std::string& state) {
  if (state == "booting") return 33;
  if (state == "waiting-for-services") return 67;
  if (state == kReady) return 100;
  return 0;
}

}  // namespace

ProvisioningModel::ProvisioningModel(QObject* parent) : QAbstractTableModel(parent) {}

int ProvisioningModel::team_row(const std::string& team) {
  if (auto found = index_.find({team, std::string()}); found != index_.end()) return found->second;
  // A new team's block goes last: its row, then its hosts' rows.
  const int row = static_cast<int>(rows_.size());
  beginInsertRows({}, row, row);
  rows_.push_back(Row{team, {}, kInProgress, {}, 0, 0, 0});
  index_[{team, std::string()}] = row;
  endInsertRows();
  return row;
}

void ProvisioningModel::apply(const client::ProvisioningStep& step) {
  const int team = team_row(step.team);
  TeamTrack& track = teams_[step.team];
  track.percent = step.percent;
  if (step.host.empty()) {
    track.range_message = step.message;
    track.range_failed = step.state == kFailed;
    update_team(team);
    return;
  }
  // A host step after a range-wide failure is a new attempt (a reset) under way.
  track.range_failed = false;
  track.host_seen = true;
  Row host{step.team, step.host, step.state, step.message, host_percent(step.state), 0, 0};
  if (auto found = index_.find({step.team, step.host}); found != index_.end()) {
    rows_[found->second] = std::move(host);
    emit dataChanged(index(found->second, 0), index(found->second, ColumnCount - 1));
  } else {
    // Last in its team's block, so a team's hosts stay together under the team's row.
    int row = team + 1;
    while (row < static_cast<int>(rows_.size()) && rows_[row].team == step.team) ++row;
    beginInsertRows({}, row, row);
    rows_.insert(rows_.begin() + row, std::move(host));
    for (auto& [key, at] : index_)
      if (at >= row) ++at;
    index_[{step.team, step.host}] = row;
    endInsertRows();
  }
  update_team(team);
}

void ProvisioningModel::update_team(int row) {
  Row& team = rows_[row];
  const TeamTrack& track = teams_[team.team];
  const std::string before = team.state;
  const Row* failed_host = nullptr;
  team.ready = team.hosts = 0;
  for (int r = row + 1; r < static_cast<int>(rows_.size()) && rows_[r].team == team.team; ++r) {
    ++team.hosts;
    if (rows_[r].state == kReady) ++team.ready;
    if (rows_[r].state == kFailed && !failed_host) failed_host = &rows_[r];
  }
  team.percent = track.percent;
  if (failed_host || track.range_failed) {
    team.state = kFailed;
    team.message =
        failed_host ? failed_host->host + ": " + failed_host->message : track.range_message;
  } else if (team.hosts > 0 && team.ready == team.hosts && track.percent >= 100) {
    // Hosts not started yet have sent nothing: the server's figure says when all are in.
    team.state = kReady;
    team.message.clear();
  } else {
    team.state = kInProgress;
    team.message = track.host_seen ? std::string() : track.range_message;
  }
  emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
  if (team.state != before && team.state != kInProgress)
    emit teamSettled(QString::fromStdString(team.team), team.state == kReady,
                     QString::fromStdString(team.message));
}

void ProvisioningModel::clear() {
  beginResetModel();
  rows_.clear();
  index_.clear();
  teams_.clear();
  endResetModel();
}

std::pair<int, int> ProvisioningModel::ready_hosts() const {
  int ready = 0, hosts = 0;
  for (const auto& r : rows_) {
    if (r.host.empty()) continue;
    ++hosts;
    if (r.state == kReady) ++ready;
  }
  return {ready, hosts};
}

int ProvisioningModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int ProvisioningModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QString ProvisioningModel::state_text(const Row& row) const {
  if (row.state == kFailed) return tr("✗ %1").arg(step_state_text(row.state));
  if (row.host.empty() && row.state == kInProgress) {
    if (row.hosts == 0) return tr("preparing the range");
    return tr("%1 of %2 hosts ready").arg(row.ready).arg(row.hosts);
  }
  return step_state_text(row.state);
}

QVariant ProvisioningModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const auto& s = rows_[index.row()];
  const bool failed = s.state == kFailed;
  // A failed host has no progress to show; its range's row still has the server's figure.
  const bool no_percent = failed && !s.host.empty();
  if (role == PercentRole) return no_percent ? 0 : s.percent;
  if (role == FailedRole) return failed;
  if (role == Qt::ForegroundRole && failed) return QApplication::palette().brush(QPalette::Link);
  if (role == Qt::FontRole && s.host.empty()) {
    QFont bold = QApplication::font();
    bold.setBold(true);
    return bold;
  }
  const QString message = s.host.empty() && s.state == kReady
                              ? tr("All %n host(s) ready", nullptr, s.hosts)
                              : QString::fromStdString(s.message);
  if (role == Qt::ToolTipRole) return message;
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case Team:
      return QString::fromStdString(s.team);
    case Host:
      return s.host.empty() ? tr("(whole range)") : QString::fromStdString(s.host);
    case State:
      return state_text(s);
    case Progress:
      return no_percent ? QString() : tr("%1 %").arg(s.percent);
    case Message:
      return message;
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
