#pragma once

#include <optional>

#include <QSortFilterProxyModel>

#include <client-core/course_client.h>

namespace cyrange::console {

/// The cohort's runs of one course and in one state (either may be "any"), sorted by
/// CohortModel::SortRole so that numbers and times sort as numbers.
class CohortFilterProxy : public QSortFilterProxyModel {
  Q_OBJECT

 public:
  explicit CohortFilterProxy(QObject* parent = nullptr);

  /// Shows only runs of `course` (empty: every course).
  void setCourse(const QString& course);
  /// Shows only runs in `state` (none: every state).
  void setState(std::optional<client::RunState> state);

 protected:
  bool filterAcceptsRow(int source_row, const QModelIndex& source_parent) const override;

 private:
  QString course_;
  std::optional<client::RunState> state_;
};

}  // namespace cyrange::console
