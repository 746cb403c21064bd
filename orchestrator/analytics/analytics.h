#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cyrange::analytics {

/// One recorded action that analytics counts: a command line, an answer, a hint
/// request, a report edit or an idle period, of one trainee (by pseudonym).
struct RecordedAction {
  std::string team;
  std::string trainee;  ///< pseudonym, as in recorder_events
  std::string kind;     ///< "command", "answer", "hint", "report_edit" or "idle"
  std::int64_t wall_unix_us = 0;
  std::int64_t idle_ms = 0;  ///< idle only
};

/// One score ledger entry that analytics counts: a solve or a hint of a team.
struct LedgerMark {
  std::string team;
  std::string objective;
  std::string kind;  ///< "solve" or "hint"
  std::int64_t wall_unix_us = 0;
};

/// What the numbers are derived from, for one exercise (and maybe one team).
struct AnalyticsInput {
  std::string exercise;
  std::int64_t start_unix_us = 0;       ///< when the exercise clock started
  std::vector<std::string> teams;       ///< teams to report, even without data
  std::vector<RecordedAction> actions;  ///< any order
  std::vector<LedgerMark> ledger;       ///< any order
};

/// When a team solved an objective and how many commands it took.
struct ObjectiveTiming {
  std::string objective;
  double solved_after_s = 0;  ///< wall seconds from the start to the first solve
  std::int64_t commands = 0;  ///< commands since the previous solve (or the start)
};

/// The numbers of one trainee (trainee set) or one team (trainee empty).
struct ActorAnalytics {
  std::string team;
  std::string trainee;
  std::optional<double> first_action_s;     ///< to the first command, answer, hint or report edit
  std::vector<ObjectiveTiming> objectives;  ///< in the order the team solved them
  std::int64_t commands = 0;
  std::int64_t hints = 0;  ///< team: hints in the ledger; trainee: hint requests recorded
  double idle_s = 0;       ///< sum of recorded idle periods
};

/// Analytics of one exercise: one row per team, one per recorded trainee.
struct ExerciseAnalytics {
  std::string exercise;
  std::int64_t start_unix_us = 0;
  std::vector<ActorAnalytics> teams;
  std::vector<ActorAnalytics> trainees;
};

/// One step of a team's activity: a recorded action of a trainee (command line with its
/// host, answer, hint request, report edit, idle period) or an entry of the score ledger.
struct ActivityEntry {
  std::int64_t wall_unix_us = 0;
  std::string trainee;  ///< pseudonym; empty for the ledger's entries
  /// "command", "answer", "hint", "report_edit", "idle", or the ledger's kind prefixed
  /// "ledger:" ("ledger:solve", "ledger:wrong_answer", "ledger:hint", ...)
  std::string kind;
  std::string host;         ///< commands only
  std::string text;         ///< the line, "question: answer", the hint, "section +a -r", ...
  bool redacted = false;    ///< a command line the recorder never stored (a password prompt)
  std::int64_t points = 0;  ///< ledger entries only
};

/// A team's activity, oldest first: the latest `limit` entries.
struct TeamActivity {
  std::string exercise, team;
  std::int64_t start_unix_us = 0;  ///< as ExerciseAnalytics
  std::vector<ActivityEntry> entries;
  bool truncated = false;  ///< older entries were left out
};

/// Derives the numbers. Times are wall-clock seconds since input.start_unix_us
/// (the time people spent, whatever the exercise clock's speed). Commands count
/// toward the team's next solve: those after the previous solve of the team and
/// up to this one; a trainee's row shows the team's solves with their own commands.
ExerciseAnalytics compute_analytics(const AnalyticsInput& input);

}  // namespace cyrange::analytics
