#pragma once

#include <string_view>

namespace cyrange::scenario {

/// The bytes of scenarios/schema/scenario-v1.schema.json, embedded at build time so
/// that `cyrange scenario schema` prints it from any working directory.
std::string_view published_schema();

}  // namespace cyrange::scenario
