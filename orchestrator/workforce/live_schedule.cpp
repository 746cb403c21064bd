#include <orchestrator/workforce/live_schedule.h>

#include <cmath>
#include <cstdio>

#include <orchestrator/workforce/rng.h>

namespace cyrange::workforce {

bool parse_working_hours(const std::string& text, int& start, int& end) {
  int h1 = 0, m1 = 0, h2 = 0, m2 = 0;
  if (std::sscanf(text.c_str(), "%d:%d-%d:%d", &h1, &m1, &h2, &m2) != 4) return false;
  start = h1 * 60 + m1;
  end = h2 * 60 + m2;
  return start >= 0 && end > start && end <= 24 * 60;
}

double office_minute(double exercise_seconds) {
  const double m = std::fmod(kExerciseStartMinute + exercise_seconds / 60.0, 1440.0);
  return m < 0 ? m + 1440.0 : m;
}

bool within_hours(double minute, int start_minute, int end_minute) {
  if (start_minute == end_minute) return true;
  if (start_minute < end_minute) return minute >= start_minute && minute < end_minute;
  return minute >= start_minute || minute < end_minute;
}

LiveSchedule::LiveSchedule(LivePlan plan, std::uint64_t root)
    : plan_(std::move(plan)), stream_(mix64(root ^ stable_hash("live:" + plan_.persona))) {
  // The validator keeps `every` in 1m..8h; a plan built by hand never spins the loop.
  if (!(plan_.every_seconds >= 1)) plan_.every_seconds = 60;
  next_ = draw(0, 0);
}

double LiveSchedule::next_working(double t) const {
  const double m = office_minute(t);
  if (within_hours(m, plan_.start_minute, plan_.end_minute)) return t;
  double wait = plan_.start_minute - m;
  if (wait <= 0) wait += 1440.0;
  return t + wait * 60.0;
}

LiveAction LiveSchedule::draw(std::uint64_t index, double previous) const {
  Rng rng(stream_, index);
  LiveAction a;
  a.index = index;
  const double gap = plan_.every_seconds * (1.0 + kLiveJitter * (2.0 * rng.uniform() - 1.0));
  const double offset = rng.uniform();  // drawn always: the stream does not depend on hours
  a.at = previous + gap;
  if (const double start = next_working(a.at); start != a.at) {
    // Off duty: the first action of the next working stretch comes a little after its start.
    a.at = start + offset * kLiveJitter * plan_.every_seconds;
    if (!within_hours(office_minute(a.at), plan_.start_minute, plan_.end_minute)) a.at = start;
  }
  const bool both = !plan_.browse.empty() && !plan_.mail_to.empty();
  const bool mail = plan_.browse.empty() || (both && rng.chance(kLiveMailShare));
  const auto& list = mail ? plan_.mail_to : plan_.browse;
  a.kind = mail ? LiveActionKind::mail : LiveActionKind::browse;
  if (!list.empty()) a.target = list[rng.next() % list.size()];
  return a;
}

LiveAction LiveSchedule::pop() {
  LiveAction out = next_;
  next_ = draw(out.index + 1, out.at);
  return out;
}

std::uint64_t LiveSchedule::skip_until(double exercise_seconds) {
  std::uint64_t dropped = 0;
  while (next_.at < exercise_seconds) {
    pop();
    ++dropped;
  }
  return dropped;
}

}  // namespace cyrange::workforce
