#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/privacy/audit.h>

namespace cyrange::privacy {

/// Days recordings are kept for trainees whose organisation is not known.
inline constexpr int kDefaultRetentionDays = 365;

/// How to run the retention job.
struct RetentionOptions {
  bool apply = false;  ///< false: only count what would be deleted (dry run)
  int default_days = kDefaultRetentionDays;
  /// The job's "now"; unset means the clock of the database server.
  std::optional<std::chrono::system_clock::time_point> now;
  Actor actor;  ///< written to the audit log when applying
};

/// What expired for one organisation ("" = trainees without organisation).
struct RetentionLine {
  std::string organisation;
  int retention_days = 0;
  std::int64_t events = 0;             ///< recorder_events rows older than the retention
  std::int64_t terminal_sessions = 0;  ///< terminal recordings older than the retention
  /// score ledger entries caused by the organisation's trainees before the retention, whose
  /// personal fields (login name, wrong answer's text, self-assessment note) are redacted
  std::int64_t ledger_entries = 0;
};

/// The outcome of one run.
struct RetentionReport {
  bool applied = false;
  std::vector<RetentionLine> lines;  ///< every organisation, then the default line
  std::int64_t events = 0;           ///< total over the lines
  std::int64_t terminal_sessions = 0;
  std::int64_t ledger_entries = 0;  ///< redacted (points kept)
};

/// Finds the recorded events (by time received) and terminal recordings (by end,
/// or start while open) older than the retention of the trainee's organisation, and the
/// score ledger entries trainees caused before it; with options.apply deletes the
/// recordings, redacts the ledger entries' personal fields (their points stay) in one
/// transaction and writes one audit entry.
/// Callable from cyranged's scheduler and from `cyrange privacy retention`.
Expected<RetentionReport> enforce_retention(const std::string& uri,
                                            const RetentionOptions& options);

}  // namespace cyrange::privacy
