#pragma once

#include <memory>

#include <cyrange/v1/report.grpc.pb.h>

#include <orchestrator/report/report.h>
#include <orchestrator/rpc/call_gate.h>

namespace cyrange::rpc {

/// Thin gRPC adapter of ReportService over report::ReportDesk: the gate authenticates,
/// the desk authorises and decides, this class maps messages. Without a desk (a server
/// started without a database) calls answer UNAVAILABLE after authentication.
class ReportService final : public cyrange::v1::ReportService::CallbackService {
 public:
  /// `gate` must outlive the service; `desk` may be null.
  ReportService(const CallGate& gate, std::shared_ptr<report::ReportDesk> desk);

  grpc::ServerUnaryReactor* SaveReport(grpc::CallbackServerContext* ctx,
                                       const cyrange::v1::SaveReportRequest* request,
                                       cyrange::v1::ReportVersion* response) override;
  grpc::ServerUnaryReactor* GetReport(grpc::CallbackServerContext* ctx,
                                      const cyrange::v1::GetReportRequest* request,
                                      cyrange::v1::Report* response) override;
  grpc::ServerUnaryReactor* ListReportVersions(
      grpc::CallbackServerContext* ctx, const cyrange::v1::ListReportVersionsRequest* request,
      cyrange::v1::ListReportVersionsResponse* response) override;

 private:
  template <class Body>
  grpc::ServerUnaryReactor* call(grpc::CallbackServerContext* ctx, std::string_view method,
                                 Body&& body);

  const CallGate& gate_;
  std::shared_ptr<report::ReportDesk> desk_;
};

}  // namespace cyrange::rpc
