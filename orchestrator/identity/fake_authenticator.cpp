#include <orchestrator/identity/fake_authenticator.h>

#include <orchestrator/identity/token.h>

namespace cyrange::identity {

void FakeAuthenticator::add(std::string token, Identity identity,
                            std::optional<TimePoint> expires_at) {
  std::lock_guard lock(mutex_);
  tokens_[std::move(token)] = Entry{std::move(identity), expires_at, false};
}

void FakeAuthenticator::revoke(std::string_view token) {
  std::lock_guard lock(mutex_);
  if (auto it = tokens_.find(token); it != tokens_.end()) it->second.revoked = true;
}

Expected<Identity> FakeAuthenticator::authenticate(std::string_view token) const {
  if (token.empty()) return missing_token_error();
  std::lock_guard lock(mutex_);
  const auto it = tokens_.find(token);
  if (it == tokens_.end()) return unknown_token_error();
  const Entry& entry = it->second;
  if (entry.revoked) return revoked_token_error();
  if (entry.expires_at && *entry.expires_at <= std::chrono::system_clock::now()) {
    return expired_token_error(format_utc(*entry.expires_at));
  }
  return entry.identity;
}

}  // namespace cyrange::identity
