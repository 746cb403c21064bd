#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <client-core/script/trainee_script.h>
#include <orchestrator/common/expected.h>
#include <orchestrator/scenario/scenario.h>
#include <orchestrator/scoring/ledger.h>

namespace cyrange::playtest {

/// Problems of `script` against `scenario`, each "FILE:LINE:COL: error: what; fix":
/// a script written for another scenario, objectives, parts and hints the scenario
/// does not define, answers to check-only objectives, hosts without a trainee terminal.
std::vector<std::string> check_script(const scenario::Scenario& scenario,
                                      const client::TraineeScript& script);

/// The most points each objective of `scenario` can earn (its parts summed), e.g. for
/// client::format_summary() and to tell full marks from a playtest's total.
std::map<std::string, int> objective_points(const scenario::Scenario& scenario);

/// How the simulated run goes.
struct ScriptDryRunOptions {
  std::uint64_t seed = 0;      ///< draws the team's variables (texts and parameters)
  std::string team = "team1";  ///< the simulated team
  /// Exercise seconds at which action N took effect in a real run (an answer's or hint's
  /// ledger time, the moment a command was typed, the end of a wait): the simulated clock
  /// moves there before the action, so decay and time windows see the same times as on
  /// the real day. Actions not listed act as soon as their wait is over.
  std::map<std::size_t, double> acted_at;
  /// When the instructor grades the report (exercise seconds); absent: after the script.
  std::optional<double> graded_at;
};

/// One thing that happened in the simulated run.
struct DryRunLine {
  double at = 0;         ///< exercise seconds
  bool trainee = false;  ///< the script acted (else the timeline or the scoreboard did)
  /// message, step, objective (timeline); score (a ledger entry); run, answer, hint,
  /// assumed, grade (the trainee, or the instructor's grade)
  std::string kind;
  std::string id;    ///< item or objective id, or the action's FILE:LINE:COL
  std::string text;  ///< e.g. "fires [send_mail T1598 -> mail]" or the action
};

/// One objective at the end of the simulated run, as the scoreboard has it.
struct DryRunObjective {
  std::string id;
  std::string status;  ///< solved, partial, failed (no attempt left), open, not opened
  int points = 0;      ///< net, after penalties
  int max_points = 0;
  int wrong_answers = 0;
  std::vector<std::string> hints;  ///< hint ids taken
};

/// The simulated run of a scenario's timeline under a scripted trainee.
struct ScriptDryRun {
  std::vector<DryRunLine> lines;   ///< in the order they happened
  std::vector<std::string> never;  ///< items that never ran, each with what it waited for
  std::string stopped;             ///< why the script could not go on; empty when it ran to its end
  int objectives = 0, solved = 0;
  std::vector<DryRunObjective> scores;  ///< in the order of the scenario
  int total = 0;                        ///< the team's total on the scoreboard
  int full_marks = 0;                   ///< every objective's points
  /// Range-state checks the run counted as passing, each with the script's line saying
  /// the trainee did what they check.
  std::vector<std::string> assumed;
  /// Checks nothing in the script stands for: they pass on a real day only if the range
  /// happens to satisfy them (e.g. at the instructor's final check run).
  std::vector<std::string> not_assumed;
  bool services_watched = false;  ///< the scenario charges downtime, which a dry run never sees
  std::vector<scoring::LedgerEntry> ledger;  ///< every score entry of the team
};

/// Runs one team's exercise on a simulated clock with the engines of a real day (no
/// range, no daemon): the timeline engine, the scoring engine and its scoreboard, the
/// relay that raises trainee events (answer:, hint:, command:, objectives opened,
/// solved and failed) and the expected-command matcher, with the script's actions in
/// between. What it cannot know it takes from the script: an answer whose value comes
/// from a command's output counts as right unless the script expects it wrong (a literal
/// value is judged by the real rule); a range-state check passes when the script waits
/// for its objective to be solved (listed in `assumed`); the report grades are the
/// script's `report_grades:`; the instructor's choices in decision steps are its
/// `decisions:` (a decision the script does not choose in waits, as in a playtest).
Expected<ScriptDryRun> dry_run_script(const scenario::Scenario& scenario,
                                      const client::TraineeScript& script,
                                      const ScriptDryRunOptions& options = {});

/// The run as text, one line per event, with wall-clock times at `speed`, then the
/// points of each objective, the total against full marks and what was assumed.
std::string format_script_dry_run(const ScriptDryRun& run, double speed);

/// What `cyrange scenario dry-run --script` prints, and whether the script played to its end.
struct ScriptDryRunReport {
  std::string text;
  bool ok = false;
  ScriptDryRun run;
};

/// Loads `script_file`, checks it against `scenario` and dry-runs it. A script that
/// does not parse or names what the scenario lacks is an error listing every problem
/// as FILE:LINE:COL.
Expected<ScriptDryRunReport> dry_run_script_file(const scenario::Scenario& scenario,
                                                 const std::string& script_file, double speed,
                                                 const ScriptDryRunOptions& options = {});

}  // namespace cyrange::playtest
