#include <orchestrator/rpc/privacy_service.h>

#include <orchestrator/common/log.h>

namespace cyrange::rpc {
namespace {

namespace v1 = cyrange::v1;

Error no_privacy() {
  return make_error(ErrorCode::unavailable,
                    "This server keeps no consents; start cyranged with a database. "
                    "このサーバは同意を扱えません。");
}

v1::ConsentPurpose to_proto(privacy::Purpose purpose) {
  return purpose == privacy::Purpose::research ? v1::CONSENT_PURPOSE_RESEARCH
                                               : v1::CONSENT_PURPOSE_SCORING;
}

Expected<privacy::Purpose> from_proto(v1::ConsentPurpose purpose) {
  switch (purpose) {
    case v1::CONSENT_PURPOSE_SCORING:
      return privacy::Purpose::scoring;
    case v1::CONSENT_PURPOSE_RESEARCH:
      return privacy::Purpose::research;
    default:
      return make_error(ErrorCode::invalid_argument,
                        "The consent names no purpose; set CONSENT_PURPOSE_SCORING (scoring and "
                        "debrief) or CONSENT_PURPOSE_RESEARCH. 同意の目的を指定してください。");
  }
}

void to_proto(const privacy::Consent& c, v1::ConsentRecord& out) {
  out.set_exercise_id(c.exercise);
  out.set_purpose(to_proto(c.purpose));
  out.set_version(c.version);
  out.set_given_unix(c.given_unix);
  out.set_ended_unix(c.ended_unix);
  out.set_end_reason(c.end_reason);
  out.set_active(c.active());
}

}  // namespace

PrivacyService::PrivacyService(const CallGate& gate, std::shared_ptr<privacy::ConsentDesk> desk,
                               std::shared_ptr<scoring::ScoreHub> scores)
    : gate_(gate), desk_(std::move(desk)), scores_(std::move(scores)) {}

template <class Body>
grpc::ServerUnaryReactor* PrivacyService::call(grpc::CallbackServerContext* ctx,
                                               std::string_view method, Body&& body) {
  return gate_.unary(ctx, method, [&](const identity::Identity& caller) -> Status {
    if (!desk_) return no_privacy();
    return body(caller, *desk_);
  });
}

grpc::ServerUnaryReactor* PrivacyService::GetConsentTexts(
    grpc::CallbackServerContext* ctx, const v1::GetConsentTextsRequest* /*request*/,
    v1::GetConsentTextsResponse* response) {
  return call(ctx, "PrivacyService.GetConsentTexts",
              [&](const identity::Identity& caller, privacy::ConsentDesk& desk) -> Status {
                auto texts = desk.texts(caller);
                if (!texts) return texts.error();
                for (const auto& t : *texts) {
                  auto& out = *response->add_texts();
                  out.set_purpose(to_proto(t.purpose));
                  out.set_version(t.version);
                  out.mutable_title()->set_ja(t.title_ja);
                  out.mutable_title()->set_en(t.title_en);
                  out.mutable_text()->set_ja(t.text_ja);
                  out.mutable_text()->set_en(t.text_en);
                  out.set_published_unix(t.published_unix);
                }
                return Status::success();
              });
}

grpc::ServerUnaryReactor* PrivacyService::GiveConsent(grpc::CallbackServerContext* ctx,
                                                      const v1::GiveConsentRequest* request,
                                                      v1::ConsentRecord* response) {
  return call(ctx, "PrivacyService.GiveConsent",
              [&](const identity::Identity& caller, privacy::ConsentDesk& desk) -> Status {
                auto purpose = from_proto(request->purpose());
                if (!purpose) return purpose.error();
                auto consent = desk.give(caller, {request->exercise_id(), *purpose,
                                                  request->version(), request->user_id()});
                if (!consent) return consent.error();
                to_proto(*consent, *response);
                return Status::success();
              });
}

grpc::ServerUnaryReactor* PrivacyService::WithdrawConsent(grpc::CallbackServerContext* ctx,
                                                          const v1::WithdrawConsentRequest* request,
                                                          v1::WithdrawConsentResponse* response) {
  return call(ctx, "PrivacyService.WithdrawConsent",
              [&](const identity::Identity& caller, privacy::ConsentDesk& desk) -> Status {
                auto purpose = from_proto(request->purpose());
                if (!purpose) return purpose.error();
                auto withdrawal =
                    desk.withdraw(caller, {request->exercise_id(), *purpose, request->user_id()});
                if (!withdrawal) return withdrawal.error();
                if (scores_ && withdrawal->redacted_ledger_entries > 0) {
                  if (auto board = scores_->find(request->exercise_id()); board) {
                    // The redaction is committed; a failure here only delays what the
                    // consoles show until the next restart reads the ledger.
                    if (Status reread = (*board)->reread_ledger(); !reread)
                      log::get("rpc")->warn("{}", reread.error().message);
                  }
                }
                to_proto(withdrawal->consent, *response->mutable_consent());
                response->set_deleted_events(withdrawal->deleted_events);
                response->set_deleted_terminal_sessions(withdrawal->deleted_terminal_sessions);
                return Status::success();
              });
}

grpc::ServerUnaryReactor* PrivacyService::MyConsents(grpc::CallbackServerContext* ctx,
                                                     const v1::MyConsentsRequest* request,
                                                     v1::MyConsentsResponse* response) {
  return call(ctx, "PrivacyService.MyConsents",
              [&](const identity::Identity& caller, privacy::ConsentDesk& desk) -> Status {
                auto consents = desk.mine(caller, request->exercise_id());
                if (!consents) return consents.error();
                for (const auto& c : *consents) to_proto(c, *response->add_consents());
                return Status::success();
              });
}

}  // namespace cyrange::rpc
