#pragma once

#include <memory>

#include <cyrange/v1/timeline.grpc.pb.h>

#include <orchestrator/rpc/call_gate.h>
#include <orchestrator/timeline/control.h>
#include <orchestrator/timeline/hub.h>

namespace cyrange::rpc {

/// Thin gRPC adapter of TimelineService over timeline::TimelineControl: every call
/// is authenticated by the gate, authorised by the control, and mapped to messages.
/// Without a hub (a server started without timelines) calls answer UNAVAILABLE.
class TimelineService final : public cyrange::v1::TimelineService::CallbackService {
 public:
  /// `gate` must outlive the service; `hub` may be null.
  TimelineService(const CallGate& gate, std::shared_ptr<timeline::TimelineHub> hub);

  grpc::ServerUnaryReactor* ListTimeline(grpc::CallbackServerContext* ctx,
                                         const cyrange::v1::ListTimelineRequest* request,
                                         cyrange::v1::ListTimelineResponse* response) override;
  grpc::ServerUnaryReactor* FireItem(grpc::CallbackServerContext* ctx,
                                     const cyrange::v1::FireItemRequest* request,
                                     cyrange::v1::FireItemResponse* response) override;
  grpc::ServerUnaryReactor* SkipItem(grpc::CallbackServerContext* ctx,
                                     const cyrange::v1::SkipItemRequest* request,
                                     cyrange::v1::SkipItemResponse* response) override;
  grpc::ServerUnaryReactor* ChooseOption(grpc::CallbackServerContext* ctx,
                                         const cyrange::v1::ChooseOptionRequest* request,
                                         cyrange::v1::ChooseOptionResponse* response) override;
  grpc::ServerUnaryReactor* ControlClock(grpc::CallbackServerContext* ctx,
                                         const cyrange::v1::ControlClockRequest* request,
                                         cyrange::v1::ControlClockResponse* response) override;
  grpc::ServerWriteReactor<cyrange::v1::TimelineEvent>* WatchTimeline(
      grpc::CallbackServerContext* ctx, const cyrange::v1::WatchTimelineRequest* request) override;

 private:
  /// Runs `body(caller, control)` after authentication, or answers UNAVAILABLE.
  template <class Body>
  grpc::ServerUnaryReactor* call(grpc::CallbackServerContext* ctx, std::string_view method,
                                 Body&& body);

  const CallGate& gate_;
  std::shared_ptr<timeline::TimelineHub> hub_;
  std::unique_ptr<timeline::TimelineControl> control_;
};

}  // namespace cyrange::rpc
