#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include <orchestrator/common/expected.h>

namespace cyrange::rpc {

/// How many failed sign-ins (a token that is unknown, revoked or expired) one address may cause:
/// `burst` at once, then `per_minute` on average. per_minute 0 means no limit.
struct SignInFailureLimit {
  int burst = 20;
  int per_minute = 30;
};

/// A token bucket of failed sign-ins per caller address (rpc::peer_address). Every failure
/// costs a database lookup, so an address over its limit gets no more lookups until the bucket
/// refills; tokens the server accepted a moment ago still pass (CallGate). Thread-safe.
class SignInFailureLimiter {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  /// `clock` is steady_clock::now unless a test gives its own.
  explicit SignInFailureLimiter(SignInFailureLimit limit, Clock clock = {});

  /// Success while `peer` may have a token looked up; else resource_exhausted in English and
  /// Japanese saying in how many seconds to try again.
  Status admit(const std::string& peer);

  /// Counts one failed sign-in of `peer`.
  void failed(const std::string& peer);

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point at;
  };
  Bucket& bucket_of(const std::string& peer, std::chrono::steady_clock::time_point now);

  const SignInFailureLimit limit_;
  const Clock clock_;
  std::mutex mutex_;
  std::map<std::string, Bucket, std::less<>> buckets_;
};

}  // namespace cyrange::rpc
