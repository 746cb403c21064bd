#pragma once

#include <memory>
#include <string_view>

#include <cyrange/v1/privacy.grpc.pb.h>

#include <orchestrator/privacy/consent_desk.h>
#include <orchestrator/rpc/call_gate.h>
#include <orchestrator/scoring/score_hub.h>

namespace cyrange::rpc {

/// Thin gRPC adapter of PrivacyService over privacy::ConsentDesk: the gate
/// authenticates, the desk authorises and decides, this class maps messages.
/// Without a desk (a server started without a database) every call answers
/// UNAVAILABLE after authentication. Calls are short single-row transactions,
/// answered on the gRPC thread.
class PrivacyService final : public cyrange::v1::PrivacyService::CallbackService {
 public:
  /// `gate` must outlive the service; `desk` may be null. `scores`, when given, reads a live
  /// exercise's ledger again after a scoring withdrawal redacted it, so what the consoles are
  /// shown loses the trainee's personal fields at once too.
  PrivacyService(const CallGate& gate, std::shared_ptr<privacy::ConsentDesk> desk,
                 std::shared_ptr<scoring::ScoreHub> scores = nullptr);

  grpc::ServerUnaryReactor* GetConsentTexts(
      grpc::CallbackServerContext* ctx, const cyrange::v1::GetConsentTextsRequest* request,
      cyrange::v1::GetConsentTextsResponse* response) override;
  grpc::ServerUnaryReactor* GiveConsent(grpc::CallbackServerContext* ctx,
                                        const cyrange::v1::GiveConsentRequest* request,
                                        cyrange::v1::ConsentRecord* response) override;
  grpc::ServerUnaryReactor* WithdrawConsent(
      grpc::CallbackServerContext* ctx, const cyrange::v1::WithdrawConsentRequest* request,
      cyrange::v1::WithdrawConsentResponse* response) override;
  grpc::ServerUnaryReactor* MyConsents(grpc::CallbackServerContext* ctx,
                                       const cyrange::v1::MyConsentsRequest* request,
                                       cyrange::v1::MyConsentsResponse* response) override;

 private:
  /// Runs `body(caller, desk)` after authentication, or answers UNAVAILABLE.
  template <class Body>
  grpc::ServerUnaryReactor* call(grpc::CallbackServerContext* ctx, std::string_view method,
                                 Body&& body);

  const CallGate& gate_;
  std::shared_ptr<privacy::ConsentDesk> desk_;
  std::shared_ptr<scoring::ScoreHub> scores_;
};

}  // namespace cyrange::rpc
