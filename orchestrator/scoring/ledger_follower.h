#pragma once

#include <memory>
#include <string>

#include <orchestrator/scoring/score_hub.h>
#include <orchestrator/store/change_listener.h>

namespace cyrange::scoring {

/// Keeps the live boards of `hub` in step with redactions of their stored ledger made in any
/// process: `cyrange privacy withdraw`, `cyrange users erase` and retention rewrite who acted
/// and what a trainee typed in PostgreSQL, and migration 0018 notifies channel cyrange_ledger
/// with the exercise's id; the board then rereads its entries (ExerciseBoard::reread_ledger),
/// so the live scoreboard, its streams and the console show the redacted entries at once, not
/// after cyranged restarts. Every open board is reread when listening (re)starts.
class LedgerFollower {
 public:
  /// Follows the database at `uri` for `hub`.
  LedgerFollower(std::string uri, std::shared_ptr<ScoreHub> hub);

 private:
  void reread(const std::string& exercise);

  std::shared_ptr<ScoreHub> hub_;
  std::unique_ptr<store::ChangeListener> listener_;  // last: stopped first
};

}  // namespace cyrange::scoring
