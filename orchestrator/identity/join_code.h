#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace cyrange::identity {

/// The characters of a join code: upper-case letters and digits without look-alikes
/// (no 0/O, 1/I/L), 31 of them, so that a code read aloud or off a projector is typed right.
inline constexpr std::string_view kJoinCodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// Characters in a join code (shown as two groups of four: "ABCD-EFGH").
inline constexpr std::size_t kJoinCodeLength = 8;

/// A new random join code from OpenSSL's CSPRNG, written "ABCD-EFGH".
std::string generate_join_code();

/// The canonical form of a typed code ("abcd-efgh", " ABCDEFGH " -> "ABCDEFGH"), or
/// nothing when it cannot be a code (wrong length or a character outside the alphabet).
std::optional<std::string> normalize_join_code(std::string_view typed);

/// Counts wrong join codes per peer address in a sliding window: after `max_failures`
/// within `window` the peer waits until the oldest of them leaves the window.
/// Thread-safe; memory stays bounded by pruning peers whose failures all expired.
class JoinThrottle {
 public:
  using Clock = std::chrono::steady_clock;

  /// Five wrong codes a minute by default.
  explicit JoinThrottle(int max_failures = 5,
                        std::chrono::seconds window = std::chrono::seconds(60));

  /// How long `peer` must wait before its next try; zero when it may try now.
  std::chrono::seconds wait_for(const std::string& peer, Clock::time_point now);
  /// Records a wrong code from `peer`.
  void failed(const std::string& peer, Clock::time_point now);

 private:
  void prune(std::deque<Clock::time_point>& times, Clock::time_point now) const;

  const int max_failures_;
  const std::chrono::seconds window_;
  std::mutex mutex_;
  std::map<std::string, std::deque<Clock::time_point>> failures_;
};

}  // namespace cyrange::identity
