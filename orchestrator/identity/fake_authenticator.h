#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <orchestrator/identity/identity.h>

namespace cyrange::identity {

/// In-memory Authenticator for fast unit tests of the RPC layer; gives the same
/// messages as PgIdentityStore. Thread-safe.
class FakeAuthenticator : public Authenticator {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  /// Accepts `token` as `identity` until `expires_at` (forever when unset).
  void add(std::string token, Identity identity,
           std::optional<TimePoint> expires_at = std::nullopt);

  /// Makes `token` fail with the "revoked" message from now on.
  void revoke(std::string_view token);

  /// See Authenticator.
  Expected<Identity> authenticate(std::string_view token) const override;

 private:
  struct Entry {
    Identity identity;
    std::optional<TimePoint> expires_at;
    bool revoked = false;
  };
  mutable std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> tokens_;
};

}  // namespace cyrange::identity
