#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include <orchestrator/common/expected.h>

namespace cyrange::rpc {

/// How many calls of one kind a user may make: `burst` at once, then `per_minute` on
/// average (a token bucket per user). per_minute 0 means no limit.
struct UserRateLimit {
  int burst = 20;
  int per_minute = 30;
};

/// A token bucket per user id for one kind of call (answers and hints, say). Transport-free;
/// the RPC layer refuses with its answer. Thread-safe.
class UserRateLimiter {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  /// `what_en` / `what_ja` name the calls in messages ("answers and hints", "回答とヒント");
  /// `clock` is steady_clock::now unless a test gives its own.
  UserRateLimiter(UserRateLimit limit, std::string what_en, std::string what_ja, Clock clock = {});

  /// Counts one call of `user_id` (user `name` in the message): success, or
  /// resource_exhausted in English and Japanese saying in how many seconds to try again.
  Status take(std::int64_t user_id, const std::string& name);

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point at;
  };
  void refill(Bucket& bucket, std::chrono::steady_clock::time_point now) const;

  const UserRateLimit limit_;
  const std::string what_en_, what_ja_;
  const Clock clock_;
  std::mutex mutex_;
  std::map<std::int64_t, Bucket> buckets_;
};

}  // namespace cyrange::rpc
