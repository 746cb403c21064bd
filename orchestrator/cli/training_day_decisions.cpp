#include <orchestrator/cli/training_day_decisions.h>

namespace cyrange::cli {

DecisionDesk::DecisionDesk(const client::Connection& instructor, const std::string& exercise,
                           std::map<std::string, std::vector<client::DecisionChoice>> by_team,
                           std::ostream& out)
    : timeline_(instructor),
      exercise_(exercise),
      by_team_(std::move(by_team)),
      out_(out),
      thread_([this] { run(); }) {
  watch_ = timeline_.watch(exercise_, "",
                           [this](const client::TimelineChange& change) { seen(change); });
}

DecisionDesk::~DecisionDesk() {
  watch_.cancel_and_wait();
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void DecisionDesk::seen(const client::TimelineChange& change) {
  const auto& item = change.item;
  if (item.category != "decision" || item.state != client::ItemState::done || !item.choice.empty())
    return;
  auto team = by_team_.find(change.team);
  if (team == by_team_.end()) return;
  for (const auto& choice : team->second) {
    if (choice.step != item.item_id) continue;
    std::lock_guard lock(mutex_);
    if (!queued_.insert({change.team, choice.step}).second) return;
    queue_.emplace_back(change.team, choice);
    wake_.notify_one();
    return;
  }
}

void DecisionDesk::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    const auto [team, choice] = queue_.front();
    queue_.pop_front();
    lock.unlock();
    const Status chosen = timeline_.choose(exercise_, team, choice.step, choice.option);
    out_ << ("  [instructor] " + team + " decision " + choice.step + ": " +
             (chosen ? "chooses " + choice.option + " / 選択"
                     : "cannot choose " + choice.option + ": " + chosen.error().message) +
             "\n")
         << std::flush;
    lock.lock();
  }
}

}  // namespace cyrange::cli
