#pragma once

#include <vector>

#include <orchestrator/scenario/diagnostic.h>
#include <orchestrator/scenario/scenario.h>

namespace cyrange::scenario {

/// Every problem of a loaded scenario: the shape problems found while reading plus
/// the semantic checks (references, names, addresses, translations, ATT&CK IDs,
/// trigger cycles, scorability), sorted by position in the file.
std::vector<Diagnostic> validate(const Scenario& scenario);

}  // namespace cyrange::scenario
