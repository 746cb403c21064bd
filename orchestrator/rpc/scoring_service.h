#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string_view>

#include <cyrange/v1/scoring.grpc.pb.h>

#include <orchestrator/rpc/call_gate.h>
#include <orchestrator/inbox/inbox.h>
#include <orchestrator/scoring/score_hub.h>
#include <orchestrator/timeline/hub.h>

namespace cyrange::rpc {

/// A bilingual text of the scoring engine as the API's LocalizedText.
void to_localized(const scoring::Bilingual& in, cyrange::v1::LocalizedText& out);

/// Thin gRPC adapter of ScoringService over scoring::ScoreHub: the gate authenticates,
/// the hub authorises and decides, this class maps messages. Without a hub (a server
/// started without scoring) every call answers UNAVAILABLE after authentication.
/// Calls that write the ledger run on the service's own two workers (CallWorkers), never on
/// a gRPC thread: a reaction that waits for PostgreSQL would hold up every stream's writes.
/// Past a backlog of 4096 calls a call is refused with RESOURCE_EXHAUSTED.
class ScoringService final : public cyrange::v1::ScoringService::CallbackService {
 public:
  /// `gate` must outlive the service; `hub` may be null; `inbox` (may be null) receives
  /// every pushed hint, so the team reads it among its messages; `timeline` (may be null)
  /// says which objectives it opened: a trainee's ListTasks shows only those.
  ScoringService(const CallGate& gate, std::shared_ptr<scoring::ScoreHub> hub,
                 std::shared_ptr<inbox::Inbox> inbox = nullptr,
                 std::shared_ptr<timeline::TimelineHub> timeline = nullptr);
  /// Finishes the queued calls, then stops the workers.
  ~ScoringService() override;

  grpc::ServerUnaryReactor* SubmitAnswer(grpc::CallbackServerContext* ctx,
                                         const cyrange::v1::SubmitAnswerRequest* request,
                                         cyrange::v1::ScoringResult* response) override;
  grpc::ServerUnaryReactor* TakeHint(grpc::CallbackServerContext* ctx,
                                     const cyrange::v1::TakeHintRequest* request,
                                     cyrange::v1::ScoringResult* response) override;
  grpc::ServerUnaryReactor* PushHint(grpc::CallbackServerContext* ctx,
                                     const cyrange::v1::PushHintRequest* request,
                                     cyrange::v1::ScoringResult* response) override;
  grpc::ServerUnaryReactor* Adjust(grpc::CallbackServerContext* ctx,
                                   const cyrange::v1::AdjustRequest* request,
                                   cyrange::v1::ScoringResult* response) override;
  grpc::ServerUnaryReactor* RevealSolution(grpc::CallbackServerContext* ctx,
                                           const cyrange::v1::RevealSolutionRequest* request,
                                           cyrange::v1::ScoringResult* response) override;
  grpc::ServerUnaryReactor* GetSolution(grpc::CallbackServerContext* ctx,
                                        const cyrange::v1::GetSolutionRequest* request,
                                        cyrange::v1::LocalizedText* response) override;
  grpc::ServerUnaryReactor* GradeRubric(grpc::CallbackServerContext* ctx,
                                        const cyrange::v1::GradeRubricRequest* request,
                                        cyrange::v1::ScoringResult* response) override;
  grpc::ServerUnaryReactor* SetScoreboardMode(
      grpc::CallbackServerContext* ctx, const cyrange::v1::SetScoreboardModeRequest* request,
      cyrange::v1::SetScoreboardModeResponse* response) override;
  grpc::ServerUnaryReactor* GetScoreboard(grpc::CallbackServerContext* ctx,
                                          const cyrange::v1::GetScoreboardRequest* request,
                                          cyrange::v1::ScoreboardUpdate* response) override;
  grpc::ServerUnaryReactor* ListTasks(grpc::CallbackServerContext* ctx,
                                      const cyrange::v1::ListTasksRequest* request,
                                      cyrange::v1::ListTasksResponse* response) override;
  grpc::ServerWriteReactor<cyrange::v1::ScoreboardUpdate>* WatchScoreboard(
      grpc::CallbackServerContext* ctx, const cyrange::v1::GetScoreboardRequest* request) override;

 private:
  template <class Body>
  grpc::ServerUnaryReactor* call(grpc::CallbackServerContext* ctx, std::string_view method,
                                 Body&& body);
  /// Authenticates through the gate now, runs `body` on a worker, then finishes the call.
  /// With `limited_as` (kAnswerCalls), a call over the caller's rate limit is refused before
  /// it is queued.
  grpc::ServerUnaryReactor* deferred(
      grpc::CallbackServerContext* ctx, std::string_view method,
      std::function<Status(const identity::Identity&, scoring::ScoreHub&)> body,
      const char* limited_as = nullptr);
  /// Objectives of `team` the timeline has not opened (or skipped): hidden from trainees.
  std::set<std::string> locked_objectives(const std::string& exercise,
                                          const std::string& team) const;

  const CallGate& gate_;
  std::shared_ptr<scoring::ScoreHub> hub_;
  std::shared_ptr<inbox::Inbox> inbox_;
  std::shared_ptr<timeline::TimelineHub> timeline_;
  std::unique_ptr<CallWorkers> workers_;  // null without a hub; last: stopped first
};

}  // namespace cyrange::rpc
