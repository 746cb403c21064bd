#include <orchestrator/identity/token_cache.h>

#include <functional>

#include <orchestrator/common/log.h>
#include <orchestrator/store/pqxx_access.h>

namespace cyrange::identity {
namespace {

constexpr const char* kChannel = "cyrange_identity";
// Past this many tokens the cache starts over: a bound on memory, not a policy.
constexpr std::size_t kMaxEntries = 20000;

class ChangeReceiver : public pqxx::notification_receiver {
 public:
  ChangeReceiver(pqxx::connection_base& conn, std::function<void()> on_change)
      : pqxx::notification_receiver(conn, kChannel), on_change_(std::move(on_change)) {}
  void operator()(const std::string& /*payload*/, int /*backend_pid*/) override { on_change_(); }

 private:
  std::function<void()> on_change_;
};

}  // namespace

TokenCache::TokenCache(std::string uri, std::chrono::milliseconds ttl)
    : uri_(std::move(uri)), ttl_(ttl), listener_([this] { listen(); }) {}

TokenCache::~TokenCache() {
  stop_ = true;
  listener_.join();
}

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

// Listens until destroyed; a lost connection empties the cache and is reopened every second.
void TokenCache::listen() {
  bool warned = false;
  while (!stop_) {
    try {
      auto db = store::Database::connect(uri_);
      if (!db) throw pqxx::broken_connection(db.error().message);
      auto& conn = store::internal::PqxxAccess::connection(**db);
      ChangeReceiver receiver(conn, [this] { clear(); });
      clear();  // whatever changed while nobody listened
      listening_ = true;
      if (warned) log::get("identity")->info("Listening for token changes again.");
      warned = false;
      while (!stop_) conn.await_notification(1, 0);
      listening_ = false;
    } catch (const std::exception& e) {
      listening_ = false;
      clear();
      if (!warned)
        log::get("identity")
            ->warn(
                "Cannot listen for token changes ({}); every call checks its token in "
                "PostgreSQL until it can.",
                e.what());
      warned = true;
      for (int i = 0; i < 10 && !stop_; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

}  // namespace cyrange::identity
