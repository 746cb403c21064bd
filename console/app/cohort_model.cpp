#include <console/app/cohort_model.h>

#include <algorithm>

#include <QDateTime>

namespace cyrange::console {
namespace {

// A moment as local date and time; empty for "not reached".
QString moment(std::int64_t unix_ms) {
  if (unix_ms <= 0) return {};
  return QDateTime::fromMSecsSinceEpoch(unix_ms).toLocalTime().toString(
      QStringLiteral("yyyy-MM-dd HH:mm"));
}

}  // namespace

std::int64_t last_change_ms(const client::CourseRunInfo& run) {
  return std::max({run.created_at_unix_ms, run.started_at_unix_ms, run.paused_at_unix_ms,
                   run.ended_at_unix_ms});
}

CohortModel::CohortModel(QObject* parent) : QAbstractTableModel(parent) {}

void CohortModel::set(const std::vector<client::CourseRunInfo>& runs,
                      const client::ReviewQueue& reviews) {
  beginResetModel();
  rows_ = runs;
  reviews_.clear();
  for (const auto& r : reviews.reviews) reviews_[r.run_id].push_back(r);
  unavailable_ = {reviews.unavailable_runs.begin(), reviews.unavailable_runs.end()};
  endResetModel();
}

const client::CourseRunInfo* CohortModel::at(int row) const {
  return row >= 0 && row < static_cast<int>(rows_.size()) ? &rows_[static_cast<std::size_t>(row)]
                                                          : nullptr;
}

int CohortModel::row_of(std::int64_t id) const {
  for (std::size_t i = 0; i < rows_.size(); ++i)
    if (rows_[i].id == id) return static_cast<int>(i);
  return -1;
}

std::vector<client::PendingReviewInfo> CohortModel::reviews_of(std::int64_t id) const {
  auto found = reviews_.find(id);
  return found == reviews_.end() ? std::vector<client::PendingReviewInfo>{} : found->second;
}

QStringList CohortModel::courses() const {
  QStringList out;
  for (const auto& r : rows_) {
    const QString course = QString::fromStdString(r.course_id);
    if (!out.contains(course)) out << course;
  }
  out.sort();
  return out;
}

QString CohortModel::state_name(client::RunState state) {
  using S = client::RunState;
  switch (state) {
    case S::queued:
      return tr("queued");
    case S::starting:
      return tr("starting");
    case S::running:
      return tr("running");
    case S::paused:
      return tr("paused");
    case S::finished:
      return tr("finished");
    case S::expired:
      return tr("expired");
    case S::failed:
      return tr("failed");
    case S::unknown:
      break;
  }
  return tr("unknown");
}

QString CohortModel::state_text(const client::CourseRunInfo& run) {
  if (run.state == client::RunState::queued && run.queue_position > 0)
    return tr("queued (#%1)").arg(run.queue_position);
  if (run.state == client::RunState::failed && !run.detail.empty())
    return tr("failed: %1").arg(QString::fromStdString(run.detail));
  return state_name(run.state);
}

int CohortModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int CohortModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant CohortModel::display(const client::CourseRunInfo& run, int column) const {
  switch (column) {
    case Trainee:
      return QString::fromStdString(run.user);
    case Course:
      return QString::fromStdString(run.course_id);
    case State:
      return state_text(run);
    case Score:
      return run.score;
    case Objectives:
      return run.objectives_solved;
    case Hints:
      return run.hints_taken;
    case Reviews:
      if (!reviews_known(run.id)) return QStringLiteral("?");
      return static_cast<int>(reviews_of(run.id).size());
    case Started:
      return moment(run.started_at_unix_ms);
    case LastChange:
      return moment(last_change_ms(run));
    case Expires:
      // The day is enough; the tooltip has the hour.
      return moment(run.expires_at_unix_ms).left(10);
    default:
      return {};
  }
}

QVariant CohortModel::sort_value(const client::CourseRunInfo& run, int column) const {
  switch (column) {
    case State:
      return static_cast<int>(run.state);
    case Reviews:
      return reviews_known(run.id) ? static_cast<int>(reviews_of(run.id).size()) : -1;
    case Started:
      return static_cast<qint64>(run.started_at_unix_ms);
    case LastChange:
      return static_cast<qint64>(last_change_ms(run));
    case Expires:
      return static_cast<qint64>(run.expires_at_unix_ms);
    default:
      return display(run, column);
  }
}

QVariant CohortModel::data(const QModelIndex& index, int role) const {
  const auto* run = index.isValid() ? at(index.row()) : nullptr;
  if (run == nullptr || index.column() < 0 || index.column() >= ColumnCount) return {};
  switch (role) {
    case Qt::DisplayRole:
      return display(*run, index.column());
    case Qt::ToolTipRole:
      if (index.column() == Reviews && !reviews_known(run->id))
        return tr(
            "The server has not loaded this run's scores (it ended before the server "
            "started), so its review items cannot be listed.");
      if (index.column() == State && !run->detail.empty())
        return QString::fromStdString(run->detail);
      if (index.column() == Expires) return moment(run->expires_at_unix_ms);
      return {};
    case Qt::TextAlignmentRole:
      if (index.column() >= Score && index.column() <= Reviews)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
      return {};
    case RunRole:
      return static_cast<qint64>(run->id);
    case StateRole:
      return static_cast<int>(run->state);
    case CourseRole:
      return QString::fromStdString(run->course_id);
    case SortRole:
      return sort_value(*run, index.column());
    default:
      return {};
  }
}

QVariant CohortModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case Trainee:
      return tr("Trainee");
    case Course:
      return tr("Course");
    case State:
      return tr("State");
    case Score:
      return tr("Score");
    case Objectives:
      return tr("Solved");
    case Hints:
      return tr("Hints");
    case Reviews:
      return tr("Waiting for review");
    case Started:
      return tr("Started");
    case LastChange:
      return tr("Last change");
    case Expires:
      return tr("Expires");
    default:
      return {};
  }
}

}  // namespace cyrange::console
