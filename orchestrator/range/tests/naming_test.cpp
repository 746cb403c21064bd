#include <gtest/gtest.h>

#include <set>

#include <orchestrator/range/domain_type.h>
#include <orchestrator/range/guest_agent.h>
#include <orchestrator/range/naming.h>
#include <orchestrator/range/tests/test_spec.h>

namespace cyrange::range {
namespace {

TEST(Naming, BridgeNamesFitTheKernelLimitAndAreUnique) {
  std::set<std::string> seen;
  for (int e = 0; e < 5; ++e)
    for (int t = 0; t < 30; ++t)
      for (int n = 0; n < 12; ++n) {
        auto name = bridge_name("ex" + std::to_string(e), "team" + std::to_string(t),
                                "net" + std::to_string(n));
        EXPECT_LE(name.size(), 15u);
        EXPECT_EQ(name.rfind("cyr", 0), 0u);
        EXPECT_TRUE(seen.insert(name).second) << "duplicate bridge name " << name;
      }
}

TEST(Naming, EveryObjectCarriesTheTeamPrefix) {
  auto spec = testing::three_host_spec();
  EXPECT_EQ(object_prefix("ex1", "t1"), "cyr-ex1-t1-");
  EXPECT_EQ(domain_object_name(spec, spec.hosts[0]), "cyr-ex1-t1-web");
  EXPECT_EQ(network_object_name(spec, spec.networks[1]), "cyr-ex1-t1-net-lan");
  EXPECT_EQ(pool_object_name(spec), "cyr-ex1-t1-pool");
}

TEST(Naming, MacsDifferPerNicAndTeam) {
  auto a = testing::three_host_spec("ex1", "t1");
  auto b = testing::three_host_spec("ex1", "t2");
  EXPECT_NE(mac_address(a, a.hosts[1], 0), mac_address(a, a.hosts[1], 1));
  EXPECT_NE(mac_address(a, a.hosts[1], 0), mac_address(b, b.hosts[1], 0));
  EXPECT_EQ(mac_address(a, a.hosts[1], 0).rfind("52:54:00:", 0), 0u);
}

TEST(Naming, ValidationRejectsAmbiguousOrDanglingNames) {
  EXPECT_TRUE(validate_spec(testing::three_host_spec()).ok());
  auto dash = testing::three_host_spec("ex-1", "t1");
  auto st = validate_spec(dash);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("ex-1"), std::string::npos);
  auto dangling = testing::three_host_spec();
  dangling.hosts[0].nics[0].network = "nowhere";
  st = validate_spec(dangling);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("nowhere"), std::string::npos);
}

TEST(DomainType, KvmOnlyWhenHardwareVirtualisationWorks) {
  KvmProbe good{true, 12, true, true, ""};
  EXPECT_EQ(decide_domain_type(good).type, "kvm");
  KvmProbe pvm = good;  // paravirtual KVM: ioctls answer, but no vmx/svm
  pvm.cpu_has_hw_virt = false;
  EXPECT_EQ(decide_domain_type(pvm).type, "qemu");
  EXPECT_NE(decide_domain_type(pvm).reason.find("vmx"), std::string::npos);
  EXPECT_EQ(decide_domain_type(KvmProbe{}).type, "qemu");
  KvmProbe old = good;
  old.api_version = 11;
  EXPECT_EQ(decide_domain_type(old).type, "qemu");
  KvmProbe forced{};
  forced.override_type = "kvm";
  EXPECT_EQ(decide_domain_type(forced).type, "kvm");
}

TEST(GuestAgent, Base64RoundTrips) {
  for (const std::string& s :
       std::vector<std::string>{"", "a", "ab", "abc", "hostname\n", std::string("\0\xff\x10", 3)})
    EXPECT_EQ(base64_decode(base64_encode(s)), s);
  EXPECT_EQ(base64_encode("web\n"), "d2ViCg==");
}

}  // namespace
}  // namespace cyrange::range
