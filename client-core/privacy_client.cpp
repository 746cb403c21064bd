#include <client-core/privacy_client.h>

#include <cyrange/v1/privacy.grpc.pb.h>

#include <client-core/internal/unary_call.h>

namespace cyrange::client {

namespace v1 = cyrange::v1;

namespace {

using PrivacyAsync = v1::PrivacyService::StubInterface::async_interface;

v1::ConsentPurpose to_proto(ConsentPurpose purpose) {
  return purpose == ConsentPurpose::research ? v1::CONSENT_PURPOSE_RESEARCH
                                             : v1::CONSENT_PURPOSE_SCORING;
}

ConsentPurpose from_proto(v1::ConsentPurpose purpose) {
  return purpose == v1::CONSENT_PURPOSE_RESEARCH ? ConsentPurpose::research
                                                 : ConsentPurpose::scoring;
}

ConsentView view_of(const v1::ConsentRecord& record) {
  return ConsentView{record.exercise_id(), from_proto(record.purpose()), record.version(),
                     record.active()};
}

}  // namespace

PrivacyClient::PrivacyClient(Connection connection) : connection_(std::move(connection)) {}

Call<std::vector<ConsentTextView>> PrivacyClient::texts_async() const {
  return start_call<std::vector<ConsentTextView>, v1::PrivacyService>(
      connection_, &PrivacyAsync::GetConsentTexts, v1::GetConsentTextsRequest(),
      [](const v1::GetConsentTextsResponse& response) {
        std::vector<ConsentTextView> out;
        for (const auto& t : response.texts()) {
          out.push_back({from_proto(t.purpose()),
                         t.version(),
                         {t.title().ja(), t.title().en()},
                         {t.text().ja(), t.text().en()}});
        }
        return out;
      });
}

Expected<std::vector<ConsentTextView>> PrivacyClient::texts() const { return texts_async().wait(); }

Call<ConsentView> PrivacyClient::give_async(const std::string& exercise, ConsentPurpose purpose,
                                            int version) const {
  v1::GiveConsentRequest request;
  request.set_exercise_id(exercise);
  request.set_purpose(to_proto(purpose));
  request.set_version(version);
  return start_call<ConsentView, v1::PrivacyService>(connection_, &PrivacyAsync::GiveConsent,
                                                     std::move(request), view_of);
}

Call<std::vector<ConsentView>> PrivacyClient::mine_async(const std::string& exercise) const {
  v1::MyConsentsRequest request;
  request.set_exercise_id(exercise);
  return start_call<std::vector<ConsentView>, v1::PrivacyService>(
      connection_, &PrivacyAsync::MyConsents, std::move(request),
      [](const v1::MyConsentsResponse& response) {
        std::vector<ConsentView> out;
        for (const auto& record : response.consents()) out.push_back(view_of(record));
        return out;
      });
}

Expected<ConsentView> PrivacyClient::give(const std::string& exercise, ConsentPurpose purpose,
                                          int version) const {
  return give_async(exercise, purpose, version).wait();
}

Expected<ConsentView> PrivacyClient::give_current(const std::string& exercise,
                                                  ConsentPurpose purpose) const {
  auto current = texts();
  if (!current) return current.error();
  for (const auto& text : *current) {
    if (text.purpose == purpose) return give(exercise, purpose, text.version);
  }
  return make_error(
      ErrorCode::not_found,
      "The server publishes no consent text for this purpose; ask the operator "
      "to migrate its database.",
      "同意文が公開されていません。運用担当者にデータベースの移行を依頼してください。");
}

Call<Unit> PrivacyClient::withdraw_async(const std::string& exercise,
                                         ConsentPurpose purpose) const {
  v1::WithdrawConsentRequest request;
  request.set_exercise_id(exercise);
  request.set_purpose(to_proto(purpose));
  return start_call<Unit, v1::PrivacyService>(connection_, &PrivacyAsync::WithdrawConsent,
                                              std::move(request), ToUnit{});
}

Status PrivacyClient::withdraw(const std::string& exercise, ConsentPurpose purpose) const {
  return to_status(withdraw_async(exercise, purpose).wait());
}

}  // namespace cyrange::client
