#include <orchestrator/identity/token_cache.h>

namespace cyrange::identity {
namespace {

constexpr const char* kChannel = "cyrange_identity";
// Past this many tokens the cache starts over: a bound on memory, not a policy.
constexpr std::size_t kMaxEntries = 20000;

}  // namespace

TokenCache::TokenCache(std::string uri, std::chrono::milliseconds ttl)
    : ttl_(ttl),
      // Whatever changed while nobody listened is forgotten: the cache starts over each time.
      listener_(std::make_unique<store::ChangeListener>(
          std::move(uri), kChannel, "identity", [this](const std::string&) { clear(); },
          [this](bool listening) {
            listening_ = listening;
            clear();
          })) {}

TokenCache::~TokenCache() = default;

std::optional<Identity> TokenCache::find(const std::string& token_hash) const {
  if (!listening_) return std::nullopt;
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(token_hash);
  if (it == entries_.end()) return std::nullopt;
  if (std::chrono::steady_clock::now() >= it->second.fresh_until ||
      std::chrono::system_clock::now() >= it->second.ends_at)
    return std::nullopt;
  return it->second.who;
}

void TokenCache::put(const std::string& token_hash, const Identity& who,
                     std::chrono::system_clock::time_point ends_at, std::uint64_t generation) {
  if (!listening_) return;
  std::lock_guard lock(mutex_);
  if (generation != generation_.load()) return;  // changed while it was being read
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_[token_hash] = Entry{who, std::chrono::steady_clock::now() + ttl_, ends_at};
}

void TokenCache::clear() {
  std::lock_guard lock(mutex_);
  ++generation_;
  entries_.clear();
}

}  // namespace cyrange::identity
