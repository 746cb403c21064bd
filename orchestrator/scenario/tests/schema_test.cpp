// Keeps scenarios/schema/scenario-v1.schema.json in step with the parser's keys.
#include <filesystem>
#include <functional>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <orchestrator/inject/step_catalog.h>
#include <orchestrator/scenario/published_schema.h>
#include <orchestrator/scenario/schema_keys.h>
#include <orchestrator/scenario/time_placeholders.h>

namespace cyrange::scenario {
namespace {

nlohmann::json load_schema() {
  std::ifstream in(std::filesystem::path(SCENARIO_LIBRARY_DIR) / "schema" /
                   "scenario-v1.schema.json");
  EXPECT_TRUE(in.good());
  return nlohmann::json::parse(in);
}

std::set<std::string> keys_of(const nlohmann::json& object) {
  std::set<std::string> out;
  for (const auto& [key, value] : object.items()) out.insert(key);
  return out;
}

std::set<std::string> as_set(const std::vector<std::string>& v) { return {v.begin(), v.end()}; }

TEST(Schema, TopLevelKeysMatchTheParser) {
  const auto schema = load_schema();
  EXPECT_EQ(schema.at("$schema"), "https://json-schema.org/draft/2020-12/schema");
  const auto& shape = object_shapes().at("scenario");
  EXPECT_EQ(keys_of(schema.at("properties")), as_set(shape.keys));
  EXPECT_EQ(schema.at("required").get<std::set<std::string>>(), as_set(shape.required));
  EXPECT_EQ(schema.at("properties").at("apiVersion").at("const"), kApiVersion);
}

TEST(Schema, EveryObjectShapeMatchesItsDefinition) {
  const auto schema = load_schema();
  const auto& defs = schema.at("$defs");
  for (const auto& [name, shape] : object_shapes()) {
    if (name == "scenario") continue;
    SCOPED_TRACE(name);
    ASSERT_TRUE(defs.contains(name));
    EXPECT_EQ(keys_of(defs.at(name).at("properties")), as_set(shape.keys));
    EXPECT_EQ(defs.at(name).at("required").get<std::set<std::string>>(), as_set(shape.required));
    EXPECT_EQ(defs.at(name).at("additionalProperties"), false);
  }
}

TEST(Schema, StepTypesOfferedToEditorsAreTheOnesTheEngineRuns) {
  std::vector<std::string> engine;
  for (const auto& spec : inject::step_catalog()) engine.push_back(spec.type);
  const auto type = load_schema().at("$defs").at("step").at("properties").at("type");
  EXPECT_EQ(type.at("examples").get<std::vector<std::string>>(), engine);
}

TEST(Schema, StepParametersListEveryTimeFormat) {
  const std::string description =
      load_schema().at("$defs").at("step").at("properties").at("params").at("description");
  for (const auto& format : time_formats())
    EXPECT_TRUE(std::regex_search(description, std::regex("\\b" + format.name + "\\b")))
        << format.name;
}

TEST(Schema, EveryKeyHasADescriptionForEditorsToShowOnHover) {
  std::function<void(const nlohmann::json&, const std::string&)> walk =
      [&](const nlohmann::json& node, const std::string& path) {
        if (!node.is_object()) return;
        if (node.contains("properties")) {
          for (const auto& [key, property] : node.at("properties").items()) {
            EXPECT_TRUE(property.contains("description")) << path + "." + key;
            walk(property, path + "." + key);
          }
        }
        if (node.contains("items")) walk(node.at("items"), path + "[]");
      };
  const auto schema = load_schema();
  walk(schema, "");
  for (const auto& [name, definition] : schema.at("$defs").items()) {
    EXPECT_TRUE(definition.contains("description")) << name;
    walk(definition, name);
  }
}

TEST(Schema, EmbeddedCopyIsTheFileByteForByteAndParses) {
  std::ifstream in(
      std::filesystem::path(SCENARIO_LIBRARY_DIR) / "schema" / "scenario-v1.schema.json",
      std::ios::binary);
  ASSERT_TRUE(in.good());
  std::ostringstream file;
  file << in.rdbuf();
  EXPECT_EQ(std::string(published_schema()), file.str());
  const auto parsed = nlohmann::json::parse(published_schema(), nullptr, false);
  ASSERT_FALSE(parsed.is_discarded());
  EXPECT_EQ(parsed, load_schema());
}

}  // namespace
}  // namespace cyrange::scenario
