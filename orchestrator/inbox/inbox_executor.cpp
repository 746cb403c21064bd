#include <orchestrator/inbox/inbox_executor.h>

namespace cyrange::inbox {
namespace {

constexpr const char* kExerciseControl = "演習統制 / Exercise control";

std::string param_or(const timeline::TimelineItem& item, const std::string& key,
                     const std::string& fallback) {
  auto it = item.params.find(key);
  return it == item.params.end() || it->second.empty() ? fallback : it->second;
}

}  // namespace

bool reaches_inbox(const timeline::TimelineItem& item) {
  return item.kind == timeline::ItemKind::message ||
         (item.kind == timeline::ItemKind::step && item.type == "trainee_notice");
}

InboxMessage message_of(const timeline::StepContext& context) {
  const timeline::TimelineItem& item = *context.item;
  InboxMessage m;
  m.exercise = context.exercise;
  m.team = context.team;
  m.source = item.id;
  m.exercise_time = context.exercise_time;
  if (item.kind == timeline::ItemKind::message) {
    m.kind = "message";
    m.sender = kExerciseControl;
    m.text_ja = item.text_ja;
    m.text_en = item.text_en;
    return m;
  }
  // The same parameters the trainee_notice step writes into the guest (inject/host_steps).
  m.kind = "notice";
  m.sender = param_or(item, "sender", kExerciseControl);
  m.subject = param_or(item, "subject", item.id);
  m.text_ja = param_or(item, "text_ja", item.text_ja);
  m.text_en = param_or(item, "text_en", item.text_en);
  return m;
}

InboxExecutor::InboxExecutor(std::shared_ptr<timeline::StepExecutor> inner,
                             std::shared_ptr<Inbox> inbox)
    : inner_(std::move(inner)), inbox_(std::move(inbox)) {}

Status InboxExecutor::execute(const timeline::StepContext& context) {
  if (Status st = inner_->execute(context); !st) return st;
  if (!context.item || !reaches_inbox(*context.item)) return Status::success();
  return inbox_->deliver(message_of(context));
}

bool InboxExecutor::idempotent(const timeline::TimelineItem& item) const {
  return inner_->idempotent(item);
}

}  // namespace cyrange::inbox
