#include <orchestrator/course/exercise_engine.h>

#include <orchestrator/timeline/engine.h>

namespace cyrange::course {

ExerciseEngine::ExerciseEngine(std::shared_ptr<exercise::ExerciseManager> exercises,
                               std::shared_ptr<timeline::TimelineHub> timelines)
    : exercises_(std::move(exercises)), timelines_(std::move(timelines)) {}

Status ExerciseEngine::create(const Course& course, const std::string& exercise,
                              const std::string& team) {
  exercise::ExerciseRequest request;
  request.id = exercise;
  request.scenario_yaml = course.scenario_yaml;
  request.scenario_file = course.scenario_file;
  request.teams = {team};
  auto created = exercises_->create(request);
  if (!created) return created.error();
  return Status::success();
}

Expected<std::pair<std::string, std::string>> ExerciseEngine::state(const std::string& exercise) {
  auto info = exercises_->get(exercise);
  if (!info) return info.error();
  return std::pair{info->state, info->detail};
}

Status ExerciseEngine::start_clock(const std::string& exercise, double speed) {
  auto timeline = timelines_->find(exercise);
  if (!timeline) return timeline.error();
  if (!(*timeline)->clock_state().started_at)
    if (auto st = (*timeline)->start(); !st) return st;
  if (speed != 1) return (*timeline)->set_speed(speed);
  return Status::success();
}

Expected<std::chrono::seconds> ExerciseEngine::clock(const std::string& exercise) {
  auto timeline = timelines_->find(exercise);
  if (!timeline) return timeline.error();
  return std::chrono::seconds(static_cast<std::int64_t>((*timeline)->now()));
}

Expected<std::vector<std::string>> ExerciseEngine::decide_defaults(const std::string& exercise) {
  auto timeline = timelines_->find(exercise);
  if (!timeline) return timeline.error();
  return (*timeline)->choose_defaults();
}

Status ExerciseEngine::suspend(const std::string& exercise) {
  return exercises_->suspend(exercise);
}

Status ExerciseEngine::resume(const std::string& exercise) { return exercises_->resume(exercise); }

Status ExerciseEngine::end(const std::string& exercise) {
  auto ended = exercises_->end(exercise);
  if (!ended) return ended.error();
  return Status::success();
}

Status ExerciseEngine::load_results(const std::string& exercise) {
  return exercises_->reopen_scores(exercise);
}

}  // namespace cyrange::course
