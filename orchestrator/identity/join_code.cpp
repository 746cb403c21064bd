#include <orchestrator/identity/join_code.h>

#include <cctype>
#include <cstdlib>

#include <openssl/rand.h>

#include <orchestrator/common/log.h>

namespace cyrange::identity {

std::string generate_join_code() {
  static_assert(kJoinCodeAlphabet.size() <= 32, "five random bits pick a character");
  std::string code;
  while (code.size() < kJoinCodeLength) {
    unsigned char byte = 0;
    if (RAND_bytes(&byte, 1) != 1) {
      // A guessable code would let anyone join; without a CSPRNG nothing is safe.
      log::get("identity")->critical("OpenSSL RAND_bytes failed; cannot generate a join code.");
      std::abort();
    }
    // Rejection sampling keeps every character equally likely.
    const unsigned value = byte & 31u;
    if (value < kJoinCodeAlphabet.size()) code += kJoinCodeAlphabet[value];
  }
  return code.substr(0, 4) + "-" + code.substr(4);
}

std::optional<std::string> normalize_join_code(std::string_view typed) {
  std::string code;
  for (char c : typed) {
    if (c == '-' || c == ' ' || c == '\t') continue;
    const char upper = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (kJoinCodeAlphabet.find(upper) == std::string_view::npos) return std::nullopt;
    code += upper;
    if (code.size() > kJoinCodeLength) return std::nullopt;
  }
  if (code.size() != kJoinCodeLength) return std::nullopt;
  return code;
}

JoinThrottle::JoinThrottle(int max_failures, std::chrono::seconds window)
    : max_failures_(max_failures), window_(window) {}

void JoinThrottle::prune(std::deque<Clock::time_point>& times, Clock::time_point now) const {
  while (!times.empty() && times.front() + window_ <= now) times.pop_front();
}

std::chrono::seconds JoinThrottle::wait_for(const std::string& peer, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto found = failures_.find(peer);
  if (found == failures_.end()) return std::chrono::seconds(0);
  prune(found->second, now);
  if (static_cast<int>(found->second.size()) < max_failures_) return std::chrono::seconds(0);
  const auto left = found->second.front() + window_ - now;
  // Rounded up: "wait 0 seconds" would invite an immediate retry that fails again.
  return std::chrono::ceil<std::chrono::seconds>(left);
}

void JoinThrottle::failed(const std::string& peer, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (failures_.size() > 4096) {
    for (auto it = failures_.begin(); it != failures_.end();) {
      prune(it->second, now);
      it = it->second.empty() ? failures_.erase(it) : std::next(it);
    }
  }
  auto& times = failures_[peer];
  prune(times, now);
  times.push_back(now);
}

}  // namespace cyrange::identity
