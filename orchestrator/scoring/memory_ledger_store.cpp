#include <orchestrator/scoring/ledger_store.h>

namespace cyrange::scoring {

bool parse_entry_kind(std::string_view name, EntryKind& kind) {
  for (EntryKind candidate :
       {EntryKind::solve, EntryKind::partial, EntryKind::wrong_answer, EntryKind::hint,
        EntryKind::solution_reveal, EntryKind::adjustment, EntryKind::service_penalty}) {
    if (to_string(candidate) == name) {
      kind = candidate;
      return true;
    }
  }
  return false;
}

void MemoryLedgerStore::add_team(std::int64_t team_id, const std::string& name) {
  std::lock_guard lock(mutex_);
  teams_[team_id] = name;
}

Expected<Outcome> MemoryLedgerStore::append_decided(const std::string& exercise,
                                                    const std::string& team,
                                                    const std::string& objective,
                                                    const Decision& decide) {
  // One mutex for everything: the simplest way to keep the per-team serialisation.
  std::lock_guard lock(mutex_);
  auto& ledger = ledgers_[exercise];
  ObjectiveState state;
  if (!objective.empty()) {
    for (const auto& entry : ledger) {
      if (entry.team == team && entry.objective == objective) state.apply(entry);
    }
  }
  auto outcome = decide(state);
  if (!outcome) return outcome.error();
  for (auto& entry : outcome->entries) {
    entry.seq = next_seq_++;
    ledger.push_back(entry);
  }
  return outcome;
}

Expected<std::vector<LedgerEntry>> MemoryLedgerStore::entries(const std::string& exercise) {
  std::lock_guard lock(mutex_);
  auto found = ledgers_.find(exercise);
  if (found == ledgers_.end()) return std::vector<LedgerEntry>{};
  return found->second;
}

Expected<BoardVisibility> MemoryLedgerStore::board_mode(const std::string& exercise) {
  std::lock_guard lock(mutex_);
  auto found = modes_.find(exercise);
  return found == modes_.end() ? BoardVisibility{} : found->second;
}

Status MemoryLedgerStore::set_board_mode(const std::string& exercise, const BoardVisibility& mode,
                                         const std::string& /*actor*/) {
  std::lock_guard lock(mutex_);
  modes_[exercise] = mode;
  return Status::success();
}

Expected<std::string> MemoryLedgerStore::team_name(std::int64_t team_id) {
  std::lock_guard lock(mutex_);
  auto found = teams_.find(team_id);
  if (found == teams_.end()) {
    return make_error(ErrorCode::not_found, "Team " + std::to_string(team_id) +
                                                " does not exist; check the user's team.");
  }
  return found->second;
}

}  // namespace cyrange::scoring
