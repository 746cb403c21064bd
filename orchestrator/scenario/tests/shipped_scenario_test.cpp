#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

#include <orchestrator/scenario/parser.h>
#include <orchestrator/scenario/tests/library.h>
#include <orchestrator/scenario/validate.h>

namespace cyrange::scenario {
namespace {

const std::filesystem::path kShipped = testing::library_file("targeted-email");

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

/// Every diagnostic of the file, one formatted line each; empty when it is clean.
std::string problems_of(const std::filesystem::path& path) {
  auto loaded = load_scenario(path);
  if (!loaded) return loaded.error().message + "\n";
  std::string text;
  for (const auto& d : validate(*loaded)) text += d.format() + "\n";
  return text;
}

TEST(ShippedScenario, TargetedEmailValidatesWithoutErrorsOrWarnings) {
  EXPECT_EQ(problems_of(kShipped), "");
}

TEST(ShippedScenario, EveryScenarioOfTheLibraryValidatesWithoutErrorsOrWarnings) {
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(SCENARIO_LIBRARY_DIR)) {
    const auto file = entry.path() / "scenario.yaml";
    if (!std::filesystem::is_regular_file(file)) continue;
    EXPECT_EQ(problems_of(file), "") << file.string();
    ++checked;
  }
  // targeted-email and quick-check at least; a new scenario joins by its folder alone.
  EXPECT_GE(checked, 2);
}

TEST(ShippedScenario, QuickCheckIsSmallAndComplete) {
  auto s = load_scenario(testing::library_file("quick-check"));
  ASSERT_TRUE(s.has_value());
  const auto guests = s->topology.hosts.size() + s->topology.routers.size();
  EXPECT_GE(guests, 2u);
  EXPECT_LE(guests, 3u);
  for (const auto& h : s->topology.hosts) EXPECT_EQ(h.image_profile, "tiny") << h.name;
  EXPECT_GE(s->timeline.size(), 2u);
  EXPECT_LE(s->timeline.size(), 3u);
  for (const auto& step : s->timeline) EXPECT_FALSE(step.technique.empty()) << step.id;
  EXPECT_GE(s->objectives.size(), 2u);
  EXPECT_LE(s->objectives.size(), 3u);
  for (const auto& o : s->objectives) EXPECT_FALSE(o.hints.empty()) << o.id;
  EXPECT_FALSE(s->variables.empty());
}

// The demo's scenario runs on the real daemons of the standard image (its firewall, which
// only forwards and filters, stays on tiny), in guests small enough for 12 on one machine.
TEST(ShippedScenario, RunsOnTheStandardProfileAndMeetsTheQualityBar) {
  auto s = load_scenario(kShipped);
  ASSERT_TRUE(s.has_value());
  const auto guests = s->topology.hosts.size() + s->topology.routers.size();
  EXPECT_GE(guests, 5u);
  EXPECT_LE(guests, 6u);
  for (const auto& h : s->topology.hosts) {
    EXPECT_EQ(h.image_profile, "standard") << h.name;
    EXPECT_EQ(h.memory_mib, 256) << h.name;
  }
  for (const auto& r : s->topology.routers) EXPECT_EQ(r.image_profile, "tiny") << r.name;
  EXPECT_GE(s->timeline.size(), 5u);
  EXPECT_LE(s->timeline.size(), 8u);
  for (const auto& step : s->timeline) EXPECT_FALSE(step.technique.empty()) << step.id;
  EXPECT_EQ(s->api_version, "cyrange/v1");
  EXPECT_EQ(s->metadata.organisation_size, 1500);
  EXPECT_FALSE(s->variables.empty());
}

TEST(ShippedScenario, ElementsRememberWhereTheyWereWritten) {
  auto s = load_scenario(kShipped);
  ASSERT_TRUE(s.has_value());
  // Find the line of the `- name: ws01` entry by reading the file ourselves.
  const std::string text = read_all(kShipped);
  std::istringstream lines(text);
  std::string line;
  int number = 0, expected_line = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (line == "    - name: ws01") expected_line = number;
  }
  ASSERT_GT(expected_line, 0);
  for (const auto& h : s->topology.hosts) {
    if (h.name != "ws01") continue;
    EXPECT_EQ(h.loc.line, expected_line);
    EXPECT_EQ(h.loc.column, 7);
    EXPECT_EQ(h.loc.file, kShipped.string());
  }
}

TEST(ShippedScenario, ContentHashIsSha256OfTheBytes) {
  const std::string text = read_all(kShipped);
  auto a = parse_scenario(text, "a.yaml");
  auto b = parse_scenario(text + "\n# edited\n", "a.yaml");
  ASSERT_TRUE(a.has_value());
  ASSERT_TRUE(b.has_value());
  EXPECT_TRUE(std::regex_match(a->content_hash, std::regex("[0-9a-f]{64}")));
  EXPECT_NE(a->content_hash, b->content_hash);
  auto empty = parse_scenario("", "empty.yaml");
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->content_hash,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

}  // namespace
}  // namespace cyrange::scenario
