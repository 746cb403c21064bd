#include <orchestrator/range/host_pool.h>

#include <gtest/gtest.h>

#include <orchestrator/range/fake_hypervisor.h>

namespace cyrange::range {
namespace {

// A team range of `guests` hosts, each with `vcpus` and `memory_mib`.
RangeSpec range_of(const std::string& team, int guests, int vcpus = 1, int memory_mib = 128) {
  RangeSpec spec{"ex", team, {{"lan", "10.0.0.0/24"}}, {}};
  for (int i = 0; i < guests; ++i) {
    HostSpec h;
    h.name = "h" + std::to_string(i);
    h.vcpus = vcpus;
    h.memory_mib = memory_mib;
    spec.hosts.push_back(h);
  }
  return spec;
}

TEST(HostPoolDemand, SumsEveryGuest) {
  RangeSpec spec = range_of("t1", 3, 2, 256);
  spec.hosts[0].vcpus = 4;
  const HostCapacity need = demand_of(spec);
  EXPECT_EQ(need.vcpus, 8);
  EXPECT_EQ(need.memory_mib, 768);
  EXPECT_EQ(need.guests, 3);
}

struct PlacementCase {
  std::string name;
  std::vector<HostLoad> hosts;
  HostCapacity need;
  int expected;  // index, or -1: nothing fits
};

class ChooseHost : public ::testing::TestWithParam<PlacementCase> {};

TEST_P(ChooseHost, PicksTheHostWithMostFreeCapacityThatFits) {
  const auto& c = GetParam();
  auto chosen = choose_host(c.hosts, c.need, "team 't1' of exercise 'ex'");
  if (c.expected < 0) {
    ASSERT_FALSE(chosen);
    EXPECT_EQ(chosen.error().code, ErrorCode::failed_precondition);
  } else {
    ASSERT_TRUE(chosen) << chosen.error().message;
    EXPECT_EQ(*chosen, static_cast<std::size_t>(c.expected));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, ChooseHost,
    ::testing::Values(
        PlacementCase{"single_host_fits", {{"a", "test:///a", {8, 4096, 8}, {}}}, {6, 768, 6}, 0},
        PlacementCase{"exactly_full_fits", {{"a", "test:///a", {6, 768, 6}, {}}}, {6, 768, 6}, 0},
        PlacementCase{
            "most_free_memory_wins",
            {{"a", "test:///a", {32, 2048, 32}, {}}, {"b", "test:///b", {32, 8192, 32}, {}}},
            {6, 768, 6},
            1},
        PlacementCase{"existing_load_counts",
                      {{"a", "test:///a", {32, 8192, 32}, {6, 7000, 6}},
                       {"b", "test:///b", {32, 4096, 32}, {}}},
                      {6, 768, 6},
                      1},
        PlacementCase{
            "memory_tie_more_vcpus_wins",
            {{"a", "test:///a", {8, 4096, 8}, {}}, {"b", "test:///b", {16, 4096, 16}, {}}},
            {2, 256, 2},
            1},
        PlacementCase{"full_tie_first_listed_wins",
                      {{"a", "test:///a", {8, 4096, 8}, {}}, {"b", "test:///b", {8, 4096, 8}, {}}},
                      {2, 256, 2},
                      0},
        PlacementCase{
            "roomy_host_without_vcpus_skipped",
            {{"a", "test:///a", {4, 65536, 40}, {}}, {"b", "test:///b", {16, 2048, 16}, {}}},
            {6, 768, 6},
            1},
        PlacementCase{
            "guest_limit_blocks", {{"a", "test:///a", {32, 8192, 5}, {}}}, {6, 768, 6}, -1},
        PlacementCase{
            "nothing_fits",
            {{"a", "test:///a", {4, 512, 4}, {}}, {"b", "test:///b", {32, 8192, 32}, {30, 0, 30}}},
            {6, 768, 6},
            -1},
        PlacementCase{"no_hosts", {}, {1, 128, 1}, -1}),
    [](const auto& info) { return info.param.name; });

TEST(ChooseHostError, NamesTheNeedAndEveryHostsFreeCapacityInBothLanguages) {
  std::vector<HostLoad> hosts = {{"small", "test:///small", {4, 1024, 4}, {1, 256, 1}},
                                 {"big", "qemu+ssh://h2/system", {16, 8192, 16}, {14, 8000, 14}}};
  auto chosen = choose_host(hosts, {6, 768, 6}, "team 't3' of exercise 'ex'");
  ASSERT_FALSE(chosen);
  const std::string& m = chosen.error().message;
  EXPECT_NE(m.find("No hypervisor host has room for team 't3' of exercise 'ex'"), std::string::npos)
      << m;
  EXPECT_NE(m.find("it needs 6 vCPUs, 768 MiB, 6 guests"), std::string::npos) << m;
  EXPECT_NE(m.find("small (test:///small) 3 vCPUs, 768 MiB, 3 guests"), std::string::npos) << m;
  EXPECT_NE(m.find("big (qemu+ssh://h2/system) 2 vCPUs, 192 MiB, 2 guests"), std::string::npos)
      << m;
  EXPECT_NE(m.find("配置できるハイパーバイザーがありません"), std::string::npos) << m;
  EXPECT_NE(m.find("hypervisors:"), std::string::npos) << m;
}

TEST(EffectiveCapacity, DefaultsComeFromTheHostMinusTheReserve) {
  HostConfig config;
  config.uri = "test:///default";
  HostCapacity c = effective_capacity(config, {2, 24000});
  EXPECT_EQ(c.vcpus, 32);  // 2 CPUs x 16
  EXPECT_EQ(c.memory_mib, 24000 - 1024);
  EXPECT_EQ(c.guests, 32);
  config.vcpus = 6;
  config.memory_mib = 2048;
  config.max_guests = 3;
  c = effective_capacity(config, {2, 24000});
  EXPECT_EQ(c.vcpus, 6);
  EXPECT_EQ(c.memory_mib, 2048);
  EXPECT_EQ(c.guests, 3);
  HostConfig tight;
  tight.reserve_memory_mib = 4096;
  tight.vcpus_per_cpu = 2;
  c = effective_capacity(tight, {4, 3000});
  EXPECT_EQ(c.vcpus, 8);
  EXPECT_EQ(c.memory_mib, 0);  // never negative
}

HostConfig cfg(std::string uri, std::string name = "", std::optional<int> vcpus = {},
               std::optional<std::int64_t> memory_mib = {}, std::optional<int> max_guests = {}) {
  HostConfig c;
  c.uri = std::move(uri);
  c.name = std::move(name);
  c.vcpus = vcpus;
  c.memory_mib = memory_mib;
  c.max_guests = max_guests;
  return c;
}

class HostPoolTest : public ::testing::Test {
 protected:
  Expected<std::shared_ptr<HostPool>> pool_of(std::vector<HostConfig> configs) {
    auto connector = [this](const std::string& uri) -> Expected<std::shared_ptr<Hypervisor>> {
      if (uri == "test:///unreachable")
        return make_error(ErrorCode::unavailable, "Cannot connect to libvirt at '" + uri + "'.");
      auto hv = std::make_shared<FakeHypervisor>();
      fakes[uri] = hv;
      return std::shared_ptr<Hypervisor>(hv);
    };
    auto reader = [](Hypervisor&, const std::string& uri) -> Expected<NodeResources> {
      if (uri == "test:///big") return NodeResources{8, 16384};
      return NodeResources{2, 3072};
    };
    return HostPool::connect(configs, connector, reader);
  }
  std::map<std::string, std::shared_ptr<FakeHypervisor>> fakes;
};

TEST_F(HostPoolTest, PlacesTeamsOnTheRoomiestHostAndCountsThem) {
  auto pool = pool_of({cfg("test:///small", "small"), cfg("test:///big", "big")});
  ASSERT_TRUE(pool) << pool.error().message;
  EXPECT_EQ((*pool)->primary().name, "small");
  EXPECT_EQ((*pool)->hosts()[1].capacity.memory_mib, 16384 - 1024);
  // small: 32 vCPUs, 2048 MiB; big: 128 vCPUs, 15360 MiB. Teams of 6 x 1 GiB go to big
  // while it has room; then nothing has room for one; a 2 GiB team still fits big (3 GiB free,
  // more than small's 2 GiB), and the next one only fits small.
  std::vector<std::string> placed;
  for (auto [team, guests] : {std::pair{"t1", 6}, {"t2", 6}, {"t3", 6}, {"t4", 2}, {"t5", 2}}) {
    auto host = (*pool)->place(range_of(team, guests, 1, 1024));
    placed.push_back(host ? (*host)->name : "none");
  }
  EXPECT_EQ(placed, (std::vector<std::string>{"big", "big", "none", "big", "small"}));
  auto loads = (*pool)->loads();
  EXPECT_EQ(loads[0].used.memory_mib, 2048);
  EXPECT_EQ(loads[1].used.memory_mib, 14336);
  EXPECT_EQ(loads[1].used.guests, 14);
  EXPECT_EQ((*pool)->host_of("ex", "t1"), "test:///big");
  EXPECT_EQ((*pool)->host_of("ex", "t3"), "");
  EXPECT_EQ((*pool)->host_of("ex", "t5"), "test:///small");
  EXPECT_EQ((*pool)->host_of("ex", "t9"), "");
}

TEST_F(HostPoolTest, NothingFitsNamesEveryHost) {
  auto pool = pool_of({cfg("test:///small", "small", 4, 1024, 4)});
  ASSERT_TRUE(pool) << pool.error().message;
  ASSERT_TRUE((*pool)->place(range_of("t1", 4, 1, 256)));
  auto second = (*pool)->place(range_of("t2", 1, 1, 128));
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().message.find("small (test:///small) 0 vCPUs, 0 MiB, 0 guests"),
            std::string::npos)
      << second.error().message;
  EXPECT_EQ((*pool)->host_of("ex", "t2"), "");  // a failed placement counts nothing
}

TEST_F(HostPoolTest, RecordedRangesCountAndReleaseFreesThem) {
  auto pool = pool_of({cfg("test:///a", "a", 8, 2048, 8), cfg("test:///b", "b", 8, 2048, 8)});
  ASSERT_TRUE(pool) << pool.error().message;
  // As after a restart: PostgreSQL says both hosts already carry a range.
  auto outside = (*pool)->replace_placements({{range_of("t1", 2, 1, 1024), "test:///a"},
                                              {range_of("t2", 2, 1, 1024), "test:///b"},
                                              {range_of("t3", 1), "qemu+ssh://gone/system"}});
  ASSERT_EQ(outside.size(), 1u);
  EXPECT_EQ(outside[0].spec.team, "t3");
  auto next = (*pool)->place(range_of("t4", 4, 1, 512));
  ASSERT_FALSE(next) << "a restart must not overbook a host";
  (*pool)->release("ex");
  next = (*pool)->place(range_of("t4", 4, 1, 512));
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ((*next)->name, "a");
}

TEST_F(HostPoolTest, PlacingATeamAgainReplacesItsLoad) {
  auto pool = pool_of({cfg("test:///a", "a", 8, 2048, 8)});
  ASSERT_TRUE(pool);
  ASSERT_TRUE((*pool)->place(range_of("t1", 2, 1, 512)));
  ASSERT_TRUE((*pool)->place(range_of("t1", 2, 1, 512)));
  EXPECT_EQ((*pool)->loads()[0].used.memory_mib, 1024);
}

TEST_F(HostPoolTest, ConnectFailsOnAnUnreachableOrRepeatedHost) {
  auto down = pool_of({cfg("test:///a"), cfg("test:///unreachable")});
  ASSERT_FALSE(down);
  EXPECT_NE(down.error().message.find("test:///unreachable"), std::string::npos);
  auto twice = pool_of({cfg("test:///a"), cfg("test:///a")});
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().message.find("listed twice"), std::string::npos);
  auto none = pool_of({});
  ASSERT_FALSE(none);
}

TEST_F(HostPoolTest, ReportNamesEveryHostWithCapacityAndDomainType) {
  auto pool = pool_of({cfg("test:///a", "alpha", 4, 1024, 4)});
  ASSERT_TRUE(pool);
  auto lines = (*pool)->report();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0],
            "hypervisor host alpha (test:///a): capacity 4 vCPUs, 1024 MiB, 4 guests, in use 0 "
            "vCPUs, 0 MiB, 0 guests, domain type qemu (fake hypervisor)");
}

}  // namespace
}  // namespace cyrange::range
