#pragma once

#include <orchestrator/scoring/ledger.h>
#include <orchestrator/scoring/rules.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cyrange::scoring {

/// Where a team stands on one objective, at a glance.
enum class ObjectiveStatus { open, partial, solved };

/// A team's progress on one objective as shown on a scoreboard.
struct ObjectiveProgress {
  ObjectiveState state;
  double partial_fraction = 0;  // share of the objective's part points solved, 0..1
  ObjectiveStatus status = ObjectiveStatus::open;
};

/// One team's line on the scoreboard, with its details.
struct TeamStanding {
  std::string team;
  int total = 0;
  int rank = 0;  // 1-based; teams equal in total and last-score time share a rank
  std::optional<std::chrono::milliseconds> last_score_time;  // last entry that changed the total
  std::map<std::string, ObjectiveProgress> objectives;
};

/// Every team's standing, best first.
struct Scoreboard {
  std::vector<TeamStanding> standings;

  /// The standing of a team, or nullptr.
  const TeamStanding* find(std::string_view team) const;
};

/// What the scoreboard may show: everything given at construction plus ledger entries.
struct DeriveOptions {
  const ScoringRules* rules = nullptr;  // lists every objective and weighs partial credit
  std::vector<std::string> teams;       // teams listed even before their first entry
};

/// Folds ledger entries one by one; the live server keeps one and derive() replays into one,
/// so the live state and a recomputation cannot drift apart.
class ScoreTally {
 public:
  /// An empty tally that knows the objectives and teams of the options.
  explicit ScoreTally(const DeriveOptions& options = {});

  /// Folds one entry in.
  void apply(const LedgerEntry& entry);
  /// The team's state on an objective, as the engine needs it (empty when untouched).
  ObjectiveState objective(const std::string& team, const std::string& objective) const;
  /// The team's current total (0 for an unknown team).
  int total(const std::string& team) const;
  /// The ranked scoreboard of everything folded so far.
  Scoreboard scoreboard() const;

 private:
  struct TeamTally {
    int total = 0;
    std::optional<std::chrono::milliseconds> last_score_time;
    std::map<std::string, ObjectiveState> objectives;
  };
  ObjectiveProgress progress(const std::string& objective, const ObjectiveState& state) const;

  std::map<std::string, TeamTally> teams_;
  std::map<std::string, std::map<std::string, int>> part_points_;  // objective -> part -> points
};

/// The instructor view: every entry counted.
Scoreboard derive(const std::vector<LedgerEntry>& entries, const DeriveOptions& options = {});

/// How much a team may see of the other teams.
enum class BoardMode {
  live,    // everything
  frozen,  // other teams as they stood at the freeze time
  hidden,  // no other teams at all
};

/// The scoreboard mode and, for frozen, the exercise time of the freeze.
struct BoardVisibility {
  BoardMode mode = BoardMode::live;
  std::chrono::milliseconds freeze_at{0};
};

/// One line of the board a team sees: no details of other teams.
struct TeamTotal {
  std::string team;
  int total = 0;
  int rank = 0;
};

/// What one team may see. Its own details and total are always live (the team learns each
/// result from its submission reply anyway); the board of all teams honours freeze and hide.
struct TeamView {
  std::string team;
  int total = 0;
  std::map<std::string, ObjectiveProgress> objectives;
  std::vector<TeamTotal> board;  // empty in hidden mode; frozen entries left out in frozen mode
  bool frozen = false;
};

/// The view of one team; entries after a freeze time are missing from its board.
TeamView team_view(const std::vector<LedgerEntry>& entries, const std::string& team,
                   const BoardVisibility& visibility, const DeriveOptions& options = {});

}  // namespace cyrange::scoring
