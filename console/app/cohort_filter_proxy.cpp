#include <console/app/cohort_filter_proxy.h>

#include <console/app/cohort_model.h>

namespace cyrange::console {

CohortFilterProxy::CohortFilterProxy(QObject* parent) : QSortFilterProxyModel(parent) {
  setSortRole(CohortModel::SortRole);
}

void CohortFilterProxy::setCourse(const QString& course) {
  if (course == course_) return;
  course_ = course;
  invalidateFilter();
}

void CohortFilterProxy::setState(std::optional<client::RunState> state) {
  if (state == state_) return;
  state_ = state;
  invalidateFilter();
}

bool CohortFilterProxy::filterAcceptsRow(int source_row, const QModelIndex& source_parent) const {
  const QModelIndex row = sourceModel()->index(source_row, 0, source_parent);
  if (!course_.isEmpty() && row.data(CohortModel::CourseRole).toString() != course_) return false;
  if (state_ && row.data(CohortModel::StateRole).toInt() != static_cast<int>(*state_)) return false;
  return true;
}

}  // namespace cyrange::console
