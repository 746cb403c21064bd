#include <orchestrator/timeline/executor.h>

#include <orchestrator/common/log.h>

namespace cyrange::timeline {

Status MessageExecutor::execute(const StepContext& context) {
  log::get("timeline")
      ->info("exercise {} team {}: {} {} delivered at T+{:.0f}s", context.exercise, context.team,
             to_string(context.item->kind), context.item->id, context.exercise_time);
  return Status::success();
}

bool MessageExecutor::idempotent(const TimelineItem& /*item*/) const { return true; }

RoutingExecutor::RoutingExecutor(std::shared_ptr<StepExecutor> fallback)
    : fallback_(std::move(fallback)) {}

void RoutingExecutor::route(const std::string& type, std::shared_ptr<StepExecutor> executor) {
  routes_[type] = std::move(executor);
}

StepExecutor& RoutingExecutor::pick(const TimelineItem& item) const {
  if (item.kind == ItemKind::step) {
    if (auto it = routes_.find(item.type); it != routes_.end()) return *it->second;
  }
  return *fallback_;
}

Status RoutingExecutor::execute(const StepContext& context) {
  return pick(*context.item).execute(context);
}

bool RoutingExecutor::idempotent(const TimelineItem& item) const {
  return pick(item).idempotent(item);
}

Status RecordingExecutor::execute(const StepContext& context) {
  std::lock_guard lock(mutex_);
  calls_.push_back({context.execution_id, context.team, context.item->id, context.exercise_time,
                    context.attempt});
  if (auto it = failing_.find(context.item->id); it != failing_.end() && it->second) {
    return make_error(ErrorCode::unavailable,
                      "Step '" + context.item->id + "' failed in the test executor on purpose.");
  }
  return Status::success();
}

bool RecordingExecutor::idempotent(const TimelineItem& /*item*/) const {
  std::lock_guard lock(mutex_);
  return idempotent_;
}

void RecordingExecutor::fail_item(const std::string& item_id, bool fail) {
  std::lock_guard lock(mutex_);
  failing_[item_id] = fail;
}

void RecordingExecutor::set_idempotent(bool idempotent) {
  std::lock_guard lock(mutex_);
  idempotent_ = idempotent;
}

std::vector<RecordingExecutor::Call> RecordingExecutor::calls() const {
  std::lock_guard lock(mutex_);
  return calls_;
}

std::vector<std::string> RecordingExecutor::fired(const std::string& team) const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& call : calls_) {
    if (call.team == team) out.push_back(call.item_id);
  }
  return out;
}

int RecordingExecutor::runs(std::int64_t id) const {
  std::lock_guard lock(mutex_);
  int n = 0;
  for (const auto& call : calls_) n += call.execution_id == id ? 1 : 0;
  return n;
}

}  // namespace cyrange::timeline
