#pragma once

#include <memory>

#include <cyrange/v1/course.grpc.pb.h>

#include <orchestrator/course/course.h>
#include <orchestrator/rpc/call_gate.h>

namespace cyrange::rpc {

/// Thin gRPC adapter of CourseService over course::RunDesk: the gate authenticates, the
/// desk authorises and decides, this class maps messages. Without a desk (a server
/// started without a database or libvirt) calls answer UNAVAILABLE after authentication.
class CourseService final : public cyrange::v1::CourseService::CallbackService {
 public:
  /// `gate` must outlive the service; `desk` may be null.
  CourseService(const CallGate& gate, std::shared_ptr<course::RunDesk> desk);

  grpc::ServerUnaryReactor* ListCourses(grpc::CallbackServerContext* ctx,
                                        const cyrange::v1::ListCoursesRequest* request,
                                        cyrange::v1::ListCoursesResponse* response) override;
  grpc::ServerUnaryReactor* StartRun(grpc::CallbackServerContext* ctx,
                                     const cyrange::v1::StartRunRequest* request,
                                     cyrange::v1::RunTicket* response) override;
  grpc::ServerUnaryReactor* ListRuns(grpc::CallbackServerContext* ctx,
                                     const cyrange::v1::ListRunsRequest* request,
                                     cyrange::v1::ListRunsResponse* response) override;
  grpc::ServerUnaryReactor* PauseRun(grpc::CallbackServerContext* ctx,
                                     const cyrange::v1::RunRequest* request,
                                     cyrange::v1::CourseRun* response) override;
  grpc::ServerUnaryReactor* ResumeRun(grpc::CallbackServerContext* ctx,
                                      const cyrange::v1::RunRequest* request,
                                      cyrange::v1::RunTicket* response) override;
  grpc::ServerUnaryReactor* EndRun(grpc::CallbackServerContext* ctx,
                                   const cyrange::v1::RunRequest* request,
                                   cyrange::v1::CourseRun* response) override;
  grpc::ServerUnaryReactor* KeepAlive(grpc::CallbackServerContext* ctx,
                                      const cyrange::v1::RunRequest* request,
                                      cyrange::v1::CourseRun* response) override;

 private:
  template <class Body>
  grpc::ServerUnaryReactor* call(grpc::CallbackServerContext* ctx, std::string_view method,
                                 Body&& body);

  const CallGate& gate_;
  std::shared_ptr<course::RunDesk> desk_;
};

}  // namespace cyrange::rpc
