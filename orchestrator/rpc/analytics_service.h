#pragma once

#include <memory>

#include <cyrange/v1/analytics.grpc.pb.h>

#include <orchestrator/analytics/analytics_desk.h>
#include <orchestrator/rpc/call_gate.h>

namespace cyrange::rpc {

/// Thin gRPC adapter of AnalyticsService over analytics::AnalyticsDesk: the gate
/// authenticates, the desk authorises, reads and audits, this class maps messages.
/// A report reads a whole exercise's recording, so it is computed on a thread of its
/// own, never on a gRPC thread. Without a desk every call answers UNAVAILABLE.
class AnalyticsService final : public cyrange::v1::AnalyticsService::CallbackService {
 public:
  /// `gate` must outlive the service; `desk` may be null.
  AnalyticsService(const CallGate& gate, std::shared_ptr<analytics::AnalyticsDesk> desk);

  grpc::ServerUnaryReactor* GetAnalytics(grpc::CallbackServerContext* ctx,
                                         const cyrange::v1::GetAnalyticsRequest* request,
                                         cyrange::v1::GetAnalyticsResponse* response) override;
  grpc::ServerUnaryReactor* ListActivity(grpc::CallbackServerContext* ctx,
                                         const cyrange::v1::ListActivityRequest* request,
                                         cyrange::v1::ListActivityResponse* response) override;

 private:
  const CallGate& gate_;
  std::shared_ptr<analytics::AnalyticsDesk> desk_;
};

}  // namespace cyrange::rpc
