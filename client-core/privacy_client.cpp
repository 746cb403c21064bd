#include <client-core/privacy_client.h>

#include <cyrange/v1/privacy.grpc.pb.h>

#include <client-core/internal/unary_call.h>

namespace cyrange::client {

namespace v1 = cyrange::v1;

namespace {

v1::ConsentPurpose to_proto(ConsentPurpose purpose) {
  return purpose == ConsentPurpose::research ? v1::CONSENT_PURPOSE_RESEARCH
                                             : v1::CONSENT_PURPOSE_SCORING;
}

ConsentPurpose from_proto(v1::ConsentPurpose purpose) {
  return purpose == v1::CONSENT_PURPOSE_RESEARCH ? ConsentPurpose::research
                                                 : ConsentPurpose::scoring;
}

}  // namespace

PrivacyClient::PrivacyClient(Connection connection) : connection_(std::move(connection)) {}

Expected<std::vector<ConsentTextView>> PrivacyClient::texts() const {
  auto response = unary_call<v1::PrivacyService, v1::GetConsentTextsResponse>(
      connection_, &v1::PrivacyService::Stub::GetConsentTexts, v1::GetConsentTextsRequest());
  if (!response) return response.error();
  std::vector<ConsentTextView> out;
  for (const auto& t : response->texts()) {
    out.push_back({from_proto(t.purpose()), t.version(), t.title().ja(), t.title().en(),
                   t.text().ja(), t.text().en()});
  }
  return out;
}

Expected<ConsentView> PrivacyClient::give(const std::string& exercise, ConsentPurpose purpose,
                                          int version) const {
  v1::GiveConsentRequest request;
  request.set_exercise_id(exercise);
  request.set_purpose(to_proto(purpose));
  request.set_version(version);
  auto record = unary_call<v1::PrivacyService, v1::ConsentRecord>(
      connection_, &v1::PrivacyService::Stub::GiveConsent, request);
  if (!record) return record.error();
  return ConsentView{record->exercise_id(), from_proto(record->purpose()), record->version(),
                     record->active()};
}

Expected<ConsentView> PrivacyClient::give_current(const std::string& exercise,
                                                  ConsentPurpose purpose) const {
  auto current = texts();
  if (!current) return current.error();
  for (const auto& text : *current) {
    if (text.purpose == purpose) return give(exercise, purpose, text.version);
  }
  return make_error(ErrorCode::not_found,
                    "The server publishes no consent text for this purpose; ask the operator "
                    "to migrate its database. 同意文が公開されていません。");
}

Status PrivacyClient::withdraw(const std::string& exercise, ConsentPurpose purpose) const {
  v1::WithdrawConsentRequest request;
  request.set_exercise_id(exercise);
  request.set_purpose(to_proto(purpose));
  auto response = unary_call<v1::PrivacyService, v1::WithdrawConsentResponse>(
      connection_, &v1::PrivacyService::Stub::WithdrawConsent, request);
  if (!response) return response.error();
  return Status::success();
}

}  // namespace cyrange::client
