#pragma once

#include <memory>

#include <orchestrator/course/course.h>
#include <orchestrator/exercise/exercise_manager.h>
#include <orchestrator/timeline/hub.h>

namespace cyrange::course {

/// Runs on cyranged's own exercises: a run is an exercise with one team, its clock
/// driven by the course, its guests paused to disk with libvirt managed save.
class ExerciseEngine : public RunEngine {
 public:
  /// Neither may be null.
  ExerciseEngine(std::shared_ptr<exercise::ExerciseManager> exercises,
                 std::shared_ptr<timeline::TimelineHub> timelines);

  Status create(const Course& course, const std::string& exercise,
                const std::string& team) override;
  Expected<std::pair<std::string, std::string>> state(const std::string& exercise) override;
  Status start_clock(const std::string& exercise, double speed) override;
  Expected<std::chrono::seconds> clock(const std::string& exercise) override;
  Expected<std::vector<std::string>> decide_defaults(const std::string& exercise) override;
  Status suspend(const std::string& exercise) override;
  Status resume(const std::string& exercise) override;
  Status end(const std::string& exercise) override;
  Status load_results(const std::string& exercise) override;

 private:
  std::shared_ptr<exercise::ExerciseManager> exercises_;
  std::shared_ptr<timeline::TimelineHub> timelines_;
};

}  // namespace cyrange::course
