#pragma once

#include <string>

#include <orchestrator/scenario/scenario.h>

namespace cyrange::scenario {

/// Graphviz DOT of the topology (segments, hosts, routers, attachments labelled
/// with addresses) and the attack path (red edges between the hosts targeted by
/// successive attack steps, labelled with step id and ATT&CK technique).
std::string to_dot(const Scenario& scenario);

}  // namespace cyrange::scenario
