#include <client-qt/course_adapter.h>

namespace cyrange::qt {

CourseAdapter::CourseAdapter(Session* session, QObject* parent)
    : QObject(parent), client_(session->connection()) {}

CourseAdapter::~CourseAdapter() { watch_.cancel(); }

void CourseAdapter::watchRuns() {
  const quint64 generation = ++generation_;
  watch_ = client_.watch_runs(
      relay_.to_gui<client::CourseRunInfo>([this, generation](const client::CourseRunInfo& run) {
        if (generation == generation_) emit runChanged(run);
      }),
      relay_.to_gui<client::StreamEnd>([this, generation](const client::StreamEnd& end) {
        if (generation == generation_) emit watchEnded(end);
      }));
}

void CourseAdapter::stopWatching() {
  ++generation_;
  watch_.cancel();
}

}  // namespace cyrange::qt
