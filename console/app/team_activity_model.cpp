#include <console/app/team_activity_model.h>

#include <algorithm>

#include <QDateTime>
#include <QFont>

#include <console/app/timeline_model.h>
#include <console/models/dashboard_types.h>
#include <console/models/model_roles.h>

namespace cyrange::console {

TeamActivityModel::TeamActivityModel(QObject* parent) : QAbstractTableModel(parent) {}

void TeamActivityModel::set(const client::TeamActivityView& activity) {
  beginResetModel();
  activity_ = activity;
  endResetModel();
}

void TeamActivityModel::clear() {
  sessions_.clear();
  set({});
}

void TeamActivityModel::setSessions(const std::vector<client::TerminalRecordingInfo>& sessions) {
  sessions_ = sessions;
  if (!activity_.entries.empty())
    emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1), {EvidenceRole});
}

QString TeamActivityModel::evidence(const client::ActivityEntryView& e) const {
  // A grade or an adjustment whose reason names a recorded moment.
  if (auto moment = find_recording_moment(e.text)) return QString::fromStdString(to_link(*moment));
  if (e.kind != "command" || e.host.empty() || activity_.start_unix_us == 0) return {};
  // A typed command: the session of its host that was open then, at that moment.
  const auto typed_ms = activity_.start_unix_us / 1000 + static_cast<std::int64_t>(e.at_s * 1000.0);
  for (const auto& s : sessions_) {
    const std::int64_t end =
        s.ended_at_ms != 0 ? s.ended_at_ms : s.started_at_ms + s.duration_ms + 1000;
    if (s.host != e.host || typed_ms < s.started_at_ms || typed_ms > end) continue;
    // A second early, so the replay shows the line being typed.
    const int seconds =
        static_cast<int>(std::max<std::int64_t>(0, (typed_ms - s.started_at_ms) / 1000 - 1));
    return QString::fromStdString(to_link({s.session_id, seconds}));
  }
  return {};
}

int TeamActivityModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(activity_.entries.size());
}

int TeamActivityModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QString TeamActivityModel::wall_clock(const client::ActivityEntryView& e) const {
  // The activity is timed by the wall clock; the objectives beside it by the exercise clock,
  // which can run faster or stop. Local time of day keeps the two apart.
  if (activity_.start_unix_us == 0) return exercise_clock(e.at_s);
  const auto ms = activity_.start_unix_us / 1000 + static_cast<std::int64_t>(e.at_s * 1000.0);
  return QDateTime::fromMSecsSinceEpoch(ms).toLocalTime().toString(QStringLiteral("HH:mm:ss"));
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
  if (role == EvidenceRole) return evidence(e);
  if (role == Qt::FontRole && e.from_ledger()) {
    QFont bold;
    bold.setBold(true);
    return bold;
  }
  if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
  switch (index.column()) {
    case Time:
      return role == Qt::ToolTipRole ? tr("%1 after the start").arg(exercise_clock(e.at_s))
                                     : wall_clock(e);
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
      return tr("Wall clock");
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
