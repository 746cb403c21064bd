// `cyrange scenario reference`: the generator on small schemas, and the committed
// docs/scenario-reference.md against what the built command prints.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <orchestrator/cli/scenario_reference.h>
#include <orchestrator/common/testing/golden.h>
#include <orchestrator/scenario/published_schema.h>

namespace cyrange::cli {
namespace {

// A schema with every construct the generator renders: a required key whose pattern has a
// pipe, a list of definitions, an enumeration, bounds, a map, and a definition used inside
// itself through a oneOf.
constexpr const char* kSmallSchema = R"({
  "title": "tiny format",
  "description": "For tests.",
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "name": {"type": "string", "pattern": "^(a|b)$", "description": "Which one."},
    "items": {"type": "array", "items": {"$ref": "#/$defs/item"}},
    "mode": {"enum": ["fast", "slow"]},
    "labels": {"type": "object", "additionalProperties": {"type": ["string", "number"]}}
  },
  "required": ["name"],
  "$defs": {
    "item": {
      "type": "object",
      "description": "One item.",
      "properties": {
        "size": {"type": "integer", "minimum": 1, "maximum": 9},
        "next": {"oneOf": [{"const": "none"}, {"$ref": "#/$defs/item"}]},
        "ports": {"type": "array", "items": {"type": "integer", "minimum": 1}}
      },
      "required": ["size"],
      "oneOf": [{"required": ["size"]}, {"required": ["next"]}],
      "additionalProperties": false
    },
    "span": {"oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": "^\\d+s$"}]}
  }
})";

std::string small_reference() {
  auto markdown = scenario_reference_markdown(kSmallSchema);
  EXPECT_TRUE(markdown.has_value()) << (markdown ? "" : markdown.error().message);
  return markdown ? *markdown : std::string();
}

TEST(ScenarioReference, TopLevelRowsShowTypeRequiredValuesAndDescription) {
  const std::string md = small_reference();
  EXPECT_NE(md.find("| `name` | string | yes | matches `^(a\\|b)$` | Which one. |\n"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| `items` | array of [item](#item) |  |  |  |\n"), std::string::npos) << md;
  EXPECT_NE(md.find("| `mode` | string |  | `fast`, `slow` |  |\n"), std::string::npos) << md;
  EXPECT_NE(md.find("| `labels` | map of names to string or number |  |  |  |\n"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("**tiny format**. For tests."), std::string::npos) << md;
}

TEST(ScenarioReference, DefinitionSectionListsKeysPathsAndObjectRules) {
  const std::string md = small_reference();
  const auto section = md.find("\n## item\n");
  ASSERT_NE(section, std::string::npos) << md;
  const std::string item = md.substr(section, md.find("\n## span\n") - section);
  EXPECT_NE(item.find("One item."), std::string::npos) << item;
  // An item inside an item is walked one level deep, not forever.
  EXPECT_NE(item.find("Used at: `items[]`, `items[].next`, `items[].next.next`.\n"),
            std::string::npos)
      << item;
  EXPECT_NE(item.find("| `size` | integer | yes | 1 to 9 |  |\n"), std::string::npos) << item;
  EXPECT_NE(item.find("| `next` | `none` or [item](#item) |  |  |  |\n"), std::string::npos)
      << item;
  EXPECT_NE(item.find("| `ports` | array of integer |  | at least 1 |  |\n"), std::string::npos)
      << item;
  EXPECT_NE(item.find("Exactly one of `size` or `next` must be given.\n"), std::string::npos)
      << item;
  EXPECT_NE(item.find("No other keys are allowed.\n"), std::string::npos) << item;
}

TEST(ScenarioReference, DefinitionWithoutKeysListsItsAlternatives) {
  const std::string md = small_reference();
  EXPECT_NE(md.find("## span\n\nUsed at: nowhere.\n\nOne of:\n\n- integer, at least 0\n- string, "
                    "matches `^\\d+s$`\n"),
            std::string::npos)
      << md;
}

TEST(ScenarioReference, RefusesTextThatIsNotASchemaObject) {
  auto broken = scenario_reference_markdown("{\"properties\": ");
  ASSERT_FALSE(broken.has_value());
  EXPECT_EQ(broken.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(broken.error().message.find("scenario-v1.schema.json"), std::string::npos);
  EXPECT_FALSE(scenario_reference_markdown("[1, 2]").has_value());
}

TEST(ScenarioReference, ShippedSchemaHasASectionForEveryDefinitionAndARowForEveryKey) {
  const auto schema = nlohmann::json::parse(scenario::published_schema());
  auto md = scenario_reference_markdown(scenario::published_schema());
  ASSERT_TRUE(md.has_value()) << md.error().message;
  for (const auto& [name, def] : schema.at("$defs").items()) {
    const auto section = md->find("\n## " + name + "\n");
    ASSERT_NE(section, std::string::npos) << name;
    const auto end = md->find("\n## ", section + 1);
    const std::string body = md->substr(section, end - section);
    EXPECT_EQ(body.find("Used at: nowhere."), std::string::npos) << name << " is never used";
    if (!def.contains("properties")) continue;
    for (const auto& [key, property] : def.at("properties").items())
      EXPECT_NE(body.find("\n| `" + key + "` | "), std::string::npos) << name << "." << key;
  }
}

// The documented update command is the binary's output redirected into the file; with
// CYRANGE_UPDATE_GOLDEN=1 this test writes that same output there instead.
TEST(ScenarioReference, CommittedDocIsWhatTheCommandPrints) {
  const auto out = std::filesystem::temp_directory_path() /
                   ("scenario-reference-" + std::to_string(::getpid()) + ".md");
  const std::string command =
      "'" + std::string(CYRANGE_CLI) + "' scenario reference > '" + out.string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  std::ifstream in(out, std::ios::binary);
  const std::string printed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  in.close();
  std::filesystem::remove(out);
  ASSERT_FALSE(printed.empty());
  SCOPED_TRACE(std::string("regenerate with: ") + kScenarioReferenceUpdate);
  testing::expect_golden(std::filesystem::path(CYRANGE_SOURCE_DIR) / "docs/scenario-reference.md",
                         printed);
}

}  // namespace
}  // namespace cyrange::cli
