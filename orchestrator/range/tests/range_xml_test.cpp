#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <orchestrator/range/naming.h>
#include <orchestrator/range/range_xml.h>
#include <orchestrator/range/tests/test_spec.h>

namespace cyrange::range {
namespace {

// Compares with tests/data/<name>; CYRANGE_UPDATE_GOLDEN=1 rewrites the file instead.
void expect_golden(const std::string& name, const std::string& actual) {
  std::string path = std::string(CYRANGE_SOURCE_DIR "/orchestrator/range/tests/data/").append(name);
  const char* update = std::getenv("CYRANGE_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(path) << actual;
    return;
  }
  std::ifstream in(path);
  ASSERT_TRUE(in) << "missing golden file " << path << "; run with CYRANGE_UPDATE_GOLDEN=1";
  std::ostringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(expected.str(), actual) << "golden file " << path << " differs";
}

TEST(RangeXml, IsolatedNetworkMatchesGolden) {
  auto spec = testing::three_host_spec();
  auto xml = network_xml(spec, spec.networks[0]);
  expect_golden("network_dmz.xml", xml);
  // The isolation guarantees, independent of the golden file.
  EXPECT_EQ(xml.find("<forward"), std::string::npos);
  EXPECT_EQ(xml.find("<ip"), std::string::npos);
}

TEST(RangeXml, DomainMatchesGolden) {
  auto spec = testing::three_host_spec();
  DomainXmlInputs in{"qemu", "/img/vmlinuz", "/img/initramfs.cpio", "/pool/mail.qcow2"};
  auto xml = domain_xml(spec, spec.hosts[1], in);
  expect_golden("domain_mail.xml", xml);
  EXPECT_NE(xml.find("org.qemu.guest_agent.0"), std::string::npos);
  EXPECT_NE(xml.find("cyr-ex1-t1-net-lan"), std::string::npos);
}

TEST(RangeXml, StandardProfileDomainBootsItsRootOverlayAndMatchesGolden) {
  auto spec = testing::three_host_spec();
  HostSpec& mail = spec.hosts[1];
  mail.image_profile = "standard";
  DomainXmlInputs in{"qemu", "/img/standard/vmlinuz", "/img/standard/initramfs.cpio",
                     "/pool/mail.qcow2"};
  auto xml = domain_xml(spec, mail, in);
  expect_golden("domain_mail_standard.xml", xml);
  // The overlay is the root disk, and the scenario's 128 MiB is raised to the profile's minimum.
  EXPECT_NE(xml.find("root=/dev/vda rw init=/sbin/cyrange-init"), std::string::npos);
  EXPECT_NE(xml.find("<memory unit='MiB'>256</memory>"), std::string::npos);
  EXPECT_NE(xml.find("<source file='/pool/mail.qcow2'/>"), std::string::npos);
  // Same per-host arguments as the tiny image reads.
  EXPECT_NE(xml.find("cyrange.hostname=mail cyrange.role=mail"), std::string::npos);
  EXPECT_NE(xml.find("cyrange.services=smtp"), std::string::npos);
  mail.memory_mib = 512;
  EXPECT_EQ(guest_memory_mib(mail), 512);
  // Tiny hosts keep their memory and boot without a root disk.
  EXPECT_EQ(guest_memory_mib(spec.hosts[0]), 128);
  EXPECT_EQ(kernel_cmdline(spec, spec.hosts[0]).find("root="), std::string::npos);
}

TEST(RangeXml, PoolAndOverlayMatchGolden) {
  expect_golden("pool.xml", pool_xml("cyr-ex1-t1-pool", "/var/lib/cyrange/pools/ex1/t1"));
  expect_golden("overlay.xml",
                overlay_volume_xml("web.qcow2", "/img/data-base.qcow2", 16ULL << 20));
}

TEST(RangeXml, CmdlineCarriesAddressesByMacAndGateway) {
  auto spec = testing::three_host_spec();
  auto cmd = kernel_cmdline(spec, spec.hosts[2]);
  EXPECT_NE(cmd.find("cyrange.hostname=ws"), std::string::npos);
  EXPECT_NE(cmd.find("cyrange.nic=" + mac_address(spec, spec.hosts[2], 0) + ",10.0.2.50/24"),
            std::string::npos);
  EXPECT_NE(cmd.find("cyrange.gw=10.0.2.25"), std::string::npos);
}

TEST(RangeXml, TheDnsHostIsEveryHostsResolverAndAnswersTheRangesNames) {
  auto spec = testing::three_host_spec();
  // Without a DNS host nobody gets a resolver.
  EXPECT_EQ(kernel_cmdline(spec, spec.hosts[2]).find("cyrange.dns"), std::string::npos);
  spec.hosts[1].services.push_back("dns");
  spec.hosts[0].config["dns_names"] = "portal.example.jp, cdn-x.net";
  const auto ws = kernel_cmdline(spec, spec.hosts[2]);
  EXPECT_NE(ws.find(" cyrange.dns=10.0.1.25"), std::string::npos) << ws;
  EXPECT_EQ(ws.find("cyrange.dnsname="), std::string::npos) << ws;
  const auto mail = kernel_cmdline(spec, spec.hosts[1]);
  for (const std::string name :
       {"10.0.1.10,portal.example.jp", "10.0.1.10,cdn-x.net", "10.0.1.25,mail", "10.0.2.50,ws"})
    EXPECT_NE(mail.find(" cyrange.dnsname=" + name), std::string::npos) << name << ": " << mail;
  // Listed names replace the host name, the first one first (reverse lookups answer it).
  EXPECT_EQ(mail.find(",web"), std::string::npos) << mail;
  EXPECT_LT(mail.find(",portal.example.jp"), mail.find(",cdn-x.net"));
}

TEST(RangeXml, EscapesMarkup) { EXPECT_EQ(xml_escape("a<b>&'\""), "a&lt;b&gt;&amp;&apos;&quot;"); }

}  // namespace
}  // namespace cyrange::range
