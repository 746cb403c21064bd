#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cyrange::workforce {

// When a live persona acts, as a pure function of its plan and a seed: the runner
// in orchestrator/exercise/live_personas.h only asks what is due at the current
// exercise time, so runs are reproducible and tests need no clock at all.

/// Office time of day at exercise time 0: the exercise clock starts at 09:00.
inline constexpr int kExerciseStartMinute = 9 * 60;
/// Each gap between two actions lies in [1 - kLiveJitter, 1 + kLiveJitter) x `every`.
inline constexpr double kLiveJitter = 0.5;
/// Share of mails among the actions of a persona that both browses and mails.
inline constexpr double kLiveMailShare = 1.0 / 3.0;

/// "08:30-17:15" -> 510, 1035; false when malformed or not ending after it starts.
bool parse_working_hours(const std::string& text, int& start, int& end);
/// The office time of day, in minutes (fractions kept, 0 <= m < 1440), at an exercise time:
/// kExerciseStartMinute plus the exercise time, wrapping at midnight.
double office_minute(double exercise_seconds);
/// True when `minute` lies in [start, end); a window past midnight (22:00-06:00) wraps and
/// start == end means all day.
bool within_hours(double minute, int start_minute, int end_minute);

/// What one live persona of one team may do, variables already filled in.
struct LivePlan {
  std::string persona;               ///< persona id; names the persona's random stream
  int start_minute = 510;            ///< working hours, minutes of the office day
  int end_minute = 1035;             ///< (08:30-17:15, the workforce's default)
  double every_seconds = 600;        ///< mean gap between actions, exercise seconds
  std::vector<std::string> browse;   ///< URLs fetched through the proxy
  std::vector<std::string> mail_to;  ///< recipients of everyday mail
};

/// What a live persona does once.
enum class LiveActionKind { browse, mail };

/// One action of a persona's sequence.
struct LiveAction {
  std::uint64_t index = 0;  ///< position in the sequence (0, 1, ...)
  double at = 0;            ///< exercise seconds at which it falls due
  LiveActionKind kind = LiveActionKind::browse;
  std::string target;  ///< the URL browsed or the mail's recipient
};

/// The endless, deterministic sequence of a persona's actions in exercise time: gaps
/// jittered around `every`, only within the working hours mapped onto the exercise clock
/// (an action that would fall outside them moves to the next start of hours, plus a
/// jittered offset). The same plan and root always give the same sequence.
class LiveSchedule {
 public:
  /// `root` is the team's stream root (stream_root(seed, team)).
  LiveSchedule(LivePlan plan, std::uint64_t root);

  /// The next action, not consumed.
  const LiveAction& peek() const { return next_; }
  /// Consumes the next action and draws the one after it.
  LiveAction pop();
  /// Drops every action due before `exercise_seconds`; returns how many were dropped.
  std::uint64_t skip_until(double exercise_seconds);
  /// The plan the schedule follows.
  const LivePlan& plan() const { return plan_; }

 private:
  LiveAction draw(std::uint64_t index, double previous) const;
  double next_working(double exercise_seconds) const;

  LivePlan plan_;
  std::uint64_t stream_;
  LiveAction next_;
};

}  // namespace cyrange::workforce
