#pragma once

#include <memory>

#include <cyrange/v1/inbox.grpc.pb.h>

#include <orchestrator/inbox/inbox.h>
#include <orchestrator/rpc/call_gate.h>

namespace cyrange::rpc {

/// Thin gRPC adapter of InboxService over inbox::Inbox: every call is authenticated by
/// the gate, authorised by the inbox and mapped to messages. Without an inbox (a
/// server started without one) calls answer UNAVAILABLE.
class InboxService final : public cyrange::v1::InboxService::CallbackService {
 public:
  /// `gate` must outlive the service; `inbox` may be null.
  InboxService(const CallGate& gate, std::shared_ptr<inbox::Inbox> inbox);

  grpc::ServerUnaryReactor* ListMessages(grpc::CallbackServerContext* ctx,
                                         const cyrange::v1::ListMessagesRequest* request,
                                         cyrange::v1::ListMessagesResponse* response) override;
  grpc::ServerWriteReactor<cyrange::v1::InboxMessage>* WatchMessages(
      grpc::CallbackServerContext* ctx, const cyrange::v1::WatchMessagesRequest* request) override;

 private:
  const CallGate& gate_;
  std::shared_ptr<inbox::Inbox> inbox_;
};

}  // namespace cyrange::rpc
