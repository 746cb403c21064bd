// Pristine capture, reset and multi-team sets on the fake hypervisor.
#include <gtest/gtest.h>

#include <filesystem>
#include <mutex>
#include <set>

#include <orchestrator/range/fake_hypervisor.h>
#include <orchestrator/range/range_set.h>
#include <orchestrator/range/team_range.h>
#include <orchestrator/range/tests/test_spec.h>

namespace cyrange::range {
namespace {

TeamRangeOptions reset_test_options() {
  TeamRangeOptions o;
  o.image = {"tiny", "hash", "/img", "/img/vmlinuz", "/img/initramfs.cpio", "/img/data-base.qcow2",
             true};
  o.pool_root = (std::filesystem::temp_directory_path() / "cyrange-range-reset-unit").string();
  o.max_parallel = 2;
  o.ready_timeout = std::chrono::seconds(1);
  return o;
}

TEST(TeamRangeReset, UpCapturesPristineAndResetRevertsEveryHostInParallel) {
  FakeHypervisor hv;
  TeamRange range(hv, testing::three_host_spec(), reset_test_options());
  ASSERT_TRUE(range.up().ok());
  EXPECT_EQ(hv.snapshot_count(), 3u);
  EXPECT_TRUE(range.has_pristine());

  std::mutex mu;
  std::vector<ProgressEvent> events;
  auto st = range.reset([&](const ProgressEvent& e) {
    std::lock_guard lock(mu);
    events.push_back(e);
  });
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(hv.revert_count(), 3);
  // Reset is not bounded by max_parallel (2): all three hosts revert together.
  EXPECT_EQ(hv.max_concurrent_reverts(), 3);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().percent, 100);
  for (const auto& h : range.status()) EXPECT_EQ(h.state, HostState::ready) << h.name;

  ASSERT_TRUE(range.reset().ok());  // reusable: a range resets as often as needed
  EXPECT_EQ(hv.revert_count(), 6);
}

TEST(TeamRangeReset, ResetWithoutPristineStateIsRefused) {
  FakeHypervisor hv;
  auto options = reset_test_options();
  options.capture_pristine = false;
  TeamRange range(hv, testing::three_host_spec(), options);
  ASSERT_TRUE(range.up().ok());
  EXPECT_EQ(hv.snapshot_count(), 0u);
  EXPECT_FALSE(range.has_pristine());
  auto st = range.reset();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::failed_precondition);
  EXPECT_NE(st.error().message.find("'t1'"), std::string::npos) << st.error().message;
  EXPECT_EQ(hv.revert_count(), 0);
  ASSERT_TRUE(range.capture_pristine().ok());  // capture can also be a separate step
  EXPECT_TRUE(range.reset().ok());
}

TEST(TeamRangeReset, HostThatDoesNotAnswerAfterResetIsNamed) {
  FakeHypervisor hv;
  hv.silent_after_revert.insert("cyr-ex1-t1-ws");
  TeamRange range(hv, testing::three_host_spec(), reset_test_options());
  ASSERT_TRUE(range.up().ok());
  auto st = range.reset();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("'ws'"), std::string::npos) << st.error().message;
  EXPECT_EQ(st.error().message.find("'web'"), std::string::npos) << st.error().message;
  for (const auto& h : range.status())
    EXPECT_EQ(h.state, h.name == "ws" ? HostState::failed : HostState::ready) << h.name;
}

TEST(TeamRangeReset, DownRemovesSnapshotsWithTheDomains) {
  FakeHypervisor hv;
  TeamRange range(hv, testing::three_host_spec(), reset_test_options());
  ASSERT_TRUE(range.up().ok());
  ASSERT_GT(hv.snapshot_count(), 0u);
  ASSERT_TRUE(range.down().ok());
  EXPECT_EQ(hv.snapshot_count(), 0u);
  EXPECT_EQ(hv.object_count(), 0u);
}

TEST(RangeSet, TeamsAreSeparateObjectsAndShareTheBootBound) {
  FakeHypervisor hv;
  auto teams = numbered_teams(3);
  ASSERT_EQ(teams, (std::vector<std::string>{"t1", "t2", "t3"}));
  RangeSet set(hv, testing::three_host_spec("ex2"), teams, reset_test_options(), 2);
  std::set<std::string> teams_seen;
  int hundreds = 0;
  ASSERT_TRUE(set.up([&](const std::string& team, const ProgressEvent& e) {
                   teams_seen.insert(team);  // serialised: no lock needed here
                   if (e.percent == 100) ++hundreds;
                 })
                  .ok());
  EXPECT_EQ(teams_seen, (std::set<std::string>{"t1", "t2", "t3"}));
  EXPECT_EQ(hundreds, 3);
  // 3 teams x (1 pool + 2 networks + 3 domains + 3 volumes).
  EXPECT_EQ(hv.object_count(), 27u);
  EXPECT_EQ(hv.max_concurrent_creates(), 2) << "boots across teams must share the bound";
  for (const auto& t : teams) {
    auto domains = hv.list(ObjectKind::domain, "cyr-ex2-" + t + "-");
    ASSERT_TRUE(domains.has_value());
    EXPECT_EQ(domains->size(), 3u) << t;
  }
  ASSERT_NE(set.team("t2"), nullptr);
  EXPECT_EQ(set.team("t2")->prefix(), "cyr-ex2-t2-");
  EXPECT_EQ(set.team("t9"), nullptr);

  ASSERT_TRUE(set.reset().ok());
  EXPECT_EQ(hv.revert_count(), 9);
  ASSERT_TRUE(set.down().ok());
  EXPECT_EQ(hv.object_count(), 0u);
  EXPECT_EQ(hv.snapshot_count(), 0u);
}

TEST(RangeSet, OneFailingTeamFailsTheSetAndNamesIt) {
  FakeHypervisor hv;
  hv.silent_agents.insert("cyr-ex3-t2-web");
  RangeSet set(hv, testing::three_host_spec("ex3"), numbered_teams(2), reset_test_options(), 4);
  auto st = set.up();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("Team 't2'"), std::string::npos) << st.error().message;
  EXPECT_EQ(st.error().message.find("Team 't1'"), std::string::npos) << st.error().message;
  EXPECT_TRUE(set.team("t1")->has_pristine());
  ASSERT_TRUE(set.down().ok());
  EXPECT_EQ(hv.object_count(), 0u);
}

}  // namespace
}  // namespace cyrange::range
