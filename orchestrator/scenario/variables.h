#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <orchestrator/scenario/scenario.h>

namespace cyrange::scenario {

/// Draws every variable's value for one team. The same (scenario, seed, team)
/// always gives the same values on every machine; different teams get
/// independent draws. Address variables avoid the addresses of the topology.
/// References between variables are filled in once, in dependency order; a
/// reference inside a cycle stays as written.
std::map<std::string, std::string> resolve_variables(const Scenario& scenario, std::uint64_t seed,
                                                     const std::string& team);

/// Longest value a variable may reach once the references in it are filled in. The
/// validator refuses a scenario whose variables could grow longer; resolve_variables()
/// leaves the references of such a value unfilled instead of building it.
inline constexpr std::size_t kMaxVariableValue = 1024;

/// The NAME of each ${vars.NAME} in `text`, in order, a repeated reference repeated.
std::vector<std::string> referenced_variables(const std::string& text);

/// Replaces each ${vars.NAME} in `text` by its value; unknown names stay as written.
std::string substitute(const std::string& text, const std::map<std::string, std::string>& vars);

}  // namespace cyrange::scenario
