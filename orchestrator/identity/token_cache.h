#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <memory>
#include <unordered_map>

#include <orchestrator/identity/identity.h>
#include <orchestrator/store/change_listener.h>

namespace cyrange::identity {

/// The identities of tokens accepted a moment ago, by token hash, so that most calls need no
/// PostgreSQL round trip. Every change to api_tokens or users notifies channel cyrange_identity
/// (migration 0017), wherever it comes from (cyranged, `cyrange users ...`, psql); a thread
/// listens on its own connection (store::ChangeListener) and empties the cache on each
/// notification. While that
/// connection is down nothing is served from the cache. Thread-safe.
class TokenCache {
 public:
  /// Keeps entries for `ttl` at most (and never past the token's end); listens at `uri`.
  TokenCache(std::string uri, std::chrono::milliseconds ttl);
  ~TokenCache();
  TokenCache(const TokenCache&) = delete;
  TokenCache& operator=(const TokenCache&) = delete;

  /// The cached identity of `token_hash`, if fresh and the listener is connected.
  std::optional<Identity> find(const std::string& token_hash) const;

  /// The generation to pass to put(): an entry read before a clear() is not stored after it.
  std::uint64_t generation() const { return generation_.load(); }

  /// Caches `who` for `token_hash` until `ends_at` at the latest, unless clear() ran since
  /// `generation` was read.
  void put(const std::string& token_hash, const Identity& who,
           std::chrono::system_clock::time_point ends_at, std::uint64_t generation);

  /// Forgets every entry (a token or user changed).
  void clear();

 private:
  struct Entry {
    Identity who;
    std::chrono::steady_clock::time_point fresh_until;
    std::chrono::system_clock::time_point ends_at;
  };
  const std::chrono::milliseconds ttl_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<bool> listening_{false};
  std::unique_ptr<store::ChangeListener> listener_;  // last: stopped before the rest goes
};

}  // namespace cyrange::identity
