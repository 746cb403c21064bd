// `cyrange scenario variants` and `cyrange scenario schema`, run as child processes.
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <orchestrator/cli/tests/cli_process.h>

namespace {

using cyrange::cli::testing::Outcome;

/// Runs `cyrange ARGS` from `cwd`; stderr is discarded.
Outcome cyrange(const std::string& args, const std::filesystem::path& cwd) {
  return cyrange::cli::testing::run_cyrange(args, cwd);
}

std::filesystem::path source(const std::string& relative) {
  return std::filesystem::path(CYRANGE_SOURCE_DIR) / relative;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(ScenarioSchemaCommand, PrintsThePublishedSchemaFromAnyDirectory) {
  // Far from the source tree: the schema must come from the binary, not a relative path.
  const Outcome run = cyrange("scenario schema", std::filesystem::temp_directory_path());
  ASSERT_EQ(run.status, 0);
  const std::string file = read_file(source("scenarios/schema/scenario-v1.schema.json"));
  ASSERT_FALSE(file.empty());
  EXPECT_EQ(run.out, file);
  const auto parsed = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_FALSE(parsed.is_discarded());
  EXPECT_EQ(parsed.at("$schema"), "https://json-schema.org/draft/2020-12/schema");
}

TEST(ScenarioVariantsCommand, JsonHasEveryTeamAndTheSameSeedGivesTheSameValues) {
  const std::string args = "scenario variants '" +
                           source("scenarios/targeted-email/scenario.yaml").string() +
                           "' --teams 3 --seed 11 --json";
  const Outcome first = cyrange(args, std::filesystem::temp_directory_path());
  const Outcome again = cyrange(args, std::filesystem::temp_directory_path());
  ASSERT_EQ(first.status, 0);
  EXPECT_EQ(first.out, again.out);
  const auto json = nlohmann::json::parse(first.out);
  EXPECT_EQ(json.at("seed"), 11);
  ASSERT_EQ(json.at("teams").size(), 3u);
  std::set<std::string> c2_domains;
  for (int t = 0; t < 3; ++t) {
    EXPECT_EQ(json.at("teams")[t].at("team"), "t" + std::to_string(t + 1));
    c2_domains.insert(json.at("teams")[t].at("values").at("c2_domain").get<std::string>());
  }
  EXPECT_EQ(c2_domains.size(), 3u);
  const Outcome other_seed =
      cyrange("scenario variants '" + source("scenarios/targeted-email/scenario.yaml").string() +
                  "' --teams 3 --seed 12 --json",
              std::filesystem::temp_directory_path());
  ASSERT_EQ(other_seed.status, 0);
  EXPECT_NE(other_seed.out, first.out);
}

TEST(ScenarioVariantsCommand, TableHasABilingualHeaderAndOneColumnPerTeam) {
  const Outcome run =
      cyrange("scenario variants '" + source("scenarios/quick-check/scenario.yaml").string() +
                  "' --teams 2",
              std::filesystem::temp_directory_path());
  ASSERT_EQ(run.status, 0);
  std::istringstream lines(run.out);
  std::string header;
  std::getline(lines, header);
  EXPECT_EQ(header.rfind("variable / 変数", 0), 0u) << run.out;
  EXPECT_NE(header.find("t1"), std::string::npos);
  EXPECT_NE(header.find("t2"), std::string::npos);
  EXPECT_EQ(header.find("t3"), std::string::npos);
  EXPECT_NE(run.out.find("\nc2_address "), std::string::npos) << run.out;
}

TEST(ScenarioVariantsCommand, RefusesAScenarioWithErrorsAndABadTeamCount) {
  const auto cwd = std::filesystem::temp_directory_path();
  EXPECT_EQ(cyrange("scenario variants '" +
                        source("orchestrator/scenario/tests/data/references.yaml").string() +
                        "' --teams 2",
                    cwd)
                .status,
            1);
  EXPECT_EQ(cyrange("scenario variants '" + source("scenarios/quick-check/scenario.yaml").string() +
                        "' --teams 0",
                    cwd)
                .status,
            1);
}

}  // namespace
