#include <orchestrator/course/run_feed.h>

#include <chrono>
#include <set>

#include <orchestrator/common/log.h>

namespace cyrange::course {
namespace {

// Changes closer together than this are sent as one.
constexpr auto kCoalesce = std::chrono::milliseconds(150);

}  // namespace

RunFeed::RunFeed(Reader read, std::shared_ptr<scoring::ScoreHub> scores)
    : read_(std::move(read)), scores_(std::move(scores)) {
  thread_ = std::thread([this] { loop(); });
}

RunFeed::~RunFeed() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
  for (auto& [exercise, followed] : followed_) followed.first->unsubscribe(followed.second);
}

void RunFeed::changed() {
  {
    std::lock_guard lock(mutex_);
    dirty_ = true;
  }
  wake_.notify_all();
}

std::uint64_t RunFeed::subscribe(Listener listener) {
  std::lock_guard lock(listeners_mutex_);
  listeners_.emplace(++next_id_, std::move(listener));
  return next_id_;
}

void RunFeed::unsubscribe(std::uint64_t id) {
  std::lock_guard lock(listeners_mutex_);
  listeners_.erase(id);
}

void RunFeed::loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stop_ || dirty_; });
    if (stop_) return;
    // Let a burst (a run placed, its token issued, its results) settle into one read.
    wake_.wait_for(lock, kCoalesce, [this] { return stop_; });
    if (stop_) return;
    dirty_ = false;
    lock.unlock();
    pass();
    lock.lock();
  }
}

void RunFeed::pass() {
  for (auto& [exercise, followed] : followed_)
    while (followed.second->next()) {
    }
  auto runs = read_();
  if (!runs) {
    // The next change tries again; watchers keep what they have.
    log::get("course")->warn("Cannot read the runs for their watchers: {}", runs.error().message);
    return;
  }
  follow_scores(*runs);
  std::lock_guard lock(listeners_mutex_);
  for (const auto& [id, listener] : listeners_) listener(*runs);
}

void RunFeed::follow_scores(const std::vector<Run>& runs) {
  if (!scores_) return;
  std::set<std::string> wanted;
  for (const auto& run : runs)
    if (!run.exercise.empty() && run.state != RunState::failed) wanted.insert(run.exercise);
  for (auto it = followed_.begin(); it != followed_.end();) {
    if (wanted.contains(it->first)) {
      ++it;
      continue;
    }
    it->second.first->unsubscribe(it->second.second);
    it = followed_.erase(it);
  }
  for (const auto& exercise : wanted) {
    if (followed_.contains(exercise)) continue;
    auto board = scores_->find(exercise);
    if (!board) continue;  // not loaded (yet): its run's next change looks again
    auto subscription = (*board)->subscribe("", 16);
    subscription->set_wake([this] { changed(); });
    while (subscription->next()) {
    }
    followed_.emplace(exercise, std::pair{*board, std::move(subscription)});
  }
}

}  // namespace cyrange::course
