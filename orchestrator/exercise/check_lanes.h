#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace cyrange::exercise {

/// One worker per key (a team of an exercise) for the checker's scheduled rounds. A round
/// whose guest hangs holds its own lane only, and a lane still busy is skipped rather than
/// queued, so the other teams are checked on time and nothing piles up. Thread-safe.
class CheckLanes {
 public:
  CheckLanes() = default;
  /// Waits for the work under way.
  ~CheckLanes();
  CheckLanes(const CheckLanes&) = delete;
  CheckLanes& operator=(const CheckLanes&) = delete;

  /// Runs `work` on the lane of `key` unless that lane is still busy: false when it is.
  bool start(const std::string& key, std::function<void()> work);

 private:
  struct Lane {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  std::mutex mutex_;
  std::map<std::string, Lane> lanes_;
};

}  // namespace cyrange::exercise
