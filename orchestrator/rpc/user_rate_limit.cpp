#include <orchestrator/rpc/user_rate_limit.h>

#include <algorithm>
#include <cmath>
#include <iterator>

namespace cyrange::rpc {
namespace {

// Past this many users, buckets that are full again are forgotten (they hold no debt).
constexpr std::size_t kForgetAbove = 4096;

}  // namespace

UserRateLimiter::UserRateLimiter(UserRateLimit limit, std::string what_en, std::string what_ja,
                                 Clock clock)
    : limit_(UserRateLimit{std::max(1, limit.burst), std::max(0, limit.per_minute)}),
      what_en_(std::move(what_en)),
      what_ja_(std::move(what_ja)),
      clock_(clock ? std::move(clock) : Clock([] { return std::chrono::steady_clock::now(); })) {}

void UserRateLimiter::refill(Bucket& bucket, std::chrono::steady_clock::time_point now) const {
  const double minutes = std::chrono::duration<double, std::ratio<60>>(now - bucket.at).count();
  bucket.tokens = std::min<double>(limit_.burst, bucket.tokens + minutes * limit_.per_minute);
  bucket.at = now;
}

Status UserRateLimiter::take(std::int64_t user_id, const std::string& name) {
  if (limit_.per_minute == 0) return Status::success();
  const auto now = clock_();
  double missing = 0;
  {
    std::lock_guard lock(mutex_);
    if (buckets_.size() > kForgetAbove) {
      for (auto it = buckets_.begin(); it != buckets_.end();) {
        refill(it->second, now);
        it = it->second.tokens >= limit_.burst ? buckets_.erase(it) : std::next(it);
      }
    }
    auto [it, added] = buckets_.try_emplace(user_id, Bucket{double(limit_.burst), now});
    Bucket& bucket = it->second;
    if (!added) refill(bucket, now);
    if (bucket.tokens >= 1.0) {
      bucket.tokens -= 1.0;
      return Status::success();
    }
    missing = 1.0 - bucket.tokens;
  }
  const auto seconds =
      std::to_string(static_cast<long long>(std::ceil(missing * 60.0 / limit_.per_minute)));
  const auto burst = std::to_string(limit_.burst);
  const auto rate = std::to_string(limit_.per_minute);
  return make_error(ErrorCode::resource_exhausted,
                    "User '" + name + "' has sent too many " + what_en_ + " (at most " + burst +
                        " at once, then " + rate + " a minute); try again in " + seconds + " s.",
                    "ユーザー '" + name + "' の" + what_ja_ + "が多すぎます（一度に最大 " + burst +
                        " 件、その後は毎分 " + rate + " 件まで）。" + seconds +
                        " 秒後にもう一度試してください。");
}

}  // namespace cyrange::rpc
