#pragma once

#include <memory>

#include <cyrange/v1/analytics.grpc.pb.h>

#include <orchestrator/analytics/analytics_desk.h>
#include <orchestrator/rpc/call_gate.h>

namespace cyrange::rpc {

/// Thin gRPC adapter of AnalyticsService over analytics::AnalyticsDesk: the gate
/// authenticates, the desk authorises, reads and audits, this class maps messages.
/// A report reads a whole exercise's recording, so it is computed on the service's two
/// workers (CallWorkers), never on a gRPC thread nor on a thread per call; past a short
/// backlog calls are refused with RESOURCE_EXHAUSTED. Without a desk every call answers
/// UNAVAILABLE.
class AnalyticsService final : public cyrange::v1::AnalyticsService::CallbackService {
 public:
  /// `gate` must outlive the service; `desk` may be null.
  AnalyticsService(const CallGate& gate, std::shared_ptr<analytics::AnalyticsDesk> desk);
  /// Waits for the reports under way.
  ~AnalyticsService() override;

  grpc::ServerUnaryReactor* GetAnalytics(grpc::CallbackServerContext* ctx,
                                         const cyrange::v1::GetAnalyticsRequest* request,
                                         cyrange::v1::GetAnalyticsResponse* response) override;
  grpc::ServerUnaryReactor* ListActivity(grpc::CallbackServerContext* ctx,
                                         const cyrange::v1::ListActivityRequest* request,
                                         cyrange::v1::ListActivityResponse* response) override;

 private:
  const CallGate& gate_;
  std::shared_ptr<analytics::AnalyticsDesk> desk_;
  std::unique_ptr<CallWorkers> workers_;
};

}  // namespace cyrange::rpc
