// `cyrange bench selfpaced` on the fake hypervisor: the two lines' shape, the capacity
// arithmetic, and that nothing is left after a run, a failure or an interruption.
#include <gtest/gtest.h>

#include <atomic>
#include <regex>
#include <sstream>

#include <orchestrator/range/fake_hypervisor.h>
#include <orchestrator/range/selfpaced_bench.h>
#include <orchestrator/range/tests/test_spec.h>

namespace cyrange::range {
namespace {

// 100 MiB of RSS and 60 MiB of saved state per guest, 10 MiB of overlays per range.
GuestProbe fake_probe() {
  GuestProbe p;
  p.rss = [](const std::string&) -> Expected<std::uint64_t> { return 100ull << 20; };
  p.saved = [](const std::string&) -> Expected<std::uint64_t> { return 60ull << 20; };
  p.folder = [](const std::string&) { return std::uint64_t{10} << 20; };
  p.memory_available_mib = [] { return std::int64_t{2000}; };
  p.disk_free_mib = [](const std::string&) { return std::int64_t{10000}; };
  return p;
}

SelfPacedBenchOptions small(int hosts) {
  SelfPacedBenchOptions o;
  o.hosts = hosts;
  o.rounds = 2;
  o.pool_root = "/tmp/cyrange-selfpaced-bench-unit";
  return o;
}

TEST(SelfPacedBench, LinesHaveTheExactShape) {
  SelfPacedBenchResult r;
  r.hosts = 8;
  r.suspend_s = 4;
  r.resume_s = 2;
  r.boot_s = 30;
  r.memory_mib = 20000;
  r.running_ranges = 19;
  r.suspended_ranges = 120;
  r.saved_mib_per_range = 512.25;
  r.rss_mib_per_range = 1040;
  r.volumes_mib_per_range = 20;
  r.disk_mib = 60000;
  EXPECT_EQ(selfpaced_line(r),
            "selfpaced: hosts=8 suspend_s=4.00 resume_s=2.00 boot_s=30.00 resume_over_boot=15.00");
  EXPECT_EQ(capacity_line(r),
            "selfpaced: capacity memory_mib=20000 running_ranges=19 suspended_ranges=120 "
            "saved_mib_per_range=512.2 rss_mib_per_range=1040.0 volumes_mib_per_range=20.0 "
            "disk_mib=60000");
}

TEST(SelfPacedBench, RunsOnTheFakeComputesCapacityAndLeavesNothing) {
  FakeHypervisor hv;
  std::ostringstream out;
  auto r = run_selfpaced_bench(hv, testing::fake_image(), small(3), fake_probe(), out);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->hosts, 3);
  EXPECT_GT(r->boot_s, 0);
  EXPECT_GT(r->cold_boot_s, 0);
  EXPECT_EQ(r->memory_mib, 2000);
  EXPECT_DOUBLE_EQ(r->rss_mib_per_range, 300);
  EXPECT_DOUBLE_EQ(r->saved_mib_per_range, 180);
  EXPECT_EQ(r->running_ranges, 6);     // 2000 / 300
  EXPECT_EQ(r->suspended_ranges, 52);  // 10000 / (180 + 10)
  EXPECT_EQ(hv.object_count(), 0u);
  const std::string text = out.str();
  EXPECT_NE(text.find("round 2: suspend "), std::string::npos) << text;
  EXPECT_TRUE(std::regex_search(
      text, std::regex("\nselfpaced: hosts=3 suspend_s=[0-9.]+ resume_s=[0-9.]+ boot_s=[0-9.]+ "
                       "resume_over_boot=[0-9.]+\nselfpaced: capacity memory_mib=2000 "
                       "running_ranges=6 suspended_ranges=52 saved_mib_per_range=180.0 "
                       "rss_mib_per_range=300.0 volumes_mib_per_range=10.0 disk_mib=10000\n$")))
      << text;
}

TEST(SelfPacedBench, AnInterruptionRemovesEverything) {
  FakeHypervisor hv;
  std::ostringstream out;
  std::atomic<int> checks{0};
  // Interrupted at the third check: after the range came up from templates.
  auto r = run_selfpaced_bench(hv, testing::fake_image(), small(2), fake_probe(), out,
                               [&] { return ++checks >= 3; });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::cancelled);
  EXPECT_NE(out.str().find("boot (provisioned afresh"), std::string::npos) << out.str();
  EXPECT_EQ(hv.object_count(), 0u);
}

TEST(SelfPacedBench, AFailureWhileSuspendedRemovesEverything) {
  FakeHypervisor hv;
  std::ostringstream out;
  GuestProbe probe = fake_probe();
  probe.saved = [](const std::string& d) -> Expected<std::uint64_t> {
    return make_error(ErrorCode::not_found, "no saved state of " + d);
  };
  auto r = run_selfpaced_bench(hv, testing::fake_image(), small(2), probe, out);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("no saved state"), std::string::npos) << r.error().message;
  EXPECT_EQ(hv.object_count(), 0u);
}

TEST(SelfPacedBench, RefusesARangeBeyondTheMemoryBudgetAndNamesTheLargestThatFits) {
  FakeHypervisor hv;
  std::ostringstream out;
  SelfPacedBenchOptions o = small(8);
  o.memory_mib = 600;  // 4 tiny hosts of 128 MiB
  auto r = run_selfpaced_bench(hv, testing::fake_image(), o, fake_probe(), out);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::resource_exhausted);
  EXPECT_NE(r.error().message.find("largest range that fits has 4 hosts"), std::string::npos)
      << r.error().message;
  EXPECT_EQ(hv.object_count(), 0u);
}

TEST(SelfPacedBench, RefusesMoreHostsThanTheMachineTakes) {
  FakeHypervisor hv;
  std::ostringstream out;
  auto r = run_selfpaced_bench(hv, testing::fake_image(), small(9), fake_probe(), out);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("use 1 to 8 hosts"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace cyrange::range
