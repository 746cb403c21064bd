#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/identity/identity.h>
#include <orchestrator/privacy/consent.h>
#include <orchestrator/privacy/consent_cache.h>

namespace cyrange::privacy {

/// A request to give consent; user_id 0 means the caller.
struct GiveConsentRequest {
  std::string exercise;
  Purpose purpose = Purpose::scoring;
  int version = 0;  ///< the version of the text the trainee was shown
  std::int64_t user_id = 0;
};

/// A request to withdraw consent; user_id 0 means the caller.
struct WithdrawConsentRequest {
  std::string exercise;
  Purpose purpose = Purpose::scoring;
  std::int64_t user_id = 0;
};

/// Decides who may give, withdraw and read consents; transport-free (rpc/ adapts
/// it to gRPC, the CLI calls the store for the host's operator). Consent is
/// personal: only the trainee gives their own. A trainee withdraws their own; an
/// admin may withdraw for a trainee who asks in writing (tokens of past exercises
/// expire, withdrawal must stay possible).
class ConsentDesk {
 public:
  /// `store` must not be null; `cache`, if given, forgets the pair of every consent
  /// given or withdrawn here, so the recorder sees the change at once.
  explicit ConsentDesk(std::shared_ptr<ConsentStore> store,
                       std::shared_ptr<ConsentCache> cache = nullptr);

  /// The current consent texts; any signed-in caller may read them.
  Expected<std::vector<ConsentText>> texts(const identity::Identity& caller);

  /// Gives the caller's consent; permission_denied for anyone else or a non-trainee.
  Expected<Consent> give(const identity::Identity& caller, const GiveConsentRequest& request);

  /// Withdraws the caller's consent (or, for an admin, another user's).
  Expected<Withdrawal> withdraw(const identity::Identity& caller,
                                const WithdrawConsentRequest& request);

  /// The caller's own consents, newest first; `exercise` empty means every exercise.
  Expected<std::vector<Consent>> mine(const identity::Identity& caller,
                                      const std::string& exercise);

 private:
  std::shared_ptr<ConsentStore> store_;
  std::shared_ptr<ConsentCache> cache_;
};

}  // namespace cyrange::privacy
