#pragma once

// Topology includes: a scenario's `topology:` may name a reusable topology template
// (`include: ../templates/NAME.yaml`) and extend it. Templates are read from the
// scenario library on disk; the Scenario the rest of cyrange sees is the resolved one,
// each element keeping the file, line and column it was written at.
#include <filesystem>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/scenario/diagnostic.h>
#include <orchestrator/scenario/scenario.h>

namespace cyrange::scenario {

/// How many files deep includes may nest below the scenario (scenario -> t1 -> ... -> t4).
inline constexpr int kMaxIncludeDepth = 4;

/// The scenario library a scenario file belongs to, which its includes must stay inside:
/// the folder above the scenario's own folder (scenarios/NAME/scenario.yaml -> scenarios).
std::filesystem::path library_root_of(const std::filesystem::path& scenario_file);

/// Parses scenario text as if read from `file`, reading the templates its topology
/// includes from disk inside `library_root`. load_scenario(path) is this with
/// library_root_of(path); parse_scenario(text, file) has no library and refuses includes.
Expected<Scenario> parse_scenario(const std::string& text, const std::string& file,
                                  const std::filesystem::path& library_root);

/// Parses scenario text submitted to cyranged (over the API, without its folder) as if it
/// were a scenario folder of the server's scenario library `library_root`
/// (`library_root/NAME/scenario.yaml`): `include: ../templates/NAME.yaml` reads that
/// library's template, and nothing outside it. Locations name `file` as the submitter wrote
/// it, and the templates relative to it.
Expected<Scenario> parse_submitted_scenario(const std::string& text, const std::string& file,
                                            const std::filesystem::path& library_root);

/// The scenario library cyranged reads templates from: $CYRANGE_SCENARIO_LIBRARY, or the
/// source tree's scenarios/ folder.
std::filesystem::path default_scenario_library();

/// True when the file at `path` is a topology template (a topology mapping on its own,
/// without `apiVersion`) rather than a scenario; false when it cannot be read.
bool is_topology_template(const std::filesystem::path& path);

/// Every problem of the topology template at `path` checked on its own: its keys, its
/// includes and the topology checks of validate(). Fails, as load_scenario() does, when
/// the file cannot be read or is not valid YAML.
Expected<std::vector<Diagnostic>> validate_topology_template(const std::filesystem::path& path);

}  // namespace cyrange::scenario
