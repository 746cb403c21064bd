#include <orchestrator/timeline/clock.h>

#include <string>

namespace cyrange::timeline {

std::chrono::system_clock::time_point SystemTimeSource::now() const {
  return std::chrono::system_clock::now();
}

ManualTimeSource::ManualTimeSource()
    : now_(std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000))) {}

std::chrono::system_clock::time_point ManualTimeSource::now() const {
  std::lock_guard lock(mutex_);
  return now_;
}

void ManualTimeSource::advance(double seconds) {
  std::lock_guard lock(mutex_);
  now_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(
      std::chrono::duration<double>(seconds));
}

ExerciseClock::ExerciseClock(const TimeSource& source, ClockState state)
    : source_(source), state_(state) {}

double ExerciseClock::now() const {
  if (!started()) return 0;
  if (state_.paused) return state_.accumulated;
  const std::chrono::duration<double> wall = source_.now() - state_.segment_started_at;
  // A wall clock stepped backwards must not run exercise time backwards.
  return state_.accumulated + (wall.count() > 0 ? wall.count() * state_.speed : 0);
}

void ExerciseClock::fold() {
  state_.accumulated = now();
  state_.segment_started_at = source_.now();
}

Status ExerciseClock::start() {
  if (started()) {
    return make_error(ErrorCode::failed_precondition,
                      "The exercise clock is already running; pause or resume it instead.");
  }
  state_.started_at = source_.now();
  state_.segment_started_at = *state_.started_at;
  state_.accumulated = 0;
  state_.paused = false;
  return Status::success();
}

Status ExerciseClock::pause() {
  if (!started() || state_.paused) {
    return make_error(ErrorCode::failed_precondition,
                      started() ? "The exercise clock is already paused; resume it first."
                                : "The exercise clock has not started; start the exercise first.");
  }
  fold();
  state_.paused = true;
  return Status::success();
}

Status ExerciseClock::resume() {
  if (!started() || !state_.paused) {
    return make_error(ErrorCode::failed_precondition,
                      started() ? "The exercise clock is not paused, so there is nothing to resume."
                                : "The exercise clock has not started; start the exercise first.");
  }
  state_.segment_started_at = source_.now();
  state_.paused = false;
  return Status::success();
}

Status ExerciseClock::set_speed(double speed) {
  if (!(speed > 0 && speed <= 10000)) {
    return make_error(
        ErrorCode::invalid_argument,
        "Speed factor " + std::to_string(speed) +
            " is not valid; give a number above 0 and at most 10000 (1 = real time).");
  }
  if (started() && !state_.paused) fold();
  state_.speed = speed;
  return Status::success();
}

}  // namespace cyrange::timeline
