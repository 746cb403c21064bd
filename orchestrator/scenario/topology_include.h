#pragma once

// Internal to the parser: resolves `topology: {include: ...}` while reading.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include <orchestrator/scenario/yaml_reader.h>

namespace cyrange::scenario::detail {

/// What reading one scenario's includes needs to know and remembers.
struct IncludeContext {
  /// Absolute library folder that includes must stay inside; none: includes are refused
  /// (the scenario came as text, without a library to read templates from).
  std::optional<std::filesystem::path> library;
  /// The files being read, outermost (the scenario) first: absolute paths for the cycle
  /// check, and as locations name them for messages.
  std::vector<std::filesystem::path> chain;
  std::vector<std::string> shown_chain;
  /// Each included file's library-relative path and bytes, for the scenario's content hash.
  std::string included;
};

/// Starts a context for the file `shown` (as locations name it) in `library` (if any).
/// `located`: where the file stands for resolving its includes, when that is not `shown`
/// (scenario text submitted to cyranged stands inside the server's library).
IncludeContext include_context(const std::string& shown,
                               const std::optional<std::filesystem::path>& library,
                               const std::optional<std::filesystem::path>& located = {});

/// The topology written at `node` (a scenario's `topology:` or a template's top level)
/// with the template it includes merged in: the template's elements first, then this
/// file's; a name this file repeats is reported here, and `extend_routers:` adds
/// interfaces and leading rules to the template's routers.
Topology read_topology(YamlReader& r, const YAML::Node& node, IncludeContext& context);

/// True when the top-level mapping `root` looks like a topology template: no
/// `apiVersion`, and one of the topology keys.
bool looks_like_template(const YAML::Node& root);

}  // namespace cyrange::scenario::detail
