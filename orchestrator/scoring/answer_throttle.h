#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include <orchestrator/common/expected.h>

namespace cyrange::scoring {

/// The default attempt policy of objectives whose scenario sets no `wrong_answers.limit`:
/// a team answers freely up to `free_wrong_answers` wrong answers to one objective, then waits
/// `first_wait` after its latest wrong answer, twice as long after each further one, at most
/// `max_wait`. Objectives with a limit of their own keep only that limit. Operators set it
/// in the configuration file (answer_free_wrong, answer_first_wait_s, answer_max_wait_s).
struct AnswerBackoff {
  int free_wrong_answers = 10;         ///< 0: no back-off at all
  std::chrono::seconds first_wait{5};  ///< after the first wrong answer past the free ones
  std::chrono::seconds max_wait{300};  ///< the longest wait between two wrong answers
};

/// When each team may answer an objective again: the time of its latest wrong answer,
/// kept in memory (after a restart a team's next answer is not delayed). Thread-safe.
class AnswerThrottle {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  /// `clock` is steady_clock::now unless a test gives its own.
  explicit AnswerThrottle(AnswerBackoff policy = {}, Clock clock = {});

  /// Replaces the policy; waits already running follow the new one.
  void set_policy(AnswerBackoff policy);

  /// Success when `team` may answer `objective` now, having answered it wrong `wrong_so_far`
  /// times; otherwise resource_exhausted in English and Japanese saying how many seconds
  /// to wait.
  Status admit(const std::string& team, const std::string& objective, int wrong_so_far) const;

  /// Notes that `team` just answered `objective` wrong.
  void note_wrong(const std::string& team, const std::string& objective);

 private:
  std::chrono::steady_clock::time_point now() const;

  AnswerBackoff policy_;
  Clock clock_;
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, std::chrono::steady_clock::time_point> last_wrong_;
};

}  // namespace cyrange::scoring
