#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include <orchestrator/range/fake_hypervisor.h>
#include <orchestrator/range/naming.h>
#include <orchestrator/range/range_xml.h>
#include <orchestrator/range/templates.h>
#include <orchestrator/range/tests/test_spec.h>

namespace cyrange::range {
namespace {

TemplateShape tiny_shape() {
  TemplateShape s;
  s.image.profile = "tiny";
  s.image.recipe_hash = "abc";
  s.memory_mib = 128;
  s.nics = 1;
  s.disk_bytes = 16 << 20;
  s.domain_type = "qemu";
  return s;
}

TEST(Templates, KeyIsStableAndFollowsEveryPartOfTheShape) {
  EXPECT_EQ(template_key(tiny_shape()), template_key(tiny_shape()));
  EXPECT_EQ(template_key(tiny_shape()).size(), 16u);
  auto differs = [](auto change) {
    TemplateShape s = tiny_shape();
    change(s);
    return template_key(s) != template_key(tiny_shape());
  };
  EXPECT_TRUE(differs([](TemplateShape& s) { s.nics = 2; }));
  EXPECT_TRUE(differs([](TemplateShape& s) { s.memory_mib = 256; }));
  EXPECT_TRUE(differs([](TemplateShape& s) { s.vcpus = 2; }));
  EXPECT_TRUE(differs([](TemplateShape& s) { s.image.recipe_hash = "abd"; }));
  EXPECT_TRUE(differs([](TemplateShape& s) { s.domain_type = "kvm"; }));
  EXPECT_TRUE(differs([](TemplateShape& s) { s.disk_bytes += 1; }));
}

TEST(Templates, ConfigureArgumentsRenameEveryNicAndSetClockAndSeed) {
  auto spec = testing::three_host_spec();
  const HostSpec& mail = spec.hosts[1];  // two NICs
  auto args = restore_configure_args(spec, mail);
  auto has = [&](const std::string& word) {
    return std::find(args.begin(), args.end(), word) != args.end();
  };
  EXPECT_TRUE(has("cyrange.hostname=mail"));
  EXPECT_TRUE(has("cyrange.services=smtp"));
  EXPECT_TRUE(has("cyrange.nic=" + mac_address(spec, mail, 1) + ",10.0.2.25/24"));
  EXPECT_TRUE(has("cyrange.rename=" + template_mac(0) + "," + mac_address(spec, mail, 0)));
  EXPECT_TRUE(has("cyrange.rename=" + template_mac(1) + "," + mac_address(spec, mail, 1)));
  for (const auto& word : args) EXPECT_EQ(word.rfind("cyrange.", 0), 0u) << word;

  std::string time, seed;
  for (const auto& word : args) {
    if (word.rfind("cyrange.time=", 0) == 0) time = word.substr(13);
    if (word.rfind("cyrange.seed=", 0) == 0) seed = word.substr(13);
  }
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  ASSERT_FALSE(time.empty());
  EXPECT_LE(std::llabs(std::stoll(time) - now), 5);
  EXPECT_EQ(seed.size(), 64u);
  EXPECT_EQ(seed.find_first_not_of("0123456789abcdef"), std::string::npos) << seed;
  EXPECT_NE(seed, restore_configure_args(spec, mail).back().substr(13)) << "seeds must differ";
}

TEST(Templates, TemplateMacsAreDistinctPerNicAndNeverAHostMac) {
  EXPECT_NE(template_mac(0), template_mac(1));
  auto spec = testing::three_host_spec();
  for (const auto& host : spec.hosts)
    for (std::size_t i = 0; i < host.nics.size(); ++i)
      EXPECT_NE(mac_address(spec, host, i), template_mac(i));
}

TEST(Templates, TemplateGuestNicsAreTapsOnNoBridge) {
  GuestXml guest{"cyrange-tpl-x", 128, 1, "console=ttyS0 cyrange.template=1", {}};
  guest.nics.push_back({template_mac(0), ""});
  auto xml = guest_xml(guest, {"qemu", "/k", "/i", "/d.qcow2"});
  EXPECT_NE(xml.find("<interface type='ethernet'>"), std::string::npos) << xml;
  EXPECT_EQ(xml.find("<source network"), std::string::npos) << xml;
  EXPECT_EQ(xml.find("bridge"), std::string::npos) << xml;
  EXPECT_NE(xml.find(template_mac(0)), std::string::npos) << xml;
}

TEST(Templates, CapturesOfDeadProcessesAreRemovedAndLiveOnesKept) {
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) _exit(0);
  ASSERT_EQ(waitpid(child, nullptr, 0), child);  // reaped: its pid names no process now
  const std::string dead = "cyrange-tpl-00000000000000aa-" + std::to_string(child);
  const std::string live = "cyrange-tpl-00000000000000bb-" + std::to_string(getpid());
  FakeHypervisor hv;
  for (const auto& name : {dead, live}) {
    ASSERT_TRUE(hv.create_pool(name, "<pool/>").ok());
    ASSERT_TRUE(hv.create_domain(name, "<domain/>").ok());
  }
  ASSERT_TRUE(hv.create_domain("cyr-ex1-t1-web", "<domain/>").ok());

  auto removed = remove_abandoned_captures(hv);
  ASSERT_TRUE(removed.has_value()) << removed.error().message;
  EXPECT_EQ(*removed, (std::vector<std::string>{dead, dead}));  // its domain, then its pool
  auto domains = hv.list(ObjectKind::domain, "");
  ASSERT_TRUE(domains.has_value());
  std::vector<std::string> names;
  for (const auto& d : *domains) names.push_back(d.name);
  EXPECT_EQ(names, (std::vector<std::string>{"cyr-ex1-t1-web", live}));
  EXPECT_EQ(hv.list(ObjectKind::pool, "cyrange-tpl-")->size(), 1u);
}

}  // namespace
}  // namespace cyrange::range
