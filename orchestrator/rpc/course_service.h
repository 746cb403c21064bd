#pragma once

#include <memory>

#include <cyrange/v1/course.grpc.pb.h>

#include <orchestrator/course/course.h>
#include <orchestrator/course/run_feed.h>
#include <orchestrator/identity/join_desk.h>
#include <orchestrator/rpc/call_gate.h>
#include <orchestrator/scoring/score_hub.h>

namespace cyrange::rpc {

/// Thin gRPC adapter of CourseService over course::RunDesk: the gate authenticates, the
/// desk authorises and decides, this class maps messages. Without a desk (a server
/// started without a database or libvirt) calls answer UNAVAILABLE after authentication.
/// ListReviews reads the review items of the runs the desk lists from the score hub.
class CourseService final : public cyrange::v1::CourseService::CallbackService {
 public:
  /// `gate` must outlive the service; `desk`, `scores`, `feed` and `join` may be null
  /// (without a feed WatchRuns, without `join` CreateJoinCode answers UNAVAILABLE).
  CourseService(const CallGate& gate, std::shared_ptr<course::RunDesk> desk,
                std::shared_ptr<scoring::ScoreHub> scores = nullptr,
                std::shared_ptr<course::RunFeed> feed = nullptr,
                std::shared_ptr<identity::JoinDesk> join = nullptr);

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
  grpc::ServerWriteReactor<cyrange::v1::CourseRun>* WatchRuns(
      grpc::CallbackServerContext* ctx, const cyrange::v1::WatchRunsRequest* request) override;
  grpc::ServerUnaryReactor* CreateJoinCode(grpc::CallbackServerContext* ctx,
                                           const cyrange::v1::CreateJoinCodeRequest* request,
                                           cyrange::v1::CourseJoinCode* response) override;
  grpc::ServerUnaryReactor* ListReviews(grpc::CallbackServerContext* ctx,
                                        const cyrange::v1::ListReviewsRequest* request,
                                        cyrange::v1::ListReviewsResponse* response) override;

 private:
  template <class Body>
  grpc::ServerUnaryReactor* call(grpc::CallbackServerContext* ctx, std::string_view method,
                                 Body&& body);

  const CallGate& gate_;
  std::shared_ptr<course::RunDesk> desk_;
  std::shared_ptr<scoring::ScoreHub> scores_;
  std::shared_ptr<course::RunFeed> feed_;
  std::shared_ptr<identity::JoinDesk> join_;
};

}  // namespace cyrange::rpc
