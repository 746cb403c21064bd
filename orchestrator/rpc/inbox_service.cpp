#include <orchestrator/rpc/inbox_service.h>

#include <deque>
#include <set>

#include <orchestrator/rpc/queued_writer.h>

namespace cyrange::rpc {
namespace {

namespace v1 = cyrange::v1;

// A watcher that cannot keep up is cut off rather than growing memory without bound.
constexpr std::size_t kMaxQueuedMessages = 1'000;

Error no_inbox() {
  return make_error(ErrorCode::unavailable,
                    "This server keeps no trainee inboxes; start cyranged with a database.");
}

v1::InboxMessage to_proto(const inbox::InboxMessage& m, bool snapshot) {
  v1::InboxMessage out;
  out.set_message_id(m.id);
  out.set_exercise_id(m.exercise);
  out.set_team(m.team);
  out.set_source(m.source);
  out.set_kind(m.kind);
  out.set_sender(m.sender);
  out.set_subject(m.subject);
  out.mutable_text()->set_ja(m.text_ja);
  out.mutable_text()->set_en(m.text_en);
  out.set_exercise_time_seconds(m.exercise_time);
  out.set_delivered_unix_ms(m.delivered_unix_ms);
  out.set_snapshot(snapshot);
  return out;
}

/// One WatchMessages stream: an inbox subscription feeding the write queue. Each
/// message id is written once, whether it came with the snapshot or as it was delivered.
class InboxWatchReactor : public QueuedWriter<v1::InboxMessage> {
 public:
  InboxWatchReactor(inbox::Inbox& inbox, std::string exercise, std::string team)
      : QueuedWriter(kMaxQueuedMessages, "The inbox watcher fell too far behind; watch again."),
        inbox_(inbox),
        exercise_(std::move(exercise)),
        team_(std::move(team)) {}

  /// Subscribes first and lists second, so no delivery falls between the two.
  void start(std::int64_t after_id) {
    subscription_ = inbox_.subscribe(exercise_, team_, [this, after_id](const auto& m) {
      if (m.id > after_id) push(to_proto(m, false));
    });
    auto listed = inbox_.list(exercise_, team_, after_id);
    if (!listed) {
      finish(to_grpc(listed.error()));
      return;
    }
    std::deque<v1::InboxMessage> snapshot;
    for (const auto& m : *listed) snapshot.push_back(to_proto(m, true));
    ready(std::move(snapshot));
  }

  void OnDone() override {
    if (subscription_) inbox_.unsubscribe(subscription_);
    delete this;
  }

 private:
  bool should_write(const v1::InboxMessage& m) override {
    return written_.insert(m.message_id()).second;
  }

  inbox::Inbox& inbox_;
  const std::string exercise_;
  const std::string team_;
  inbox::Inbox::SubscriptionId subscription_ = 0;
  std::set<std::int64_t> written_;  // under the queue's lock (should_write)
};

}  // namespace

InboxService::InboxService(const CallGate& gate, std::shared_ptr<inbox::Inbox> inbox)
    : gate_(gate), inbox_(std::move(inbox)) {}

grpc::ServerUnaryReactor* InboxService::ListMessages(grpc::CallbackServerContext* ctx,
                                                     const v1::ListMessagesRequest* request,
                                                     v1::ListMessagesResponse* response) {
  return gate_.unary(
      ctx, "InboxService.ListMessages", [&](const identity::Identity& caller) -> Status {
        if (!inbox_) return no_inbox();
        auto team = inbox_->authorize(caller, request->exercise_id(), request->team());
        if (!team) return team.error();
        auto listed = inbox_->list(request->exercise_id(), *team, request->after_id());
        if (!listed) return listed.error();
        for (const auto& m : *listed) *response->add_messages() = to_proto(m, true);
        return Status::success();
      });
}

grpc::ServerWriteReactor<v1::InboxMessage>* InboxService::WatchMessages(
    grpc::CallbackServerContext* ctx, const v1::WatchMessagesRequest* request) {
  // A reactor that only reports a refusal.
  class Refusal : public grpc::ServerWriteReactor<v1::InboxMessage> {
   public:
    explicit Refusal(const grpc::Status& status) { Finish(status); }
    void OnDone() override { delete this; }
  };
  auto caller = gate_.authenticate(*ctx, "InboxService.WatchMessages");
  if (!caller) return new Refusal(to_grpc(caller.error()));
  if (!inbox_) return new Refusal(to_grpc(no_inbox()));
  if (request->exercise_id().empty())
    return new Refusal(to_grpc(
        make_error(ErrorCode::invalid_argument, "Name the exercise whose inbox to watch.")));
  auto team = inbox_->authorize(*caller, request->exercise_id(), request->team());
  if (!team) return new Refusal(to_grpc(team.error()));
  auto* reactor = new InboxWatchReactor(*inbox_, request->exercise_id(), *team);
  reactor->hold(gate_.watch_stream(ctx));
  reactor->start(request->after_id());
  return reactor;
}

}  // namespace cyrange::rpc
