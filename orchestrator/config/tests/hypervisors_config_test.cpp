// The `hypervisors:` list of the configuration file and the repeatable --libvirt-uri flag.
#include <orchestrator/config/config.h>

#include <gtest/gtest.h>

namespace cyrange::config {
namespace {

TEST(HypervisorsConfig, DefaultIsTheSingleSystemHost) {
  auto config = parse_config("", "c.yaml");
  ASSERT_TRUE(config) << config.error().message;
  auto hosts = hypervisor_hosts(*config);
  ASSERT_EQ(hosts.size(), 1u);
  EXPECT_EQ(hosts[0].uri, "qemu:///system");
  EXPECT_FALSE(hosts[0].vcpus);
  EXPECT_FALSE(hosts[0].memory_mib);
}

TEST(HypervisorsConfig, LibvirtUriKeyIsTheOneHost) {
  auto config = parse_config("libvirt_uri: test:///default\n", "c.yaml");
  ASSERT_TRUE(config) << config.error().message;
  auto hosts = hypervisor_hosts(*config);
  ASSERT_EQ(hosts.size(), 1u);
  EXPECT_EQ(hosts[0].uri, "test:///default");
}

TEST(HypervisorsConfig, ListWithCapacitiesAndPlainUris) {
  auto config = parse_config(
      "hypervisors:\n"
      "  - uri: qemu:///system\n"
      "    name: local\n"
      "    vcpus: 24\n"
      "    memory_mib: 16384\n"
      "    max_guests: 30\n"
      "  - qemu+ssh://root@range2/system\n"
      "  - uri: test:///default\n"
      "    vcpus_per_cpu: 4\n"
      "    reserve_memory_mib: 0\n",
      "c.yaml");
  ASSERT_TRUE(config) << config.error().message;
  auto hosts = hypervisor_hosts(*config);
  ASSERT_EQ(hosts.size(), 3u);
  EXPECT_EQ(hosts[0].name, "local");
  EXPECT_EQ(hosts[0].vcpus, 24);
  EXPECT_EQ(hosts[0].memory_mib, 16384);
  EXPECT_EQ(hosts[0].max_guests, 30);
  EXPECT_EQ(hosts[1].uri, "qemu+ssh://root@range2/system");
  EXPECT_FALSE(hosts[1].vcpus);
  EXPECT_EQ(hosts[2].vcpus_per_cpu, 4);
  EXPECT_EQ(hosts[2].reserve_memory_mib, 0);
  EXPECT_EQ(config->libvirt_uri, "qemu:///system");  // the primary host
}

struct BadCase {
  std::string name, yaml, expected;
};

class BadHypervisors : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadHypervisors, NamesFileLineAndKey) {
  auto config = parse_config(GetParam().yaml, "c.yaml");
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find(GetParam().expected), std::string::npos)
      << config.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Table, BadHypervisors,
    ::testing::Values(
        BadCase{"empty_list", "hypervisors: []\n", "c.yaml:1: the value of 'hypervisors'"},
        BadCase{"not_a_list", "hypervisors: qemu:///system\n", "a non-empty list of hosts"},
        BadCase{"missing_uri", "hypervisors:\n  - name: x\n",
                "c.yaml:2: the value of 'hypervisors[].uri'"},
        BadCase{
            "zero_vcpus", "hypervisors:\n  - uri: a\n    vcpus: 0\n",
            "c.yaml:3: the value of 'hypervisors[].vcpus' must be a whole number of at least 1"},
        BadCase{"text_memory", "hypervisors:\n  - uri: a\n    memory_mib: lots\n",
                "'hypervisors[].memory_mib' must be a whole number"},
        BadCase{"unknown_key", "hypervisors:\n  - uri: a\n    cpus: 4\n",
                "c.yaml:3: unknown key 'cpus' in a hypervisor host"},
        BadCase{"repeated_uri", "hypervisors:\n  - a\n  - a\n", "'a' is listed twice"},
        BadCase{"both_forms", "libvirt_uri: a\nhypervisors:\n  - b\n",
                "c.yaml:1: give either 'libvirt_uri' (one host) or 'hypervisors'"}),
    [](const auto& info) { return info.param.name; });

TEST(HypervisorsConfig, RepeatedFlagReplacesTheListAndKeepsKnownCapacities) {
  auto config = parse_config(
      "hypervisors:\n  - uri: qemu:///system\n    vcpus: 8\n    memory_mib: 4096\n  - b\n",
      "c.yaml");
  ASSERT_TRUE(config) << config.error().message;
  ConfigOverrides flags;
  flags.libvirt_uris = {"test:///default", "qemu:///system"};
  apply_overrides(*config, flags);
  auto hosts = hypervisor_hosts(*config);
  ASSERT_EQ(hosts.size(), 2u);
  EXPECT_EQ(hosts[0].uri, "test:///default");
  EXPECT_FALSE(hosts[0].vcpus);
  EXPECT_EQ(hosts[1].uri, "qemu:///system");
  EXPECT_EQ(hosts[1].vcpus, 8);
  EXPECT_EQ(config->libvirt_uri, "test:///default");
}

TEST(HypervisorsConfig, OneFlagIsTodaysSingleHost) {
  Config config;
  ConfigOverrides flags;
  flags.libvirt_uris = {"qemu:///session"};
  apply_overrides(config, flags);
  auto hosts = hypervisor_hosts(config);
  ASSERT_EQ(hosts.size(), 1u);
  EXPECT_EQ(hosts[0].uri, "qemu:///session");
  EXPECT_EQ(config.libvirt_uri, "qemu:///session");
}

}  // namespace
}  // namespace cyrange::config
