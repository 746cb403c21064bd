#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <client-core/script/trainee_script.h>
#include <orchestrator/common/expected.h>
#include <orchestrator/scenario/scenario.h>

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
};

/// One thing that happened in the simulated run.
struct DryRunLine {
  double at = 0;         ///< exercise seconds
  bool trainee = false;  ///< the script acted (else the timeline did)
  std::string kind;  ///< message, step, objective (timeline); run, answer, hint, solved (trainee)
  std::string id;    ///< item id, or the action's FILE:LINE:COL
  std::string text;  ///< e.g. "fires [send_mail T1598 -> mail]" or the action
};

/// The simulated run of a scenario's timeline under a scripted trainee.
struct ScriptDryRun {
  std::vector<DryRunLine> lines;   ///< in the order they happened
  std::vector<std::string> never;  ///< items that never ran, each with what it waited for
  std::string stopped;             ///< why the script could not go on; empty when it ran to its end
  int objectives = 0, solved = 0;
};

/// Runs the timeline of one team on a simulated clock (no range, no daemon), with
/// the script's actions in between: its waits follow the timeline, and its answers
/// count as correct (but those with `expect: wrong`), so `on_objective ... solved`
/// triggers open what they open.
/// A `when: {objective_solved: ID}` on a range-state check counts as passing the check.
Expected<ScriptDryRun> dry_run_script(const scenario::Scenario& scenario,
                                      const client::TraineeScript& script,
                                      const ScriptDryRunOptions& options = {});

/// The run as text, one line per event, with wall-clock times at `speed`.
std::string format_script_dry_run(const ScriptDryRun& run, double speed);

/// What `cyrange scenario dry-run --script` prints, and whether the script played to its end.
struct ScriptDryRunReport {
  std::string text;
  bool ok = false;
};

/// Loads `script_file`, checks it against `scenario` and dry-runs it. A script that
/// does not parse or names what the scenario lacks is an error listing every problem
/// as FILE:LINE:COL.
Expected<ScriptDryRunReport> dry_run_script_file(const scenario::Scenario& scenario,
                                                 const std::string& script_file, double speed,
                                                 const ScriptDryRunOptions& options = {});

}  // namespace cyrange::playtest
