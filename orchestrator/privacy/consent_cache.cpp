#include <orchestrator/privacy/consent_cache.h>

namespace cyrange::privacy {

ConsentCache::ConsentCache(std::shared_ptr<ConsentStore> store)
    : ConsentCache(std::move(store), Ttl{}) {}

ConsentCache::ConsentCache(std::shared_ptr<ConsentStore> store, Ttl ttl)
    : store_(std::move(store)), ttl_(ttl) {}

Expected<bool> ConsentCache::allows_recording(std::int64_t user_id, const std::string& exercise) {
  const auto now = std::chrono::steady_clock::now();
  auto key = std::make_pair(user_id, exercise);
  std::uint64_t generation = 0;
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it != entries_.end() && it->second.expires > now) return it->second.allowed;
    ++lookups_;
    generation = generation_;
  }
  // Asked without the lock: a slow store must not stall the answers of other pairs.
  // Refusals (another team's exercise) are not cached: they end the stream anyway.
  auto active = store_->scoring_consent_active(user_id, exercise);
  if (!active) return active.error();
  const bool allowed = *active;
  std::lock_guard lock(mutex_);
  // A give or withdrawal that raced with this lookup may have made its answer
  // stale: answer it this once, but do not keep it.
  if (generation == generation_)
    entries_[std::move(key)] = {allowed, now + (allowed ? ttl_.consented : ttl_.refused)};
  return allowed;
}

void ConsentCache::forget(std::int64_t user_id, const std::string& exercise) {
  std::lock_guard lock(mutex_);
  entries_.erase({user_id, exercise});
  ++generation_;
}

std::uint64_t ConsentCache::lookups() const {
  std::lock_guard lock(mutex_);
  return lookups_;
}

}  // namespace cyrange::privacy
