#include <console/app/team_activity_model.h>

#include <QFont>

#include <console/app/timeline_model.h>

namespace cyrange::console {

TeamActivityModel::TeamActivityModel(QObject* parent) : QAbstractTableModel(parent) {}

void TeamActivityModel::set(const client::TeamActivityView& activity) {
  beginResetModel();
  activity_ = activity;
  endResetModel();
}

void TeamActivityModel::clear() { set({}); }

int TeamActivityModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(activity_.entries.size());
}

int TeamActivityModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QString TeamActivityModel::what(const client::ActivityEntryView& e) const {
  const std::string& k = e.kind;
  if (k == "command") return tr("Command");
  if (k == "answer") return tr("Answer sent");
  if (k == "hint") return tr("Hint asked");
  if (k == "report_edit") return tr("Report edited");
  if (k == "idle") return tr("Idle");
  if (k == "ledger:solve") return tr("Solved");
  if (k == "ledger:partial") return tr("Partly solved");
  if (k == "ledger:wrong_answer") return tr("Wrong answer");
  if (k == "ledger:hint") return tr("Hint charged");
  if (k == "ledger:solution_reveal") return tr("Solution revealed");
  if (k == "ledger:adjustment") return tr("Score adjusted");
  if (k == "ledger:service_penalty") return tr("Service down");
  return QString::fromStdString(k);
}

QString TeamActivityModel::detail(const client::ActivityEntryView& e) const {
  if (e.kind == "command" && e.redacted) return tr("(not recorded: typed at a password prompt)");
  if (e.kind == "idle")
    return tr("%1 s without input").arg(QString::fromStdString(e.text).toLongLong() / 1000);
  return QString::fromStdString(e.text);
}

QVariant TeamActivityModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) return {};
  const auto& e = activity_.entries[static_cast<std::size_t>(index.row())];
  if (role == LedgerRole) return e.from_ledger();
  if (role == Qt::FontRole && e.from_ledger()) {
    QFont bold;
    bold.setBold(true);
    return bold;
  }
  if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
  switch (index.column()) {
    case Time:
      return exercise_clock(e.at_s);
    case Trainee:
      return QString::fromStdString(e.trainee);
    case What:
      return what(e);
    case Host:
      return QString::fromStdString(e.host);
    case Detail:
      return detail(e);
    case Points:
      return e.from_ledger() && e.points != 0 ? QVariant::fromValue<qint64>(e.points) : QVariant();
    default:
      return {};
  }
}

QVariant TeamActivityModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case Time:
      return tr("Since start");
    case Trainee:
      return tr("Trainee");
    case What:
      return tr("What");
    case Host:
      return tr("Host");
    case Detail:
      return tr("Detail");
    case Points:
      return tr("Points");
    default:
      return {};
  }
}

}  // namespace cyrange::console
