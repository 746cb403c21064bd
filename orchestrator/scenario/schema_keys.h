#pragma once

#include <map>
#include <string>
#include <vector>

namespace cyrange::scenario {

/// The keys one object of the format accepts and the ones it requires.
struct ObjectShape {
  std::vector<std::string> keys;
  std::vector<std::string> required;
};

/// Every object shape of apiVersion cyrange/v1 by name ("scenario" is the top
/// level; the others match the `$defs` of scenarios/schema/scenario-v1.schema.json).
/// The parser checks keys against this table, and a test keeps the JSON Schema in step.
const std::map<std::string, ObjectShape>& object_shapes();

/// The one apiVersion this parser understands.
inline constexpr const char* kApiVersion = "cyrange/v1";

}  // namespace cyrange::scenario
