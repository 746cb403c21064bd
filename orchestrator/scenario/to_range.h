#pragma once

#include <map>
#include <string>

#include <orchestrator/range/range_spec.h>
#include <orchestrator/scenario/scenario.h>

namespace cyrange::scenario {

/// One team's range: segments become isolated networks, hosts become guests, and
/// routers/firewalls become guests with role "router" and one NIC per segment.
/// ${vars.x} references are replaced by `vars` (see resolve_variables()).
range::RangeSpec to_range_spec(const Scenario& scenario,
                               const std::map<std::string, std::string>& vars,
                               const std::string& exercise, const std::string& team);

}  // namespace cyrange::scenario
