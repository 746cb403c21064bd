#pragma once

#include <orchestrator/common/expected.h>
#include <orchestrator/scoring/answer_check.h>
#include <orchestrator/scoring/ledger.h>
#include <orchestrator/scoring/rules.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cyrange::scoring {

/// A team submitted an answer for one objective (and part, for multi-part objectives).
struct AnswerSubmission {
  std::string team;
  std::string objective;
  std::string part;  // "" for single-answer objectives
  std::string value;
  std::string actor;
  std::chrono::milliseconds at{0};
};

/// A checker (guest-agent state check, instructor rubric grade) found a part done.
struct CheckPassed {
  std::string team;
  std::string objective;
  std::string part;
  std::string actor;
  std::string evidence;  // why the checker decided so; kept as the entry's reason
  std::chrono::milliseconds at{0};
};

/// A team took a hint, or an instructor pushed it to the team.
struct HintRequest {
  std::string team;
  std::string objective;
  std::string hint;
  std::string actor;
  std::chrono::milliseconds at{0};
};

/// An instructor revealed an objective's solution to a team.
struct SolutionReveal {
  std::string team;
  std::string objective;
  std::string actor;
  std::chrono::milliseconds at{0};
};

/// An instructor changed a team's score by hand; the reason is mandatory.
struct Adjustment {
  std::string team;
  std::string objective;  // optional: "" adjusts the team total only
  int points = 0;
  std::string actor;
  std::string reason;
  std::chrono::milliseconds at{0};
};

/// A team service was unavailable from `down` until `up` (exercise time).
struct ServiceOutage {
  std::string team;
  std::string service;
  std::string actor;
  std::chrono::milliseconds down{0};
  std::chrono::milliseconds up{0};
};

/// How the engine judged an event.
enum class Verdict {
  correct,         // the objective is now solved
  part_correct,    // one part is solved, others remain
  wrong,           // recorded as a wrong attempt
  already_solved,  // nothing recorded: points are never awarded twice
  already_given,   // nothing recorded: the hint was charged or the solution shown before
  recorded,        // hint, reveal, adjustment or outage recorded
};

/// The verdict's stable lower-case name ("part_correct"), as clients and scripts write it.
std::string_view to_string(Verdict verdict);

/// The engine's decision: entries to append (seq unset) and a message for the team in
/// both languages.
struct Outcome {
  Verdict verdict = Verdict::recorded;
  std::vector<LedgerEntry> entries;
  Bilingual message;
  Bilingual content{};  ///< what the caller is shown: a hint's or a solution's text
};

/// How many more wrong answers `part` of an objective with `rules` may take for a team in
/// `state`: under the part's own limit when it has a rule of its own (its wrong answers
/// alone), else under the objective's (every part's together); nullopt when unlimited.
/// At 0 the engine refuses answers to the part, and the objective has failed unless solved.
std::optional<int> attempts_left(const ObjectiveRules& rules, const PartRule& part,
                                 const ObjectiveState& state);

/// Applies the scoring rules to events. Pure: it reads the team's current ObjectiveState
/// (folded from the ledger) and returns new entries; it stores nothing itself.
class ScoringEngine {
 public:
  /// An engine for validated rules; invalid rules are reported, not half-used.
  static Expected<ScoringEngine> create(ScoringRules rules);

  /// Judges an answer; refuses (failed_precondition) once the wrong-answer limit is used up.
  Expected<Outcome> submit(const AnswerSubmission& submission, const ObjectiveState& state,
                           const TeamVariables& team_variables) const;
  /// Awards a part that a checker found done, like a correct answer.
  Expected<Outcome> pass_check(const CheckPassed& check, const ObjectiveState& state) const;
  /// Charges a hint's penalty the first time the team gets it.
  Expected<Outcome> take_hint(const HintRequest& request, const ObjectiveState& state) const;
  /// Records a solution reveal once.
  Expected<Outcome> reveal_solution(const SolutionReveal& reveal,
                                    const ObjectiveState& state) const;
  /// Records an instructor adjustment; an empty reason is invalid_argument.
  Expected<Outcome> adjust(const Adjustment& adjustment) const;
  /// Charges a service's downtime, prorated to the millisecond.
  Expected<Outcome> service_outage(const ServiceOutage& outage) const;

  /// The rules this engine applies.
  const ScoringRules& rules() const { return rules_; }

 private:
  explicit ScoringEngine(ScoringRules rules) : rules_(std::move(rules)) {}
  Expected<const ObjectiveRules*> objective(const std::string& team, const std::string& id) const;
  Outcome award(const ObjectiveRules& rules, const PartRule& part, const ObjectiveState& state,
                const std::string& team, const std::string& objective, const std::string& actor,
                const std::string& reason, std::chrono::milliseconds at) const;

  ScoringRules rules_;
};

}  // namespace cyrange::scoring
