#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include <orchestrator/common/expected.h>
#include <orchestrator/privacy/consent.h>

namespace cyrange::privacy {

/// Answers "may the actions of trainee U in exercise E be recorded?" (an active
/// scoring consent) from memory, because the recorder asks for every batch and
/// every terminal flush. Entries are forgotten when a consent of the pair is given
/// or withdrawn in this process (ConsentDesk calls forget()), and expire after a
/// TTL so that changes made by another process (`cyrange privacy withdraw`) are
/// seen too. The cache is the fast path, not the guard: the event writer checks
/// the consent again inside its commit transaction (recorder::PgEventStore).
/// Thread-safe.
class ConsentCache {
 public:
  /// How long answers are trusted without asking `store` again.
  struct Ttl {
    std::chrono::milliseconds consented{std::chrono::seconds(30)};
    std::chrono::milliseconds refused{std::chrono::seconds(2)};
  };

  /// `store` must not be null.
  explicit ConsentCache(std::shared_ptr<ConsentStore> store);
  /// With explicit lifetimes of cached answers (tests use short ones).
  ConsentCache(std::shared_ptr<ConsentStore> store, Ttl ttl);

  /// True when `user_id` has an active scoring consent for `exercise`;
  /// permission_denied when the exercise is not the trainee's team's, or another
  /// error when the store could not be asked.
  Expected<bool> allows_recording(std::int64_t user_id, const std::string& exercise);

  /// Drops the cached answer of the pair; the next question asks the store.
  void forget(std::int64_t user_id, const std::string& exercise);

  /// Store lookups so far (cache misses), for tests and diagnostics.
  std::uint64_t lookups() const;

 private:
  struct Entry {
    bool allowed = false;
    std::chrono::steady_clock::time_point expires;
  };

  std::shared_ptr<ConsentStore> store_;
  Ttl ttl_;
  mutable std::mutex mutex_;
  std::map<std::pair<std::int64_t, std::string>, Entry> entries_;
  std::uint64_t lookups_ = 0;
  std::uint64_t generation_ = 0;  // bumped by forget()
};

}  // namespace cyrange::privacy
