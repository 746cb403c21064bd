#pragma once

#include <memory>
#include <string>

#include <orchestrator/privacy/consent.h>

namespace cyrange::store {
class PgSession;
}  // namespace cyrange::store

namespace cyrange::privacy {

/// Consents in PostgreSQL (consent_texts, consents of migrations 0003 and 0008).
/// A withdrawal of scoring consent deletes the recording in the same transaction,
/// so a consent is never ended while its data stays. Thread-safe.
class PgConsentStore final : public ConsentStore {
 public:
  /// Connects to `uri`; failed_precondition when the schema is not migrated.
  static Expected<std::unique_ptr<PgConsentStore>> open(const std::string& uri);

  ~PgConsentStore() override;
  PgConsentStore(const PgConsentStore&) = delete;
  PgConsentStore& operator=(const PgConsentStore&) = delete;

  /// See ConsentStore.
  Expected<std::vector<ConsentText>> current_texts() override;
  /// See ConsentStore.
  Expected<Consent> give(std::int64_t user_id, const std::string& exercise, Purpose purpose,
                         int version, const Actor& actor) override;
  /// See ConsentStore.
  Expected<Withdrawal> withdraw(std::int64_t user_id, const std::string& exercise, Purpose purpose,
                                const Actor& actor) override;
  /// See ConsentStore.
  Expected<bool> scoring_consent_active(std::int64_t user_id, const std::string& exercise) override;
  /// See ConsentStore.
  Expected<std::vector<Consent>> consents_of(std::int64_t user_id,
                                             const std::string& exercise) override;

  /// The id of the user with login `name`; not_found naming `cyrange users add`.
  Expected<std::int64_t> user_id_of(const std::string& name);

 private:
  explicit PgConsentStore(std::unique_ptr<store::PgSession> session);
  std::unique_ptr<store::PgSession> session_;
};

}  // namespace cyrange::privacy
