#include <console/app/recording_list_model.h>

#include <QDateTime>
#include <QLocale>

namespace cyrange::console {
namespace {

QString length_text(std::int64_t ms) {
  const qint64 s = ms / 1000;
  return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

}  // namespace

RecordingListModel::RecordingListModel(QObject* parent) : QAbstractTableModel(parent) {}

void RecordingListModel::set(const std::vector<client::TerminalRecordingInfo>& sessions) {
  beginResetModel();
  rows_ = sessions;
  endResetModel();
}

void RecordingListModel::clear() { set({}); }

const client::TerminalRecordingInfo* RecordingListModel::at(int row) const {
  if (row < 0 || row >= static_cast<int>(rows_.size())) return nullptr;
  return &rows_[static_cast<std::size_t>(row)];
}

int RecordingListModel::row_of(qint64 id) const {
  for (std::size_t i = 0; i < rows_.size(); ++i)
    if (rows_[i].session_id == id) return static_cast<int>(i);
  return -1;
}

int RecordingListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int RecordingListModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant RecordingListModel::data(const QModelIndex& index, int role) const {
  const auto* s = index.isValid() ? at(index.row()) : nullptr;
  if (s == nullptr || index.column() < 0 || index.column() >= ColumnCount) return {};
  if (role == SessionRole) return QVariant::fromValue<qint64>(s->session_id);
  if (role == OpenRole) return s->open();
  if (role == Qt::ToolTipRole && s->truncated)
    return tr("The recording reached the server's size limit; what came after was not kept.");
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case Team:
      return QString::fromStdString(s->team);
    case Host:
      return QString::fromStdString(s->host);
    case User:
      return s->user.empty() ? tr("(erased)") : QString::fromStdString(s->user);
    case Started:
      return QLocale().toString(QDateTime::fromMSecsSinceEpoch(s->started_at_ms),
                                QLocale::ShortFormat);
    case Length:
      return length_text(s->duration_ms);
    case Size:
      return QLocale().formattedDataSize(s->bytes);
    case State:
      if (s->open()) return tr("open");
      return s->truncated ? tr("ended, truncated") : tr("ended");
    default:
      return {};
  }
}

QVariant RecordingListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case Team:
      return tr("Team");
    case Host:
      return tr("Host");
    case User:
      return tr("User");
    case Started:
      return tr("Started");
    case Length:
      return tr("Length");
    case Size:
      return tr("Size");
    case State:
      return tr("State");
    default:
      return {};
  }
}

}  // namespace cyrange::console
