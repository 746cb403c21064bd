// The per-team variants table of `cyrange scenario variants`.
#include <filesystem>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include <orchestrator/scenario/parser.h>
#include <orchestrator/scenario/tests/library.h>
#include <orchestrator/scenario/variables.h>
#include <orchestrator/scenario/variants.h>

namespace cyrange::scenario {
namespace {

using testing::shipped;

std::size_t row_of(const VariantTable& table, const std::string& name) {
  for (std::size_t row = 0; row < table.variables.size(); ++row)
    if (table.variables[row] == name) return row;
  ADD_FAILURE() << "no variable " << name;
  return 0;
}

const std::vector<std::string> kTeams{"t1", "t2", "t3", "t4"};

TEST(Variants, RowsAreVariablesInDeclarationOrderAndColumnsAreTeams) {
  const Scenario s = shipped();
  const auto table = draw_variants(s, 1, kTeams);
  ASSERT_EQ(table.variables.size(), s.variables.size());
  for (std::size_t i = 0; i < s.variables.size(); ++i)
    EXPECT_EQ(table.variables[i], s.variables[i].name);
  EXPECT_EQ(table.teams, kTeams);
  for (std::size_t t = 0; t < kTeams.size(); ++t) {
    const auto vars = resolve_variables(s, 1, kTeams[t]);
    for (std::size_t row = 0; row < table.variables.size(); ++row)
      EXPECT_EQ(table.values[row][t], vars.at(table.variables[row])) << table.variables[row];
  }
}

TEST(Variants, TeamsDifferWhereTheScenarioRandomises) {
  const auto table = draw_variants(shipped(), 1, kTeams);
  // Random words and hex digits over four teams: a collision would be a broken draw.
  for (const char* name : {"sender_domain", "c2_domain", "stolen_archive", "c2_address"}) {
    const auto& values = table.values[row_of(table, name)];
    EXPECT_EQ(std::set<std::string>(values.begin(), values.end()).size(), kTeams.size()) << name;
    EXPECT_TRUE(varies(table, row_of(table, name))) << name;
  }
}

TEST(Variants, SameSeedGivesSameValuesAndAnotherSeedOthers) {
  const Scenario s = shipped();
  EXPECT_EQ(draw_variants(s, 7, kTeams).values, draw_variants(s, 7, kTeams).values);
  EXPECT_NE(draw_variants(s, 7, kTeams).values, draw_variants(s, 8, kTeams).values);
}

TEST(Variants, AVariableWithOneChoiceDoesNotVary) {
  auto s = parse_scenario(R"(apiVersion: cyrange/v1
metadata: {id: v, version: "1", title: {ja: a, en: a}, summary: {ja: a, en: a}}
variables:
  - {name: fixed, type: choice, choices: [same]}
  - {name: tag, type: hex, length: 12}
topology: {segments: [{name: lan, cidr: 10.0.0.0/24}]}
)",
                          "v.yaml");
  ASSERT_TRUE(s.has_value());
  const auto table = draw_variants(*s, 3, kTeams);
  EXPECT_FALSE(varies(table, row_of(table, "fixed")));
  EXPECT_TRUE(varies(table, row_of(table, "tag")));
  EXPECT_NE(format_variants(table).find("1 of 2 variable(s) differ between teams (seed 3)"),
            std::string::npos)
      << format_variants(table);
}

TEST(Variants, TableColumnsLineUpWithJapaneseValues) {
  VariantTable table;
  table.teams = {"t1", "t2"};
  table.variables = {"lure_file", "n"};
  table.values = {{"取材依頼書.docm", "a.docm"}, {"1", "22"}};
  const std::string text = format_variants(table);
  std::istringstream lines(text);
  std::string header, first, second;
  std::getline(lines, header);
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_EQ(header, "variable / 変数  t1               t2");
  EXPECT_EQ(first, "lure_file        取材依頼書.docm  a.docm");
  EXPECT_EQ(second, "n                1                22");
  // The t2 column starts at the same terminal column on every line.
  const auto column = [](const std::string& line, const std::string& cell) {
    return display_width(line.substr(0, line.rfind(cell)));
  };
  EXPECT_EQ(column(header, "t2"), column(first, "a.docm"));
  EXPECT_EQ(column(first, "a.docm"), column(second, "22"));
}

TEST(Variants, DisplayWidthCountsWideCharactersTwice) {
  EXPECT_EQ(display_width("abc"), 3u);
  EXPECT_EQ(display_width("変数"), 4u);
  EXPECT_EQ(display_width("ｱ"), 1u);     // half-width katakana is narrow
  EXPECT_EQ(display_width("ＡＢ"), 4u);  // full-width Latin is wide
  EXPECT_EQ(display_width("é"), 1u);
  EXPECT_EQ(display_width(""), 0u);
}

TEST(Variants, JsonListsEveryTeamWithItsValues) {
  const auto table = draw_variants(shipped(), 5, {"t1", "t2"});
  const auto json = variants_json(table);
  EXPECT_EQ(json.at("scenario"), "targeted-email-yaritori");
  EXPECT_EQ(json.at("seed"), 5);
  EXPECT_EQ(json.at("variables").get<std::vector<std::string>>(), table.variables);
  ASSERT_EQ(json.at("teams").size(), 2u);
  EXPECT_EQ(json.at("teams")[1].at("team"), "t2");
  const auto row = row_of(table, "c2_domain");
  EXPECT_EQ(json.at("teams")[1].at("values").at("c2_domain"), table.values[row][1]);
  EXPECT_EQ(json.at("teams")[0].at("values").size(), table.variables.size());
}

}  // namespace
}  // namespace cyrange::scenario
