// to_range_spec, to_dot and the dry-run plan, on the shipped scenario.
#include <filesystem>

#include <gtest/gtest.h>

#include <orchestrator/scenario/dry_run.h>
#include <orchestrator/scenario/graph.h>
#include <orchestrator/scenario/parser.h>
#include <orchestrator/scenario/tests/library.h>
#include <orchestrator/scenario/to_range.h>
#include <orchestrator/scenario/variables.h>

namespace cyrange::scenario {
namespace {

using testing::shipped;

const range::HostSpec& host(const range::RangeSpec& spec, const std::string& name) {
  for (const auto& h : spec.hosts) {
    if (h.name == name) return h;
  }
  throw std::runtime_error("no host " + name);
}

TEST(ToRange, MapsSegmentsHostsAndRouters) {
  const Scenario s = shipped();
  const auto vars = resolve_variables(s, 1, "blue");
  const auto spec = to_range_spec(s, vars, "ex1", "blue");
  EXPECT_EQ(spec.exercise, "ex1");
  EXPECT_EQ(spec.team, "blue");
  ASSERT_EQ(spec.networks.size(), 6u);
  EXPECT_EQ(spec.networks[2].name, "inet-zone");
  EXPECT_EQ(spec.networks[2].cidr, "10.30.0.0/24");
  ASSERT_EQ(spec.hosts.size(), 6u);

  const auto& fw = host(spec, "fw");
  EXPECT_EQ(fw.role, "router");
  ASSERT_EQ(fw.nics.size(), 6u);
  EXPECT_EQ(fw.nics[4].network, "dmz");
  EXPECT_EQ(fw.nics[4].address, "172.16.10.1/24");
  EXPECT_NE(fw.config.at("router.rules").find("allow tcp from inet-zone to servers ports 445"),
            std::string::npos);

  const auto& ws = host(spec, "ws01");
  ASSERT_EQ(ws.nics.size(), 1u);
  EXPECT_EQ(ws.nics[0].address, "10.30.0.101/24");
  EXPECT_EQ(ws.nics[0].gateway, "10.30.0.1");
  EXPECT_TRUE(ws.trainee_terminal);
  EXPECT_EQ(ws.config.at("user"), vars.at("victim_user"));
  EXPECT_EQ(ws.image_profile, "standard");
  EXPECT_EQ(ws.memory_mib, 256);
  EXPECT_EQ(fw.image_profile, "tiny");

  const auto& attacker = host(spec, "attacker");
  EXPECT_EQ(attacker.nics[0].address, vars.at("c2_address") + "/24");
  EXPECT_EQ(attacker.config.at("c2_domain"), vars.at("c2_domain"));
  EXPECT_FALSE(attacker.trainee_terminal);
  EXPECT_EQ(host(spec, "mail").services, (std::vector<std::string>{"smtp", "dns"}));
}

TEST(Graph, DotHasTopologyAndAttackPath) {
  const std::string dot = to_dot(shipped());
  EXPECT_EQ(dot.rfind("digraph \"targeted-email-yaritori\" {", 0), 0u);
  EXPECT_NE(dot.find("\"segment:dmz\" [shape=ellipse"), std::string::npos);
  EXPECT_NE(dot.find("\"host:fw\" [shape=diamond"), std::string::npos);
  EXPECT_NE(dot.find("\"host:mail\" -> \"segment:dmz\" [dir=none, label=\"172.16.10.25\"]"),
            std::string::npos);
  // The path starts at the attacker and reaches the file server from the workstation.
  EXPECT_NE(dot.find("\"actor:attacker\" -> \"host:mail\" [color=red"), std::string::npos);
  EXPECT_NE(dot.find("\"host:ws01\" -> \"host:files\" [color=red, fontcolor=red, "
                     "label=\"lateral-smb T1021.002\"]"),
            std::string::npos);
  // Steps on the same host share one hop instead of drawing self-loops.
  EXPECT_NE(dot.find("label=\"first-contact T1598\\nreply-exchange T1598\\nlure-attachment "
                     "T1566.001\"]"),
            std::string::npos)
      << dot;
  EXPECT_EQ(dot.find("\"host:mail\" -> \"host:mail\""), std::string::npos);
  EXPECT_EQ(dot.back(), '\n');
}

TEST(DryRun, FollowsAtAndAfterTriggersInTimeOrder) {
  const auto plan = plan_timeline(shipped());
  std::map<std::string, const PlannedEvent*> by_id;
  for (const auto& e : plan) by_id[e.id] = &e;
  EXPECT_EQ(by_id.at("first-contact")->at_seconds, 5 * 60);
  EXPECT_EQ(by_id.at("reply-exchange")->at_seconds, 15 * 60);
  EXPECT_EQ(by_id.at("lure-attachment")->at_seconds, 30 * 60);
  EXPECT_EQ(by_id.at("c2-beacon")->at_seconds, 36 * 60);
  EXPECT_EQ(by_id.at("first-victim")->at_seconds, 55 * 60);
  EXPECT_EQ(by_id.at("kickoff")->at_seconds, 0);
  EXPECT_FALSE(by_id.at("press-call")->timed);
  EXPECT_FALSE(by_id.at("beacon-interval")->timed);
  EXPECT_NE(by_id.at("beacon-interval")->waits_for.find("c2-domain"), std::string::npos);
  // Timed events come first and in non-decreasing time; waiting ones after.
  bool seen_waiting = false;
  int last = 0;
  for (const auto& e : plan) {
    if (!e.timed) {
      seen_waiting = true;
      continue;
    }
    EXPECT_FALSE(seen_waiting) << e.id << " is timed but listed after a waiting event";
    EXPECT_GE(e.at_seconds, last) << e.id;
    last = e.at_seconds;
  }
  const std::string text = format_plan(plan, 10);
  EXPECT_NE(text.find("T+00:05:00 (wall 00:00:30)  step first-contact fires"), std::string::npos)
      << text;
  EXPECT_NE(text.find("message press-call waits for the instructor"), std::string::npos);
}

TEST(DryRun, StepWaitingForAManualStepAlsoWaits) {
  auto s = parse_scenario(R"(apiVersion: cyrange/v1
metadata: {id: m, version: "1", title: {ja: a, en: a}, summary: {ja: a, en: a}}
topology: {segments: [{name: lan, cidr: 10.0.0.0/24}]}
timeline:
  - {id: go, category: inject, type: x, trigger: manual}
  - {id: then, category: inject, type: x, trigger: {after: go, delay: 1m}}
  - {id: early, category: inject, type: x, trigger: {at: 30s}}
)",
                          "m.yaml");
  ASSERT_TRUE(s.has_value());
  const auto plan = plan_timeline(*s);
  ASSERT_EQ(plan.size(), 3u);
  EXPECT_EQ(plan[0].id, "early");
  EXPECT_EQ(plan[0].at_seconds, 30);
  EXPECT_EQ(plan[1].id, "go");
  EXPECT_EQ(plan[2].id, "then");
  EXPECT_NE(plan[2].waits_for.find("step go, which waits for the instructor"), std::string::npos);
}

}  // namespace
}  // namespace cyrange::scenario
