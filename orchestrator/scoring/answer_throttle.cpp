#include <orchestrator/scoring/answer_throttle.h>

#include <algorithm>

namespace cyrange::scoring {

AnswerThrottle::AnswerThrottle(AnswerBackoff policy, Clock clock)
    : policy_(policy), clock_(std::move(clock)) {}

void AnswerThrottle::set_policy(AnswerBackoff policy) {
  std::lock_guard lock(mutex_);
  policy_ = policy;
}

std::chrono::steady_clock::time_point AnswerThrottle::now() const {
  return clock_ ? clock_() : std::chrono::steady_clock::now();
}

Status AnswerThrottle::admit(const std::string& team, const std::string& objective,
                             int wrong_so_far) const {
  std::chrono::steady_clock::time_point allowed_at;
  {
    std::lock_guard lock(mutex_);
    if (policy_.free_wrong_answers <= 0 || wrong_so_far < policy_.free_wrong_answers) {
      return Status::success();
    }
    auto last = last_wrong_.find({team, objective});
    if (last == last_wrong_.end()) return Status::success();
    // first_wait, doubled for every wrong answer past the free ones, up to max_wait.
    const int doublings = std::min(wrong_so_far - policy_.free_wrong_answers, 30);
    const auto wait =
        std::min<std::chrono::seconds>(policy_.first_wait * (1LL << doublings), policy_.max_wait);
    allowed_at = last->second + wait;
  }
  const auto left = allowed_at - now();
  if (left <= std::chrono::steady_clock::duration::zero()) return Status::success();
  // Rounded up: "try again in 0 s" would invite the next refused guess.
  const auto seconds = std::to_string(std::chrono::ceil<std::chrono::seconds>(left).count());
  const auto wrong = std::to_string(wrong_so_far);
  return make_error(
      ErrorCode::resource_exhausted,
      "Team '" + team + "' has answered objective '" + objective + "' wrong " + wrong +
          " times; try again in " + seconds +
          " s. Each further wrong answer doubles the wait: look for the answer in the range "
          "instead of guessing, or take a hint.",
      "チーム '" + team + "' は目標 '" + objective + "' に " + wrong + " 回誤答しました。" +
          seconds +
          " 秒後にもう一度回答してください。誤答が続くと待ち時間は倍になります。推測ではなく"
          "演習環境で答えを調べるか、ヒントを使ってください。");
}

void AnswerThrottle::note_wrong(const std::string& team, const std::string& objective) {
  const auto at = now();
  std::lock_guard lock(mutex_);
  last_wrong_[{team, objective}] = at;
}

}  // namespace cyrange::scoring
