#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <client-core/range_client.h>
#include <client-core/scoring_client.h>
#include <client-core/timeline_client.h>
#include <console/models/dashboard_types.h>

namespace cyrange::console {

/// The live state of one exercise as the instructor console shows it: teams x objectives
/// cells, totals, score history, the event feed and attention marks. Qt-free; every view
/// of the console reads this one object (through DashboardModel), so they never disagree.
///
/// Totals: the board's standings are the truth. The history is built from ledger entries
/// in seq order; where the board counts points this client never received as entries
/// (the instructor snapshot carries standings but no entries, so a console that connects
/// mid-exercise or reconnects after a gap misses some), a "carried" point at the board's
/// through_seq makes up the difference. So the last history point always equals the
/// board's total, and a late entry that the carry already covered reduces the carry.
///
/// Teams and objectives are only ever appended (rows and columns stay stable for views);
/// a team missing from a later snapshot keeps its last known line.
class DashboardState {
 public:
  /// Applies a scoreboard snapshot (replaces standings, re-derives cells) or delta.
  /// Entries are keyed by seq: one already known is ignored (feed, history, flags).
  ChangeSummary apply(const client::ScoreboardMessage& message);
  /// Applies a timeline item's state for its team (keyed by team and item id).
  ChangeSummary apply(const client::TimelineChange& change);
  /// Applies a provisioning step (keyed by team and host).
  ChangeSummary apply(const client::ProvisioningStep& step);
  /// Names objectives in both languages; ids without a column yet keep their title for later.
  ChangeSummary set_objective_titles(const std::map<std::string, client::LocalizedText>& titles);
  /// Raises a stalled flag for each team that made no ledger entry for stall_minutes()
  /// exercise-minutes while it had an open, unsolved objective.
  ChangeSummary check_stalled(std::int64_t exercise_now_ms);
  /// Acknowledges a flag: it leaves the attention list and is not raised again.
  ChangeSummary acknowledge(const std::string& flag_id);

  /// Sets N of "no progress for N exercise-minutes" (default 10).
  void set_stall_minutes(int minutes) { stall_minutes_ = minutes; }
  /// N of "no progress for N exercise-minutes".
  int stall_minutes() const { return stall_minutes_; }

  /// Team names in row order (order first seen).
  const std::vector<std::string>& teams() const { return team_names_; }
  /// Objectives in column order (order first seen in the standings).
  const std::vector<Objective>& objectives() const { return objectives_; }
  /// The row of a team, if known.
  std::optional<std::size_t> team_row(std::string_view team) const;
  /// The column of an objective, if known.
  std::optional<std::size_t> objective_column(std::string_view objective) const;
  /// One cell; row and column must be in range.
  const Cell& cell(std::size_t row, std::size_t column) const;
  /// A team's total and rank (from the board) and counts (from its cells).
  TeamSummary summary(std::size_t row) const;
  /// A team's score-over-time points in ledger order; the last total equals the board's.
  const std::vector<HistoryPoint>& history(std::size_t row) const;
  /// The board's total of a team (the truth the history is reconciled to).
  int total(std::size_t row) const;
  /// Points of team-wide entries (no objective: service penalties, general adjustments),
  /// which count in the total but in no cell.
  int team_wide_points(std::size_t row) const;
  /// The last provisioning step of each host of a team, by host name.
  const std::map<std::string, HostState>& hosts(std::size_t row) const;
  /// Feed rows in arrival order.
  const std::vector<FeedEvent>& feed() const { return feed_; }
  /// Every flag ever raised, acknowledged and resolved ones included, in raise order.
  const std::vector<AttentionFlag>& flags() const { return flags_; }
  /// The highest ledger seq the board has reported.
  std::int64_t through_seq() const { return through_seq_; }
  /// The latest exercise time seen in any message, in ms.
  std::int64_t clock_ms() const { return clock_ms_; }

 private:
  // Ledger facts of one cell that the standings do not carry.
  struct CellLedger {
    std::optional<std::int64_t> solved_at_ms;
    bool revealed = false;
  };
  // Points the board counted before `seq` that no entry of this client explains.
  struct Carry {
    int points = 0;
    std::int64_t exercise_time_ms = 0;
  };
  // The timeline's view of one objective for one team.
  struct ObjectiveItem {
    client::ItemState state = client::ItemState::unknown;
    std::optional<std::int64_t> opened_at_ms;
  };
  struct Team {
    int total = 0;
    int rank = 0;
    std::map<std::string, client::ObjectiveLine> lines;  // standings by objective
    std::map<std::int64_t, client::ScoreEntry> entries;  // this team's ledger by seq
    std::map<std::int64_t, Carry> carries;               // by the through_seq they cover
    std::map<std::string, CellLedger> ledger;            // by objective
    std::map<std::string, ObjectiveItem> items;          // timeline objectives by id
    std::map<std::string, HostState> hosts;
    std::map<std::string, int> host_failures;  // generation of each host's failure
    std::optional<std::int64_t> last_entry_ms;
    std::vector<Cell> cells;  // one per column
    std::vector<HistoryPoint> history;
  };

  std::size_t ensure_team(const std::string& name, ChangeSummary& out);
  std::size_t ensure_objective(const std::string& id, ChangeSummary& out);
  void add_entry(std::size_t row, const client::ScoreEntry& entry, ChangeSummary& out);
  void set_line(std::size_t row, const client::TeamLine& line, ChangeSummary& out);
  void reconcile(std::size_t row, int board_total, std::int64_t through_seq, ChangeSummary& out);
  void rebuild_history(std::size_t row, ChangeSummary& out);
  void rederive_cells(std::size_t row, ChangeSummary& out);
  Cell derive_cell(const Team& team, const std::string& objective) const;
  void append_feed(FeedEvent event, ChangeSummary& out);
  void raise(AttentionFlag flag, ChangeSummary& out);
  void resolve_stalled(const std::string& team, ChangeSummary& out);
  void begin(ChangeSummary& out) const;
  void end(ChangeSummary& out) const;
  void advance_clock(std::int64_t exercise_time_ms);

  std::vector<std::string> team_names_;
  std::unordered_map<std::string, std::size_t> team_rows_;
  std::vector<Team> teams_;
  std::vector<Objective> objectives_;
  std::unordered_map<std::string, std::size_t> objective_columns_;
  std::map<std::string, client::LocalizedText> titles_;
  std::vector<FeedEvent> feed_;
  std::unordered_set<std::string> feed_keys_;
  std::vector<AttentionFlag> flags_;
  std::unordered_map<std::string, std::size_t> flag_index_;
  std::int64_t through_seq_ = 0;
  std::int64_t clock_ms_ = 0;
  int stall_minutes_ = 10;
};

}  // namespace cyrange::console
