#include <orchestrator/rpc/sign_in_limit.h>

#include <algorithm>
#include <cmath>
#include <iterator>

namespace cyrange::rpc {
namespace {

// Past this many addresses, buckets that are full again are forgotten (they hold no debt).
constexpr std::size_t kForgetAddressesAbove = 4096;

}  // namespace

SignInFailureLimiter::SignInFailureLimiter(SignInFailureLimit limit, Clock clock)
    : limit_(SignInFailureLimit{std::max(1, limit.burst), std::max(0, limit.per_minute)}),
      clock_(clock ? std::move(clock) : Clock([] { return std::chrono::steady_clock::now(); })) {}

SignInFailureLimiter::Bucket& SignInFailureLimiter::bucket_of(
    const std::string& peer, std::chrono::steady_clock::time_point now) {
  auto refill = [&](Bucket& b) {
    const double minutes = std::chrono::duration<double, std::ratio<60>>(now - b.at).count();
    b.tokens = std::min<double>(limit_.burst, b.tokens + minutes * limit_.per_minute);
    b.at = now;
  };
  if (buckets_.size() > kForgetAddressesAbove) {
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      refill(it->second);
      it = it->second.tokens >= limit_.burst ? buckets_.erase(it) : std::next(it);
    }
  }
  auto [it, added] = buckets_.try_emplace(peer, Bucket{double(limit_.burst), now});
  if (!added) refill(it->second);
  return it->second;
}

Status SignInFailureLimiter::admit(const std::string& peer) {
  if (limit_.per_minute == 0) return Status::success();
  double missing = 0;
  {
    std::lock_guard lock(mutex_);
    const Bucket& bucket = bucket_of(peer, clock_());
    if (bucket.tokens >= 1.0) return Status::success();
    missing = 1.0 - bucket.tokens;
  }
  const auto seconds =
      std::to_string(static_cast<long long>(std::ceil(missing * 60.0 / limit_.per_minute)));
  const auto burst = std::to_string(limit_.burst);
  const auto rate = std::to_string(limit_.per_minute);
  return make_error(
      ErrorCode::resource_exhausted,
      "Too many failed sign-ins from " + peer + " (at most " + burst + " at once, then " + rate +
          " a minute): tokens are not checked for this address for now; try again "
          "in " +
          seconds + " s with a valid token.",
      peer + " からの認証の失敗が多すぎます（一度に最大 " + burst + " 回、その後は毎分 " + rate +
          " 回まで）。" + seconds + " 秒後に有効なトークンでもう一度試してください。");
}

void SignInFailureLimiter::failed(const std::string& peer) {
  if (limit_.per_minute == 0) return;
  std::lock_guard lock(mutex_);
  Bucket& bucket = bucket_of(peer, clock_());
  bucket.tokens = std::max(0.0, bucket.tokens - 1.0);
}

}  // namespace cyrange::rpc
