#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <client-core/localized_text.h>

namespace cyrange::console {

/// Where one team stands on one objective, as the matrix shows it.
enum class CellState {
  locked,     ///< the timeline has not opened the objective for this team yet
  open,       ///< open, nothing tried
  attempted,  ///< wrong answers, not solved
  hinted,     ///< a hint taken, not solved
  partial,    ///< some parts answered
  solved,     ///< complete
  failed,     ///< the timeline failed or skipped the objective; it will not be solved
};

/// The lower-case name of a state ("attempted"), for logs, tests and screen readers.
std::string_view to_string(CellState state);

/// One team's progress on one objective.
struct Cell {
  CellState state = CellState::open;
  int points = 0;
  int wrong_attempts = 0;
  double partial_fraction = 0;
  std::vector<std::string> hints;            ///< hint ids taken
  std::optional<std::int64_t> solved_at_ms;  ///< exercise time of the solve entry, if seen
  bool revealed = false;                     ///< the solution was shown to the team
  bool operator==(const Cell&) const = default;
};

/// One column of the matrix.
struct Objective {
  std::string id;
  client::LocalizedText title;  ///< empty until set_objective_titles names it
};

/// A team's totals, the same numbers the matrix shows.
struct TeamSummary {
  int total = 0;
  int rank = 0;
  int solved = 0;
  int partial = 0;
  int hints = 0;
  int wrong_attempts = 0;
};

/// One point of a team's score-over-time curve.
struct HistoryPoint {
  std::int64_t exercise_time_ms = 0;
  int total = 0;         ///< cumulative total after this point
  std::int64_t seq = 0;  ///< ledger seq; for a carried point the board's through_seq
  bool carried = false;  ///< points the board counted but this client never saw as entries
  bool operator==(const HistoryPoint&) const = default;
};

/// What a feed row reports.
enum class FeedKind {
  solve,
  partial,
  wrong_answer,
  hint,
  reveal,
  adjustment,
  service_down,
  inject,  ///< a timeline step or message fired, finished or failed
  provisioning_failed,
  other,
};

/// The lower-case name of a feed kind ("service_down").
std::string_view to_string(FeedKind kind);

/// One row of the event feed.
struct FeedEvent {
  FeedKind kind = FeedKind::other;
  std::string team, objective, item;
  int points = 0;
  std::int64_t exercise_time_ms = 0;
  client::LocalizedText text;
  std::string key;  ///< unique: "ledger:<seq>", "timeline:...", "provisioning:..."
  /// A moment of a terminal recording the entry's reason points to ("recording:<session>@
  /// <seconds>", as the grade dialog writes it); empty when it names none.
  std::string evidence;
};

/// A moment of a terminal recording, as evidence: session and seconds from its start.
struct RecordingMoment {
  std::int64_t session = 0;
  int seconds = 0;
};
/// The link a grade's evidence carries: "recording:<session>@<seconds>".
std::string to_link(const RecordingMoment& moment);
/// The first link of that form in `text` (e.g. a ledger entry's reason); none without one.
std::optional<RecordingMoment> find_recording_moment(const std::string& text);

/// Why a team needs the instructor's attention.
enum class AttentionCause { stalled, service_down, host_failed };

/// One attention mark; raised once per cause, it stays acknowledged once acknowledged.
struct AttentionFlag {
  std::string id;  ///< names the cause, e.g. "stalled:red:600000"
  AttentionCause cause = AttentionCause::stalled;
  std::string team;
  std::string subject;  ///< objective, service or host concerned
  client::LocalizedText reason;
  std::int64_t raised_at_ms = 0;  ///< exercise time
  bool acknowledged = false;
  bool resolved = false;  ///< the cause went away by itself (a stalled team moved on)
  /// True when the flag belongs in the attention list.
  bool active() const { return !acknowledged && !resolved; }
};

/// The last provisioning step of one host (host empty: the team range as a whole).
struct HostState {
  std::string host, state, message;
  int percent = 0;
};

/// What one apply changed, in row/column numbers, so Qt models emit precise signals.
struct ChangeSummary {
  std::size_t teams_before = 0, teams_after = 0;            ///< rows [before, after) were appended
  std::size_t objectives_before = 0, objectives_after = 0;  ///< columns appended
  std::set<std::size_t> team_rows;                          ///< totals, rank or counts moved
  std::set<std::pair<std::size_t, std::size_t>> cells;      ///< (team row, objective column)
  std::size_t feed_before = 0, feed_after = 0;              ///< feed rows appended
  std::set<std::size_t> history_teams;                      ///< rows whose history changed
  bool attention = false;                                   ///< the flag list changed
  bool titles = false;                                      ///< objective titles changed

  /// True when nothing changed.
  bool empty() const;
  /// Adds `later` to this summary (coalescing several applies into one notification).
  void merge(const ChangeSummary& later);
};

/// Exercise time as the exercise clock shows it: "01:02:03".
std::string format_exercise_time(std::int64_t exercise_time_ms);

}  // namespace cyrange::console
