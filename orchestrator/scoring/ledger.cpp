#include <orchestrator/scoring/ledger.h>

namespace cyrange::scoring {

bool is_answer_entry(const LedgerEntry& entry) {
  if (entry.kind == EntryKind::wrong_answer) return true;
  return (entry.kind == EntryKind::solve || entry.kind == EntryKind::partial) &&
         entry.reason == kCorrectAnswerReason;
}

std::string_view to_string(EntryKind kind) {
  switch (kind) {
    case EntryKind::solve:
      return "solve";
    case EntryKind::partial:
      return "partial";
    case EntryKind::wrong_answer:
      return "wrong_answer";
    case EntryKind::hint:
      return "hint";
    case EntryKind::solution_reveal:
      return "solution_reveal";
    case EntryKind::adjustment:
      return "adjustment";
    case EntryKind::service_penalty:
      return "service_penalty";
  }
  return "unknown";
}

void ObjectiveState::apply(const LedgerEntry& entry) {
  points += entry.points;
  switch (entry.kind) {
    case EntryKind::solve:
      solved = true;
      solved_at = entry.exercise_time;
      parts_solved.insert(entry.item);
      break;
    case EntryKind::partial:
      parts_solved.insert(entry.item);
      break;
    case EntryKind::wrong_answer:
      ++wrong_attempts;
      ++part_wrong_attempts[entry.item];
      break;
    case EntryKind::hint:
      hints_taken.insert(entry.item);
      break;
    case EntryKind::solution_reveal:
      solution_revealed = true;
      break;
    case EntryKind::adjustment:
    case EntryKind::service_penalty:
      break;
  }
}

const LedgerEntry& ScoreLedger::append(LedgerEntry entry) {
  entry.seq = static_cast<std::int64_t>(entries_.size()) + 1;
  entries_.push_back(std::move(entry));
  return entries_.back();
}

}  // namespace cyrange::scoring
