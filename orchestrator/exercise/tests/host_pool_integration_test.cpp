// The host pool on real libvirt connections: test-driver hosts (test:///default and node XML
// files with other CPUs and memory) for multi-host placement, PostgreSQL for what survives a
// restart, and qemu:///system for a real team range placed and torn down through the pool.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <orchestrator/exercise/placement.h>
#include <orchestrator/exercise/range_registry.h>
#include <orchestrator/exercise/routed_hypervisor.h>
#include <orchestrator/range/host_pool.h>
#include <orchestrator/range/image_builder.h>
#include <orchestrator/range/naming.h>
#include <orchestrator/range/team_range.h>
#include <orchestrator/range/tests/test_spec.h>
#include <orchestrator/store/testing/temp_database.h>

namespace cyrange::exercise {
namespace {

// A test-driver host description: `cpus` CPUs and `mib` MiB of memory, nothing defined.
std::string node_xml(int cpus, int mib) {
  return "<node><cpu><mhz>2000</mhz><model>x86_64</model><nodes>1</nodes><sockets>1</sockets>"
         "<cores>" +
         std::to_string(cpus) + "</cores><threads>1</threads><active>" + std::to_string(cpus) +
         "</active></cpu><memory>" + std::to_string(mib * 1024) + "</memory></node>";
}

range::HostConfig host_config(const std::string& uri, const std::string& name) {
  range::HostConfig c;
  c.uri = uri;
  c.name = name;
  return c;
}

// A team range of `guests` tiny hosts with `mib` MiB each on one segment.
range::RangeSpec team_of(const std::string& exercise, const std::string& team, int guests,
                         int mib) {
  range::RangeSpec spec{exercise, team, {{"lan", "10.0.5.0/24"}}, {}};
  for (int i = 0; i < guests; ++i) {
    auto h = range::testing::make_host("h" + std::to_string(i), "workstation", {},
                                       {{"lan", "10.0.5." + std::to_string(10 + i) + "/24", ""}});
    h.memory_mib = mib;
    spec.hosts.push_back(h);
  }
  return spec;
}

std::vector<std::string> names_on(range::Hypervisor& hv, range::ObjectKind kind,
                                  const std::string& prefix) {
  std::vector<std::string> out;
  auto objects = hv.list(kind, prefix);
  EXPECT_TRUE(objects) << objects.error().message;
  if (objects)
    for (const auto& o : *objects) out.push_back(o.name);
  return out;
}

class HostPoolTestDriver : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/cyrange-hostpool-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    // test:///default: 16 CPUs, 3072 MiB. With the defaults (16 vCPUs per CPU, 1024 MiB
    // reserve): default 256 vCPUs / 2048 MiB, a 64 / 3072 MiB, b 128 / 7168 MiB.
    std::ofstream(dir_ / "a.xml") << node_xml(4, 4096);
    std::ofstream(dir_ / "b.xml") << node_xml(8, 8192);
    configs_ = {host_config("test:///default", "default"),
                host_config("test://" + (dir_ / "a.xml").string(), "a"),
                host_config("test://" + (dir_ / "b.xml").string(), "b")};
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  std::vector<range::HostConfig> configs_;
};

TEST_F(HostPoolTestDriver, CapacityComesFromEachHostsNodeInfo) {
  auto pool = range::HostPool::connect_libvirt(configs_);
  ASSERT_TRUE(pool) << pool.error().message;
  const auto& hosts = (*pool)->hosts();
  ASSERT_EQ(hosts.size(), 3u);
  EXPECT_EQ(hosts[0].capacity.vcpus, 256);
  EXPECT_EQ(hosts[0].capacity.memory_mib, 2048);
  EXPECT_EQ(hosts[1].capacity.vcpus, 64);
  EXPECT_EQ(hosts[1].capacity.memory_mib, 3072);
  EXPECT_EQ(hosts[2].capacity.memory_mib, 7168);
  EXPECT_EQ(hosts[2].capacity.guests, 128);
  EXPECT_EQ(hosts[2].domain_type.type, "qemu");  // the test driver offers no kvm
}

TEST_F(HostPoolTestDriver, TeamsLandOnTheRoomiestHostUntilNothingFits) {
  auto pool = range::HostPool::connect_libvirt(configs_);
  ASSERT_TRUE(pool) << pool.error().message;
  // Teams of 2 x 1 GiB: b (7 GiB) takes three (the third on a memory tie with a, by vCPUs),
  // then a, then default; the sixth fits nowhere.
  std::vector<std::string> landed;
  std::string refusal;
  for (int t = 1; t <= 6; ++t) {
    auto host = (*pool)->place(team_of("tdpool", "t" + std::to_string(t), 2, 1024));
    landed.push_back(host ? (*host)->name : "none");
    if (!host) refusal = host.error().message;
  }
  EXPECT_EQ(landed, (std::vector<std::string>{"b", "b", "b", "a", "default", "none"}));
  EXPECT_NE(refusal.find("it needs 2 vCPUs, 2048 MiB, 2 guests"), std::string::npos) << refusal;
  EXPECT_NE(refusal.find("b (test://" + (dir_ / "b.xml").string() + ") 122 vCPUs, 1024 MiB"),
            std::string::npos)
      << refusal;
}

TEST_F(HostPoolTestDriver, ObjectsGoToTheTeamsHostAndTeardownClearsEveryHost) {
  auto pool = range::HostPool::connect_libvirt(configs_);
  ASSERT_TRUE(pool) << pool.error().message;
  RoutedHypervisor routed(*pool, nullptr);
  std::map<std::string, std::string> host_of_team;
  for (const auto& [team, guests] : {std::pair{"t1", 6}, {"t2", 3}, {"t3", 2}}) {
    auto spec = team_of("tdobj", team, guests, 512);
    auto host = (*pool)->place(spec);
    ASSERT_TRUE(host) << host.error().message;
    host_of_team[team] = (*host)->name;
    // Through the router, as cyranged's terminals, attack steps and teardown reach them.
    for (const auto& net : spec.networks)
      ASSERT_TRUE(routed.create_network(
          range::network_object_name(spec, net),
          "<network><name>" + range::network_object_name(spec, net) + "</name></network>"));
  }
  // 3 GiB: b (7 GiB free) over a (3 GiB); 1.5 GiB: b (4 GiB left); 1 GiB: a (3 GiB) over b (2.5).
  EXPECT_EQ(host_of_team,
            (std::map<std::string, std::string>{{"t1", "b"}, {"t2", "b"}, {"t3", "a"}}));
  for (const auto& host : (*pool)->hosts()) {
    auto on_host = names_on(*host.hypervisor, range::ObjectKind::network, "cyr-tdobj-");
    for (const auto& name : on_host) {
      auto team = name.substr(std::string("cyr-tdobj-").size(), 2);
      EXPECT_EQ(host_of_team[team], host.name) << name << " is on the wrong host";
    }
    EXPECT_EQ(on_host.size(), host.name == "b" ? 2u : host.name == "a" ? 1u : 0u) << host.name;
  }
  EXPECT_EQ(names_on(routed, range::ObjectKind::network, "cyr-tdobj-").size(), 3u);
  ASSERT_TRUE(range::TeamRange::remove_orphans(routed, range::exercise_prefix("tdobj")));
  for (const auto& host : (*pool)->hosts())
    EXPECT_TRUE(names_on(*host.hypervisor, range::ObjectKind::network, "cyr-tdobj-").empty())
        << host.name;
}

class HostPoolRestart : public HostPoolTestDriver {
 protected:
  void SetUp() override {
    HostPoolTestDriver::SetUp();
    auto opened = RangeRegistry::open(db_.uri());
    ASSERT_TRUE(opened) << opened.error().message;
    registry_ = std::shared_ptr<RangeRegistry>(std::move(*opened));
  }
  store::testing::TempDatabase db_;
  std::shared_ptr<RangeRegistry> registry_;
};

TEST_F(HostPoolRestart, ARestartedDaemonCountsRecordedRangesAndFindsThem) {
  std::vector<range::RangeSpec> specs = {team_of("before", "t1", 3, 1024),
                                         team_of("before", "t2", 3, 1024)};
  {
    auto pool = range::HostPool::connect_libvirt(configs_);
    ASSERT_TRUE(pool) << pool.error().message;
    auto uris = place_teams(*pool, *registry_, specs, "");
    ASSERT_TRUE(uris) << uris.error().message;
    EXPECT_EQ((*uris)[0], configs_[2].uri);  // b: 7 GiB free
    EXPECT_EQ((*uris)[1], configs_[2].uri);  // b: still 4 GiB free, a has 3
    ASSERT_TRUE(registry_->begin_exercise("before", "scn", "hash", {"t1", "t2"}));
    for (std::size_t i = 0; i < specs.size(); ++i)
      ASSERT_TRUE(registry_->save_team_spec(specs[i], (*uris)[i]));
  }
  // cyranged restarts: a fresh pool knows nothing until it reads PostgreSQL.
  auto pool = range::HostPool::connect_libvirt(configs_);
  ASSERT_TRUE(pool) << pool.error().message;
  RoutedHypervisor routed(*pool, registry_);
  auto found = routed.host_for("before", "t2");
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(*found, (*pool)->hosts()[2].hypervisor.get()) << "the recorded host, not the primary";

  auto outside = sync_placements(*pool, *registry_);
  ASSERT_TRUE(outside) << outside.error().message;
  EXPECT_TRUE(outside->empty());
  EXPECT_EQ((*pool)->loads()[2].used.memory_mib, 6144);
  // b has 1 GiB left, a 3 GiB, default 2 GiB: a 3 GiB team fits only a, and a second one nowhere.
  auto next = place_teams(*pool, *registry_, {team_of("after", "t1", 3, 1024)}, "");
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ((*next)[0], configs_[1].uri);
  auto full = place_teams(*pool, *registry_,
                          {team_of("after", "t1", 3, 1024), team_of("after", "t2", 3, 1024)}, "");
  ASSERT_FALSE(full) << "the recorded ranges on b were not counted";
  EXPECT_EQ((*pool)->host_of("after", "t1"), "") << "a refused exercise keeps no placement";

  // Ended exercises free their hosts.
  ASSERT_TRUE(registry_->end_exercise("before"));
  ASSERT_TRUE(sync_placements(*pool, *registry_));
  EXPECT_EQ((*pool)->loads()[2].used.memory_mib, 0);
}

TEST(HostPoolQemuSystem, PlacesATinyRangeOnQemuSystemAndTearsItDown) {
  char tmpl[] = "/tmp/cyrange-hostpool-real-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::filesystem::path dir = tmpl;
  std::ofstream(dir / "small.xml") << node_xml(1, 1536);
  // The real host has GiBs free; the test host 512 MiB: the range must land on qemu:///system.
  auto pool = range::HostPool::connect_libvirt(
      {host_config("qemu:///system", "local"),
       host_config("test://" + (dir / "small.xml").string(), "small")});
  ASSERT_TRUE(pool) << pool.error().message;
  for (const auto& line : (*pool)->report()) std::cout << line << "\n";
  RoutedHypervisor routed(*pool, nullptr);
  ASSERT_TRUE(range::TeamRange::remove_orphans(routed, "cyr-hpreal-"));  // a killed run's leftovers

  range::ImageBuildOptions image_options;
  image_options.cache_root = "/var/lib/cyrange/images";
  auto image = range::build_image(image_options);
  ASSERT_TRUE(image) << image.error().message;
  auto spec = team_of("hpreal", "t1", 2, 128);
  auto host = (*pool)->place(spec);
  ASSERT_TRUE(host) << host.error().message;
  EXPECT_EQ((*host)->name, "local");

  range::TeamRangeOptions options;
  options.image = *image;
  options.pool_root = "/var/lib/cyrange/pools";
  options.capture_pristine = false;
  range::TeamRange team(*(*host)->hypervisor, spec, options);
  auto up = team.up();
  EXPECT_TRUE(up) << up.error().message;
  EXPECT_EQ(names_on(*(*host)->hypervisor, range::ObjectKind::domain, "cyr-hpreal-").size(), 2u);
  EXPECT_TRUE(
      names_on(*(*pool)->hosts()[1].hypervisor, range::ObjectKind::domain, "cyr-hpreal-").empty());
  // Reached through the router, as terminals and attack steps reach it.
  range::TeamRange routed_team(routed, spec, options);
  auto hostname = routed_team.exec("h1", {"/bin/hostname"});
  ASSERT_TRUE(hostname) << hostname.error().message;
  EXPECT_EQ(hostname->out, "h1\n");

  ASSERT_TRUE(range::TeamRange::remove_orphans(routed, range::exercise_prefix("hpreal")));
  (*pool)->release("hpreal");
  for (auto kind : {range::ObjectKind::domain, range::ObjectKind::network, range::ObjectKind::pool})
    EXPECT_TRUE(names_on(routed, kind, "cyr-hpreal-").empty());
  EXPECT_FALSE(std::filesystem::exists("/var/lib/cyrange/pools/hpreal/t1"));
  std::error_code ec;
  std::filesystem::remove("/var/lib/cyrange/pools/hpreal", ec);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cyrange::exercise
