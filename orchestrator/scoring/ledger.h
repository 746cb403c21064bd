#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace cyrange::scoring {

/// What a ledger entry records.
enum class EntryKind {
  solve,            // the objective is complete (its last part was answered or checked)
  partial,          // one part of a multi-part objective was answered or checked
  wrong_answer,     // counts towards the attempt limit, possibly with a penalty
  hint,             // a hint was taken or pushed; charged once
  solution_reveal,  // the solution was shown to the team
  adjustment,       // an instructor changed the score, always with a reason
  service_penalty,  // a team service was down for an interval
};

/// The stable lower-case name of a kind ("wrong_answer"), for storage and logs.
std::string_view to_string(EntryKind kind);

/// One immutable line of the score ledger: who, what, why and when.
struct LedgerEntry {
  std::int64_t seq = 0;  // assigned by the ledger on append; 0 before that
  std::string team;
  std::string objective;  // empty for team-wide entries (service penalties, some adjustments)
  std::string item;       // the part, hint or service the entry is about
  EntryKind kind = EntryKind::adjustment;
  int points = 0;     // signed change of the team's total
  std::string actor;  // the trainee, instructor or checker that caused the entry
  std::string reason;
  std::chrono::milliseconds exercise_time{0};

  friend bool operator==(const LedgerEntry&, const LedgerEntry&) = default;
};

/// Reason of the solve/partial entries the engine writes for a submitted right answer; a
/// range-state check or a grader writes its evidence instead.
inline constexpr std::string_view kCorrectAnswerReason = "Correct answer.";

/// True for entries a team's submitted answer caused: a right one or a wrong one.
bool is_answer_entry(const LedgerEntry& entry);

/// A team's progress on one objective, as implied by the ledger entries folded into it.
/// The engine decides on this state, so replaying the ledger always reproduces a decision.
struct ObjectiveState {
  bool solved = false;
  std::chrono::milliseconds solved_at{0};
  std::set<std::string> parts_solved;
  int wrong_attempts = 0;                          // every part's together
  std::map<std::string, int> part_wrong_attempts;  // by part id
  std::set<std::string> hints_taken;
  bool solution_revealed = false;
  int points = 0;  // net points of this objective for the team

  /// Folds one entry of this team and objective into the state.
  void apply(const LedgerEntry& entry);

  friend bool operator==(const ObjectiveState&, const ObjectiveState&) = default;
};

/// In-memory append-only ledger; the PostgreSQL ledger keeps the same contract.
class ScoreLedger {
 public:
  /// Appends the entry with the next sequence number and returns the stored copy.
  const LedgerEntry& append(LedgerEntry entry);
  /// Every entry in append order.
  const std::vector<LedgerEntry>& entries() const { return entries_; }

 private:
  std::vector<LedgerEntry> entries_;
};

}  // namespace cyrange::scoring
