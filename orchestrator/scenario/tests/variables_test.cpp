#include <filesystem>
#include <set>

#include <gtest/gtest.h>

#include <orchestrator/scenario/net.h>
#include <orchestrator/scenario/parser.h>
#include <orchestrator/scenario/tests/library.h>
#include <orchestrator/scenario/variables.h>

namespace cyrange::scenario {
namespace {

using testing::shipped;

TEST(Variables, SameSeedAndTeamGiveSameValues) {
  const Scenario s = shipped();
  EXPECT_EQ(resolve_variables(s, 42, "team-a"), resolve_variables(s, 42, "team-a"));
}

TEST(Variables, TeamsAndSeedsGetDifferentValues) {
  const Scenario s = shipped();
  std::set<std::string> c2_domains, sender_domains;
  for (int i = 0; i < 8; ++i) {
    const auto vars = resolve_variables(s, 42, "team-" + std::to_string(i));
    c2_domains.insert(vars.at("c2_domain"));
    sender_domains.insert(vars.at("sender_domain"));
  }
  EXPECT_GE(c2_domains.size(), 7u);
  EXPECT_GE(sender_domains.size(), 7u);
  EXPECT_NE(resolve_variables(s, 42, "team-a"), resolve_variables(s, 43, "team-a"));
}

TEST(Variables, ValuesRespectTheirDeclarations) {
  const Scenario s = shipped();
  const auto net = parse_cidr("198.51.100.0/24");
  for (int i = 0; i < 20; ++i) {
    const auto vars = resolve_variables(s, 7, "t" + std::to_string(i));
    const int interval = std::stoi(vars.at("beacon_interval"));
    EXPECT_GE(interval, 45);
    EXPECT_LE(interval, 90);
    const auto address = parse_ipv4(vars.at("c2_address"));
    ASSERT_TRUE(address.has_value()) << vars.at("c2_address");
    EXPECT_TRUE(net->contains(*address));
    EXPECT_NE(vars.at("c2_address"), "198.51.100.1");  // the firewall's address
    const auto host_index = *address - net->base;
    EXPECT_GE(host_index, 10u);
    EXPECT_LE(host_index, 250u);
    // Values built from other values are fully resolved.
    EXPECT_EQ(vars.at("victim_mailbox"), vars.at("victim_user") + "@city.kakuu.lg.jp");
    EXPECT_TRUE(vars.at("c2_domain").starts_with("cdn-"));
    EXPECT_TRUE(vars.at("stolen_archive").ends_with(".7z"));
    EXPECT_EQ(vars.at("stolen_archive").size(), std::string("bk_").size() + 6 + 3);
  }
}

TEST(Variables, ChainsResolveAtAnyDepthAndCyclesAndFanOutStayBounded) {
  std::string yaml = R"(apiVersion: cyrange/v1
metadata: {id: c, version: "1", title: {ja: a, en: a}, summary: {ja: a, en: a}}
topology: {segments: [{name: lan, cidr: 10.0.0.0/24}]}
variables:
  - {name: a, type: choice, choices: ["${vars.b}!"]}
  - {name: b, type: choice, choices: ["${vars.a}?"]}
  - {name: deep0, type: choice, choices: ["${vars.deep1}"]}
)";
  // deep1 .. deep9 each use the next one; deep10 is a plain hex value.
  for (int i = 1; i < 10; ++i)
    yaml += "  - {name: deep" + std::to_string(i) + ", type: choice, choices: [\"<${vars.deep" +
            std::to_string(i + 1) + "}>\"]}\n";
  yaml += "  - {name: deep10, type: hex, length: 4}\n";
  // Thirty variables that each use the next one three times: 3^30 copies if built.
  for (int i = 0; i < 30; ++i) {
    const std::string next = "${vars.fan" + std::to_string(i + 1) + "}";
    yaml += "  - {name: fan" + std::to_string(i) + ", type: choice, choices: [\"" + next + next +
            next + "\"]}\n";
  }
  yaml += "  - {name: fan30, type: hex, length: 8}\n";
  auto s = parse_scenario(yaml, "c.yaml");
  ASSERT_TRUE(s.has_value());
  const auto vars = resolve_variables(*s, 1, "t1");
  EXPECT_EQ(vars.at("deep0"), "<<<<<<<<<" + vars.at("deep10") + ">>>>>>>>>");
  // The reference that closes the cycle stays as written.
  EXPECT_EQ(vars.at("a"), "${vars.a}?!");
  EXPECT_EQ(vars.at("b"), "${vars.a}?");
  for (const auto& [name, value] : vars) EXPECT_LE(value.size(), kMaxVariableValue) << name;
}

TEST(Variables, SubstituteReplacesKnownAndKeepsUnknownReferences) {
  const std::map<std::string, std::string> vars{{"a", "1"}, {"b", "two"}};
  EXPECT_EQ(substitute("x${vars.a}y${vars.b}z", vars), "x1ytwoz");
  EXPECT_EQ(substitute("${vars.c} stays", vars), "${vars.c} stays");
  EXPECT_EQ(substitute("no refs", vars), "no refs");
}

}  // namespace
}  // namespace cyrange::scenario
