#include <gtest/gtest.h>

#include <orchestrator/range/firewall_rules.h>
#include <orchestrator/range/naming.h>
#include <orchestrator/range/range_xml.h>
#include <orchestrator/range/tests/test_spec.h>

namespace cyrange::range {
namespace {

RangeSpec routed_spec(const std::string& rules) {
  RangeSpec s;
  s.exercise = "ex1";
  s.team = "t1";
  s.networks = {{"dmz", "10.0.1.0/24"}, {"lan", "10.0.2.0/24"}};
  auto r = testing::make_host("fw", "router", {},
                              {{"dmz", "10.0.1.1/24", ""}, {"lan", "10.0.2.1/24", ""}});
  r.config["router.rules"] = rules;
  s.hosts = {r};
  return s;
}

TEST(FirewallRules, SegmentsResolveToCidrsAndEncodeForTheKernelLine) {
  auto spec =
      routed_spec("deny tcp from lan to dmz ports 25,80\nallow icmp from 10.0.2.5 to any\n\n");
  auto rules = router_rules(spec, spec.hosts[0]);
  ASSERT_TRUE(rules.has_value()) << rules.error().message;
  ASSERT_EQ(rules->size(), 2u);
  EXPECT_FALSE((*rules)[0].allow);
  EXPECT_EQ((*rules)[0].from, "10.0.2.0/24");
  EXPECT_EQ((*rules)[0].to, "10.0.1.0/24");
  EXPECT_EQ((*rules)[0].ports, (std::vector<int>{25, 80}));
  EXPECT_EQ((*rules)[1].to, "0.0.0.0/0");
  EXPECT_EQ(firewall_kernel_arg(*rules),
            "deny,tcp,10.0.2.0/24,10.0.1.0/24,25+80;allow,icmp,10.0.2.5,0.0.0.0/0,");
  auto line = kernel_cmdline(spec, spec.hosts[0]);
  EXPECT_NE(line.find(" cyrange.fw=deny,tcp,10.0.2.0/24,10.0.1.0/24,25+80;allow,"),
            std::string::npos)
      << line;
  EXPECT_EQ(line.find("cyrange.forward="), std::string::npos)
      << "routers forward unless told not to";
}

TEST(FirewallRules, BadRulesAreRejectedWithTheirNumberAndRouter) {
  for (const std::string bad : {"allow tcp from nowhere to dmz", "permit tcp from lan to dmz",
                                "allow icmp from lan to dmz ports 80",
                                "allow tcp from lan to dmz ports 99999", "allow tcp lan dmz"}) {
    auto spec = routed_spec("allow any from any to any\n" + bad);
    auto rules = router_rules(spec, spec.hosts[0]);
    ASSERT_FALSE(rules.has_value()) << bad;
    EXPECT_NE(rules.error().message.find("Rule 2 of router 'fw'"), std::string::npos)
        << rules.error().message;
    EXPECT_FALSE(validate_spec(spec).ok()) << bad;
  }
}

TEST(FirewallRules, ForwardingCanBeSwitchedOffAndHostsWithoutRulesGetNone) {
  auto spec = routed_spec("");
  spec.hosts[0].config["router.forwarding"] = "0";
  auto line = kernel_cmdline(spec, spec.hosts[0]);
  EXPECT_NE(line.find(" cyrange.forward=0"), std::string::npos) << line;
  EXPECT_EQ(line.find("cyrange.fw="), std::string::npos) << line;
}

}  // namespace
}  // namespace cyrange::range
