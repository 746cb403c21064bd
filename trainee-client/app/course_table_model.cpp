#include <trainee-client/app/course_table_model.h>

#include <algorithm>

#include <QDateTime>

#include <client-qt/translations.h>

namespace cyrange::trainee {

namespace {

constexpr qint64 kWarnBeforeExpiryMs = 2LL * 24 * 3600 * 1000;

QString when(std::int64_t unix_ms) {
  if (unix_ms == 0) return QStringLiteral("-");
  return QDateTime::fromMSecsSinceEpoch(unix_ms).toLocalTime().toString(
      QStringLiteral("yyyy-MM-dd HH:mm"));
}

bool expires_soon(const client::CourseRunInfo& run) {
  return CourseTableModel::isOpen(run) || run.state == client::RunState::paused
             ? run.expires_at_unix_ms != 0 &&
                   run.expires_at_unix_ms - QDateTime::currentMSecsSinceEpoch() <
                       kWarnBeforeExpiryMs
             : false;
}

}  // namespace

CourseTableModel::CourseTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void CourseTableModel::set(std::vector<client::CourseInfo> courses,
                           std::vector<client::CourseRunInfo> runs) {
  beginResetModel();
  courses_ = std::move(courses);
  runs_.assign(courses_.size(), std::nullopt);
  // ListRuns answers newest first: the first run of a course is its latest.
  for (std::size_t row = 0; row < courses_.size(); ++row) {
    const auto found = std::find_if(runs.begin(), runs.end(),
                                    [&](const auto& r) { return r.course_id == courses_[row].id; });
    if (found != runs.end()) runs_[row] = *found;
  }
  endResetModel();
}

int CourseTableModel::updateRun(const client::CourseRunInfo& run) {
  for (std::size_t row = 0; row < courses_.size(); ++row) {
    if (courses_[row].id != run.course_id) continue;
    auto& shown = runs_[row];
    if (shown && shown->id > run.id) return -1;  // an older run of the course
    shown = run;
    const int r = static_cast<int>(row);
    emit dataChanged(index(r, 0), index(r, column_count - 1));
    return r;
  }
  return -1;
}

int CourseTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(courses_.size());
}

int CourseTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : column_count;
}

int CourseTableModel::rowOfRun(std::int64_t run) const {
  for (std::size_t row = 0; row < runs_.size(); ++row)
    if (runs_[row] && runs_[row]->id == run) return static_cast<int>(row);
  return -1;
}

bool CourseTableModel::isOpen(const client::CourseRunInfo& run) {
  return run.state == client::RunState::queued || run.state == client::RunState::starting ||
         run.state == client::RunState::running;
}

QString CourseTableModel::stateText(const client::CourseRunInfo& run) {
  switch (run.state) {
    case client::RunState::queued:
      return tr("Waiting: number %1 in the queue").arg(run.queue_position);
    case client::RunState::starting:
      return tr("Preparing your range");
    case client::RunState::running:
      return tr("Running");
    case client::RunState::paused:
      return tr("Paused (saved)");
    case client::RunState::finished:
      return tr("Finished");
    case client::RunState::expired:
      return tr("Expired");
    case client::RunState::failed:
      return tr("Failed: %1").arg(QString::fromStdString(run.detail));
    case client::RunState::unknown:
      break;
  }
  return tr("Unknown");
}

QVariant CourseTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const auto& c = courses_[index.row()];
  const auto& run = runs_[index.row()];
  if (role == Qt::ToolTipRole && index.column() == expires && run && expires_soon(*run))
    return tr("The range of this run is removed at this time; your results are kept.");
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case course:
      return qt::localized(client::LocalizedText{c.title_ja, c.title_en});
    case speed:
      return tr("x%1").arg(c.clock_speed);
    case run_state:
      return run ? stateText(*run) : tr("Not started");
    case results:
      if (!run || run->started_at_unix_ms == 0) return QStringLiteral("-");
      return tr("%1 points · %2 solved · %n hint(s)", "", run->hints_taken)
          .arg(run->score)
          .arg(run->objectives_solved);
    case started:
      return run ? when(run->started_at_unix_ms) : QStringLiteral("-");
    case expires:
      if (!run) return tr("%n day(s) after the start", "", c.expires_after_days);
      return expires_soon(*run) ? QStringLiteral("⚠ ") + when(run->expires_at_unix_ms)
                                : when(run->expires_at_unix_ms);
    default:
      return {};
  }
}

QVariant CourseTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case course:
      return tr("Course");
    case speed:
      return tr("Clock");
    case run_state:
      return tr("Your run");
    case results:
      return tr("Results");
    case started:
      return tr("Started");
    case expires:
      return tr("Range kept until");
    default:
      return {};
  }
}

}  // namespace cyrange::trainee
