#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include <orchestrator/range/fake_hypervisor.h>
#include <orchestrator/range/naming.h>
#include <orchestrator/range/provision_bench.h>
#include <orchestrator/range/tests/test_spec.h>

namespace cyrange::range {
namespace {

TEST(ProvisionBench, LineHasTheExactShapeAndComputedRatios) {
  ProvisionBenchResult r;
  r.hosts = 6;
  r.ours_s = 10;
  r.baseline_s = 25;
  r.reset_s = 2;
  EXPECT_EQ(provision_line(r),
            "provision: hosts=6 ours_s=10.00 baseline_s=25.00 speedup=2.50 reset_s=2.00 "
            "reprovision_over_reset=5.00");
}

TEST(ProvisionBench, SpecIsValidAndHasTheRequestedHosts) {
  for (int n : {1, 2, 6, 10}) {
    auto spec = bench_spec("bench", n);
    EXPECT_EQ(spec.hosts.size(), static_cast<std::size_t>(n));
    EXPECT_TRUE(validate_spec(spec).ok()) << n;
  }
}

TEST(ProvisionBench, SpecHostsUseTheRequestedProfile) {
  for (const auto& h : bench_spec("bench", 4).hosts) EXPECT_EQ(h.image_profile, "tiny");
  for (const auto& h : bench_spec("bench", 4, "standard").hosts)
    EXPECT_EQ(h.image_profile, "standard");
}

TEST(ProvisionBench, RunsBothSidesOnTheFakeAndLeavesNothing) {
  FakeHypervisor hv;
  ProvisionBenchOptions o;
  o.teams = 2;
  o.hosts = 3;
  o.pool_root = "/tmp/cyrange-bench-unit";
  std::ostringstream out;
  auto r = run_provision_bench(hv, testing::fake_image(), o, out);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->hosts, 6);
  EXPECT_GT(r->ours_s, 0);
  EXPECT_GT(r->baseline_s, 0);
  EXPECT_GT(r->reset_s, 0);
  EXPECT_EQ(hv.revert_count(), 6);
  EXPECT_EQ(hv.object_count(), 0u);
  EXPECT_EQ(hv.snapshot_count(), 0u);
  EXPECT_LE(hv.max_concurrent_creates(), 4);
  std::string text = out.str();
  auto last = text.substr(text.rfind("provision: "));
  EXPECT_TRUE(
      std::regex_match(last, std::regex("provision: hosts=6 ours_s=[0-9.]+ baseline_s=[0-9.]+ "
                                        "speedup=[0-9.]+ reset_s=[0-9.]+ "
                                        "reprovision_over_reset=[0-9.]+\n")))
      << last;
}

TEST(ProvisionBench, RefusesMoreGuestsThanTheMachineTakes) {
  FakeHypervisor hv;
  ProvisionBenchOptions o;
  o.teams = 3;
  o.hosts = 3;
  std::ostringstream out;
  auto r = run_provision_bench(hv, testing::fake_image(), o, out);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("9 guests"), std::string::npos) << r.error().message;
  EXPECT_EQ(hv.object_count(), 0u);
}

}  // namespace
}  // namespace cyrange::range
