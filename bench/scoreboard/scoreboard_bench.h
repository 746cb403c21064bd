#pragma once

#include <cstddef>
#include <ostream>
#include <string>

#include <orchestrator/common/expected.h>

namespace cyrange::bench {

/// Parameters of `cyrange bench scoreboard`.
struct ScoreboardBenchOptions {
  std::size_t teams = 100;     ///< teams submitting answers, one trainee each
  std::size_t consoles = 20;   ///< instructor consoles watching the board
  std::size_t objectives = 5;  ///< correct answers each team submits
  std::size_t submitters = 4;  ///< client threads sending the submissions
};

/// Latency from a submission leaving the trainee client to its arrival on a console,
/// over every (submission, console) pair.
struct ScoreboardBenchResult {
  std::size_t teams = 0;
  std::size_t consoles = 0;
  std::size_t samples = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
};

/// Runs an in-process cyranged (loopback, plaintext) on a throw-away database of the
/// local PostgreSQL, subscribes the consoles, submits from every team and measures.
/// Progress goes to `out`; the caller prints summary_line().
Expected<ScoreboardBenchResult> run_scoreboard_bench(const ScoreboardBenchOptions& options,
                                                     std::ostream& out);

/// "scoreboard: teams=N consoles=M p50_ms=A p99_ms=B max_ms=C".
std::string summary_line(const ScoreboardBenchResult& result);

}  // namespace cyrange::bench
