#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include <QAbstractTableModel>

#include <client-core/course_client.h>

namespace cyrange::console {

/// The self-paced runs the instructor may see (their organisation's trainees; an admin's:
/// every run), one row each: trainee, course, state, results, times and how many rubric
/// items wait for review. Fed from CourseService.ListRuns and ListReviews.
class CohortModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  /// The columns.
  enum Column {
    Trainee,
    Course,
    State,
    Score,
    Objectives,
    Hints,
    Reviews,
    Started,
    LastChange,
    Expires,
    ColumnCount
  };
  /// Extra data of a row: the run id (qint64), the state (client::RunState as int), the
  /// course id, and a value to sort by (numbers and times as numbers).
  enum Role { RunRole = Qt::UserRole + 1, StateRole, CourseRole, SortRole };

  explicit CohortModel(QObject* parent = nullptr);

  /// Replaces the runs and their waiting review items.
  void set(const std::vector<client::CourseRunInfo>& runs, const client::ReviewQueue& reviews);
  /// The run in `row`, or nullptr.
  const client::CourseRunInfo* at(int row) const;
  /// The row of run `id`, or -1.
  int row_of(std::int64_t id) const;
  /// The review items waiting in run `id` (empty when none or not loaded).
  std::vector<client::PendingReviewInfo> reviews_of(std::int64_t id) const;
  /// False when the server has not loaded run `id`'s scores, so its items are unknown.
  bool reviews_known(std::int64_t id) const { return !unavailable_.contains(id); }
  /// The courses of the runs listed, sorted.
  QStringList courses() const;

  /// The state as the console shows it ("queued (#2)", "failed: <why>").
  static QString state_text(const client::CourseRunInfo& run);
  /// The name of a state alone ("queued", "running", …).
  static QString state_name(client::RunState state);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  QVariant display(const client::CourseRunInfo& run, int column) const;
  QVariant sort_value(const client::CourseRunInfo& run, int column) const;

  std::vector<client::CourseRunInfo> rows_;
  std::map<std::int64_t, std::vector<client::PendingReviewInfo>> reviews_;
  std::set<std::int64_t> unavailable_;
};

/// The latest moment a run changed (created, started, paused or ended), Unix ms.
std::int64_t last_change_ms(const client::CourseRunInfo& run);

}  // namespace cyrange::console
