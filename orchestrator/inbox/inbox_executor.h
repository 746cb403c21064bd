#pragma once

#include <memory>

#include <orchestrator/inbox/inbox.h>
#include <orchestrator/timeline/executor.h>

namespace cyrange::inbox {

/// True for the timeline items that reach the trainees' inbox when done: scenario
/// messages and `trainee_notice` steps (notices from an ISP, the bank, the press, ...).
bool reaches_inbox(const timeline::TimelineItem& item);

/// The inbox message of a done item for the execution's team.
InboxMessage message_of(const timeline::StepContext& context);

/// Runs every item with `inner`, then delivers the ones that reach_inbox() to the
/// team's inbox. A failed delivery fails the execution, so the instructor sees it; the
/// inbox keeps one copy per item and team, so a re-run never delivers twice.
class InboxExecutor : public timeline::StepExecutor {
 public:
  /// Both must be non-null.
  InboxExecutor(std::shared_ptr<timeline::StepExecutor> inner, std::shared_ptr<Inbox> inbox);
  Status execute(const timeline::StepContext& context) override;
  bool idempotent(const timeline::TimelineItem& item) const override;

 private:
  std::shared_ptr<timeline::StepExecutor> inner_;
  std::shared_ptr<Inbox> inbox_;
};

}  // namespace cyrange::inbox
