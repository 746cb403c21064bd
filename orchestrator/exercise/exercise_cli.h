#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/range/range_cli.h>

namespace cyrange::exercise {

/// Where the CLI finds libvirt, images and PostgreSQL.
struct ExerciseCliOptions {
  range::RangeCliOptions where;  ///< images and pools; its uri is set per host by these commands
  /// The hypervisor hosts team ranges are placed on (capacity-aware, as cyranged places them);
  /// the first is the primary. status, down and reset also reach every host a team was
  /// recorded on.
  std::vector<std::string> uris = {"qemu:///system"};
  bool plan_only = false;  ///< `range up --plan`: print where each team would go, build nothing
  std::string database_uri = "postgresql:///cyrange";
  int max_boots = 4;  ///< guests booting at once across all teams
};

/// `cyrange range up`: validates the scenario, records the exercise and its teams,
/// builds one range per team (per-team variables from `seed`) with a progress bar,
/// and prints each team's hosts. exercise empty: derived from the scenario id.
Status run_exercise_up(const std::string& scenario_file, int teams, std::string exercise,
                       std::uint64_t seed, std::ostream& out, const ExerciseCliOptions& options);

/// `cyrange range reset`: every team (or one) back to its pristine state, from the database.
Status run_exercise_reset(const std::string& exercise, const std::string& team, std::ostream& out,
                          const ExerciseCliOptions& options);

/// `cyrange range down`: removes every object of the exercise, then its rows.
Status run_exercise_down(const std::string& exercise, std::ostream& out,
                         const ExerciseCliOptions& options);

/// `cyrange range status`: live exercises, or one exercise's objects and recorded state.
Status run_exercise_status(const std::string& exercise, std::ostream& out,
                           const ExerciseCliOptions& options);

/// `cyrange range console`: the host's serial console on this terminal (raw mode) until Ctrl-].
Status run_exercise_console(const std::string& exercise, const std::string& team,
                            const std::string& host, const ExerciseCliOptions& options);

/// A valid exercise id from a scenario id: lower case, [a-z0-9_], at most 24 characters.
std::string exercise_id_from(const std::string& scenario_id);

}  // namespace cyrange::exercise
