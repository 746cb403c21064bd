#pragma once

#include <memory>
#include <string>

#include <orchestrator/common/expected.h>
#include <orchestrator/scoring/ledger_store.h>

namespace cyrange::scoring {

/// The score ledger in PostgreSQL (migration 0005): rows of ledger_entries are never
/// updated or deleted (a trigger refuses it), and each append runs in the transaction
/// that holds the team's score_teams row FOR UPDATE and re-reads its state. One
/// connection behind a mutex; reopened on the next call after it broke.
class PgLedgerStore final : public LedgerStore {
 public:
  /// Connects to `uri`; ErrorCode::unavailable when PostgreSQL cannot be reached.
  static Expected<std::unique_ptr<PgLedgerStore>> open(const std::string& uri);

  ~PgLedgerStore() override;
  PgLedgerStore(const PgLedgerStore&) = delete;
  PgLedgerStore& operator=(const PgLedgerStore&) = delete;

  Expected<Outcome> append_decided(const std::string& exercise, const std::string& team,
                                   const std::string& objective, const Decision& decide) override;
  Expected<std::vector<LedgerEntry>> entries(const std::string& exercise) override;
  Expected<BoardVisibility> board_mode(const std::string& exercise) override;
  Status set_board_mode(const std::string& exercise, const BoardVisibility& mode,
                        const std::string& actor) override;
  Expected<std::string> team_name(std::int64_t team_id) override;

 private:
  struct Impl;
  explicit PgLedgerStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cyrange::scoring
