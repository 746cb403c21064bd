#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <orchestrator/course/course.h>
#include <orchestrator/scoring/score_hub.h>

namespace cyrange::course {

/// Every change of the self-paced runs, for live watches (CourseService.WatchRuns): a state,
/// a place in the queue or the results so far. changed() (RunDesk calls it after each write)
/// and every update of the scoreboard of a run's exercise wake one thread, which reads every
/// run once (a burst of changes is one read) and hands the list to each listener; listeners
/// pick what their caller may see and send what differs. Thread-safe.
class RunFeed {
 public:
  /// Receives every run after a change, newest first; runs on the feed's thread.
  using Listener = std::function<void(const std::vector<Run>& runs)>;

  /// Every run, newest first (RunDesk::all_runs).
  using Reader = std::function<Expected<std::vector<Run>>()>;

  /// `read` must be callable; without `scores` results change only with the runs' states.
  RunFeed(Reader read, std::shared_ptr<scoring::ScoreHub> scores);
  /// Returns after the last pass.
  ~RunFeed();
  RunFeed(const RunFeed&) = delete;
  RunFeed& operator=(const RunFeed&) = delete;

  /// Something about the runs changed: a pass follows soon.
  void changed();
  /// Adds a listener; it is called from the next pass on.
  std::uint64_t subscribe(Listener listener);
  /// Removes a listener; once this returns it is never called again.
  void unsubscribe(std::uint64_t id);

 private:
  void loop();
  void pass();
  // Follows the scoreboards of the runs' exercises, so new results wake the feed.
  void follow_scores(const std::vector<Run>& runs);

  Reader read_;
  std::shared_ptr<scoring::ScoreHub> scores_;
  std::mutex mutex_;  // dirty_, stop_
  std::condition_variable wake_;
  bool dirty_ = true;  // the first pass follows the scoreboards already open
  bool stop_ = false;
  std::mutex listeners_mutex_;  // held while listeners run
  std::map<std::uint64_t, Listener> listeners_;
  std::uint64_t next_id_ = 0;
  // By exercise: the board followed and the subscription on it (only the feed's thread).
  std::map<std::string, std::pair<scoring::ExerciseBoard*, std::shared_ptr<scoring::Subscription>>>
      followed_;
  std::thread thread_;
};

}  // namespace cyrange::course
