#pragma once

#include <filesystem>
#include <string>

#include <orchestrator/common/expected.h>
#include <orchestrator/scenario/scenario.h>

namespace cyrange::scenario {

/// Reads a scenario file, with the topology templates it includes (includes.h). Fails
/// only when the file cannot be read, is not valid YAML or is a topology template (the
/// message is "FILE:LINE:COL: error: ...; how to fix"); shape problems, of included
/// templates too, are kept in Scenario::schema_diagnostics and reported by validate().
Expected<Scenario> load_scenario(const std::filesystem::path& path);

/// Parses scenario text as if read from `file` (for tests and in-memory sources). With no
/// scenario library to read templates from, a topology `include:` is reported as an error;
/// includes.h has the overload that takes the library.
Expected<Scenario> parse_scenario(const std::string& text, const std::string& file);

}  // namespace cyrange::scenario
