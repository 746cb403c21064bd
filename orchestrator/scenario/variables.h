#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <orchestrator/scenario/scenario.h>

namespace cyrange::scenario {

/// Draws every variable's value for one team. The same (scenario, seed, team)
/// always gives the same values on every machine; different teams get
/// independent draws. Address variables avoid the addresses of the topology.
std::map<std::string, std::string> resolve_variables(const Scenario& scenario, std::uint64_t seed,
                                                     const std::string& team);

/// Replaces each ${vars.NAME} in `text` by its value; unknown names stay as written.
std::string substitute(const std::string& text, const std::map<std::string, std::string>& vars);

}  // namespace cyrange::scenario
