#pragma once

#include <optional>
#include <vector>

#include <QAbstractTableModel>

#include <client-core/course_client.h>

namespace cyrange::trainee {

/// The courses open to the trainee, one row each, beside the trainee's own latest run of
/// it: its state (with the place in the queue), when it started and when its range
/// expires. Fed by ListCourses and ListRuns answers, and kept live by WatchRuns.
class CourseTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { course, speed, run_state, results, started, expires, column_count };

  explicit CourseTableModel(QObject* parent = nullptr);

  /// Replaces the courses and the trainee's runs.
  void set(std::vector<client::CourseInfo> courses, std::vector<client::CourseRunInfo> runs);
  /// One run as it is now (WatchRuns): replaces the run of its course when it is the same
  /// run or a newer one; a run of a course not listed is ignored. Returns its row or -1.
  int updateRun(const client::CourseRunInfo& run);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

  const client::CourseInfo& courseAt(int row) const { return courses_.at(row); }
  /// The trainee's latest run of the course in `row`, if any.
  const std::optional<client::CourseRunInfo>& runAt(int row) const { return runs_.at(row); }
  /// The row of the run with id `run`, or -1.
  int rowOfRun(std::int64_t run) const;

  /// The state of a run in words, with its place in the queue while queued.
  static QString stateText(const client::CourseRunInfo& run);
  /// Whether the run holds a range that is being prepared or used.
  static bool isOpen(const client::CourseRunInfo& run);

 private:
  std::vector<client::CourseInfo> courses_;
  std::vector<std::optional<client::CourseRunInfo>> runs_;  // per row
};

}  // namespace cyrange::trainee
