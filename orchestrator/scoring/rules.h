#pragma once

#include <orchestrator/common/expected.h>
#include <orchestrator/scoring/answer_check.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cyrange::scoring {

/// A text in both languages, as a team receives it.
struct Bilingual {
  std::string ja;
  std::string en;
};

/// A hint a team may take (or an instructor may push) at a cost.
struct HintRule {
  std::string id;
  int penalty = 0;  // points deducted once, when the hint is first taken
};

/// Points fall linearly from full at `start` to `floor_percent` of full at `end` (exercise time).
/// Integer arithmetic keeps a recomputed ledger identical on every machine.
struct TimeDecay {
  std::chrono::milliseconds start{0};
  std::chrono::milliseconds end{0};
  int floor_percent = 100;

  /// `points` decayed to exercise time `at`, rounded half up.
  int apply(int points, std::chrono::milliseconds at) const;
};

/// One answerable part of an objective; single-answer objectives have one part with id "".
/// A part may carry its own wrong-answer rule and decay; where it does, they replace the
/// objective's for that part.
struct PartRule {
  std::string id;
  AnswerRule answer;
  int points = 0;
  bool check_only = false;  // done only by a range-state check or a grader, never by an answer
  bool own_wrong_answers = false;  // the two fields below apply instead of the objective's
  int max_wrong_answers = 0;       // 0 means unlimited; counted for this part alone
  int wrong_answer_penalty = 0;
  std::optional<TimeDecay> decay{};
};

/// Everything that decides the points of one objective.
struct ObjectiveRules {
  std::vector<PartRule> parts;     // all must be solved; each earns its own points (partial credit)
  int max_wrong_answers = 0;       // 0 means unlimited
  int wrong_answer_penalty = 0;    // points deducted per wrong answer
  std::optional<TimeDecay> decay;  // none: full points whenever solved
  std::vector<HintRule> hints;
  bool solution_revealed_zeroes = false;  // after a reveal, solving earns nothing

  /// A single-answer objective worth `points`.
  static ObjectiveRules single(AnswerRule answer, int points);
  /// The sum of all parts' points.
  int total_points() const;
  /// The part with this id, or nullptr.
  const PartRule* find_part(std::string_view id) const;
  /// The hint with this id, or nullptr.
  const HintRule* find_hint(std::string_view id) const;
};

/// Availability scoring of one team service: points lost for every minute it is down.
struct ServiceRule {
  int penalty_per_minute = 0;
};

/// The complete scoring policy of one exercise, keyed by objective and service id.
struct ScoringRules {
  std::map<std::string, ObjectiveRules> objectives;
  std::map<std::string, ServiceRule> services;
};

/// Checks the policy for contradictions (duplicate ids, negative points, an inverted decay).
Status validate(const ScoringRules& rules);

}  // namespace cyrange::scoring
