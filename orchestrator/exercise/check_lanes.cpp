#include <orchestrator/exercise/check_lanes.h>

namespace cyrange::exercise {

CheckLanes::~CheckLanes() {
  std::map<std::string, Lane> lanes;
  {
    std::lock_guard lock(mutex_);
    lanes.swap(lanes_);
  }
  for (auto& [key, lane] : lanes)
    if (lane.thread.joinable()) lane.thread.join();
}

bool CheckLanes::start(const std::string& key, std::function<void()> work) {
  std::lock_guard lock(mutex_);
  auto& lane = lanes_[key];
  if (lane.thread.joinable()) {
    if (!lane.done->load()) return false;
    lane.thread.join();  // finished: returns at once
  }
  lane.done = std::make_shared<std::atomic<bool>>(false);
  lane.thread = std::thread([work = std::move(work), done = lane.done] {
    work();
    done->store(true);
  });
  return true;
}

}  // namespace cyrange::exercise
