#pragma once

#include <filesystem>
#include <string>

#include <orchestrator/common/expected.h>
#include <orchestrator/scenario/scenario.h>

namespace cyrange::scenario {

/// Reads a scenario file. Fails only when the file cannot be read or is not valid
/// YAML (the message is "FILE:LINE:COL: error: ...; how to fix"); shape problems
/// are kept in Scenario::schema_diagnostics and reported by validate().
Expected<Scenario> load_scenario(const std::filesystem::path& path);

/// Parses scenario text as if read from `file` (for tests and in-memory sources).
Expected<Scenario> parse_scenario(const std::string& text, const std::string& file);

}  // namespace cyrange::scenario
