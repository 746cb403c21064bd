#pragma once

#include <string>
#include <string_view>

#include <orchestrator/common/expected.h>

namespace cyrange::cli {

/// How to refresh docs/scenario-reference.md after the schema changed.
inline constexpr const char* kScenarioReferenceUpdate =
    "build/orchestrator/cli/cyrange scenario reference > docs/scenario-reference.md";

/// The Markdown reference of a scenario JSON Schema as cyrange writes it (draft 2020-12,
/// local `#/$defs/` references): one section for the top level and one per definition,
/// each with every key's type, whether it is required, allowed values and description,
/// and the property paths where the definition is used. invalid_argument when
/// `schema_json` is not a JSON object of that shape.
Expected<std::string> scenario_reference_markdown(std::string_view schema_json);

}  // namespace cyrange::cli
