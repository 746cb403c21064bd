#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/scoring/engine.h>
#include <orchestrator/scoring/ledger.h>
#include <orchestrator/scoring/scoreboard.h>

namespace cyrange::scoring {

/// Decides what to append from a team's state on one objective as committed.
using Decision = std::function<Expected<Outcome>(const ObjectiveState& state)>;

/// The durable score ledger of every exercise: append-only, serialised per team.
/// Thread-safe. PgLedgerStore is the real one; MemoryLedgerStore serves unit tests.
class LedgerStore {
 public:
  virtual ~LedgerStore() = default;

  /// Locks the (exercise, team) ledger, re-reads the team's state on `objective`
  /// ("" for team-wide entries: an empty state), runs `decide` and appends its
  /// entries, all atomically. Returns the outcome with the entries' seq set.
  virtual Expected<Outcome> append_decided(const std::string& exercise, const std::string& team,
                                           const std::string& objective,
                                           const Decision& decide) = 0;
  /// Every entry of `exercise` in append order.
  virtual Expected<std::vector<LedgerEntry>> entries(const std::string& exercise) = 0;
  /// The scoreboard mode of `exercise` (live when never set).
  virtual Expected<BoardVisibility> board_mode(const std::string& exercise) = 0;
  /// Stores the scoreboard mode of `exercise`; `actor` is kept for the audit.
  virtual Status set_board_mode(const std::string& exercise, const BoardVisibility& mode,
                                const std::string& actor) = 0;
  /// The name of the identity team `team_id`; not_found when there is none.
  virtual Expected<std::string> team_name(std::int64_t team_id) = 0;
};

/// An in-memory LedgerStore with the same contract, for fast unit tests.
class MemoryLedgerStore final : public LedgerStore {
 public:
  /// Makes team `name` known under `team_id` for team_name().
  void add_team(std::int64_t team_id, const std::string& name);

  Expected<Outcome> append_decided(const std::string& exercise, const std::string& team,
                                   const std::string& objective, const Decision& decide) override;
  Expected<std::vector<LedgerEntry>> entries(const std::string& exercise) override;
  Expected<BoardVisibility> board_mode(const std::string& exercise) override;
  Status set_board_mode(const std::string& exercise, const BoardVisibility& mode,
                        const std::string& actor) override;
  Expected<std::string> team_name(std::int64_t team_id) override;

 private:
  std::mutex mutex_;
  std::int64_t next_seq_ = 1;
  std::map<std::string, std::vector<LedgerEntry>> ledgers_;
  std::map<std::string, BoardVisibility> modes_;
  std::map<std::int64_t, std::string> teams_;
};

/// The kind named by to_string(EntryKind); false for an unknown name.
bool parse_entry_kind(std::string_view name, EntryKind& kind);

}  // namespace cyrange::scoring
