// RangeRegistry, RecordingHypervisor and reconcile() on a throw-away PostgreSQL
// database, with the fake hypervisor standing in for libvirt.
#include <gtest/gtest.h>

#include <algorithm>

#include <orchestrator/exercise/range_registry.h>
#include <orchestrator/exercise/recording_hypervisor.h>
#include <orchestrator/exercise/reconcile.h>
#include <orchestrator/range/fake_hypervisor.h>
#include <orchestrator/range/naming.h>
#include <orchestrator/range/team_range.h>
#include <orchestrator/range/tests/test_spec.h>
#include <orchestrator/store/testing/temp_database.h>

namespace cyrange::exercise {
namespace {

constexpr const char* kUri = "fake:///";

range::TeamRangeOptions fake_options() {
  range::TeamRangeOptions o;
  o.image = {"tiny", "hash", "/img", "/img/vmlinuz", "/img/initramfs.cpio", "/img/data-base.qcow2",
             true};
  o.pool_root = "/tmp/cyrange-registry-test-pools";
  o.ready_timeout = std::chrono::seconds(5);
  return o;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = RangeRegistry::open(db.uri());
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    registry = std::move(*opened);
  }
  store::testing::TempDatabase db;
  std::unique_ptr<RangeRegistry> registry;
  range::FakeHypervisor hv;
};

TEST_F(RegistryTest, RecordsEveryObjectOfARangeAndTheSpec) {
  ASSERT_TRUE(registry->begin_exercise("ex1", "scn", "hash", {"t1"}).ok());
  auto spec = range::testing::three_host_spec("ex1", "t1");
  ASSERT_TRUE(registry->save_team_spec(spec, kUri).ok());
  RecordingHypervisor recording(hv, *registry, kUri);
  range::TeamRange team(recording, spec, fake_options());
  ASSERT_TRUE(team.up().ok());

  auto rows = registry->objects(kUri);
  ASSERT_TRUE(rows.has_value()) << rows.error().message;
  auto count = [&](const std::string& kind) {
    return std::count_if(rows->begin(), rows->end(),
                         [&](const RangeObjectRow& r) { return r.kind == kind; });
  };
  EXPECT_EQ(count("domain"), 3);
  EXPECT_EQ(count("network"), 2);
  EXPECT_EQ(count("pool"), 1);
  EXPECT_EQ(count("volume"), 3);
  for (const auto& r : *rows) EXPECT_EQ(r.team, "t1");

  auto specs = registry->team_specs("ex1");
  ASSERT_TRUE(specs.has_value());
  ASSERT_EQ(specs->size(), 1u);
  EXPECT_EQ(specs->front().hosts.size(), 3u);

  // A second exercise of the same id is refused while the first is live.
  EXPECT_EQ(registry->begin_exercise("ex1", "scn", "hash", {"t1"}).error().code,
            ErrorCode::already_exists);
  ASSERT_TRUE(team.down().ok());
  ASSERT_TRUE(registry->end_exercise("ex1").ok());
  EXPECT_TRUE(registry->objects(kUri)->empty());
  EXPECT_TRUE(registry->begin_exercise("ex1", "scn", "hash2", {"t1", "t2"}).ok());
  EXPECT_EQ(registry->exercise("ex1")->teams, (std::vector<std::string>{"t1", "t2"}));
}

TEST_F(RegistryTest, TemplateCapturesPassUnrecordedAndOtherForeignNamesAreRefused) {
  RecordingHypervisor recording(hv, *registry, kUri);
  // The image cache's capture of a new template shape, as cyranged's first range makes it.
  const std::string capture = "cyrange-tpl-0123456789abcdef-4242";
  ASSERT_TRUE(recording.create_pool(capture, "<pool/>").ok());
  auto disk = recording.create_volume(capture, "<volume><name>template.qcow2</name></volume>");
  ASSERT_TRUE(disk.has_value()) << disk.error().message;
  ASSERT_TRUE(recording.create_domain(capture, "<domain/>").ok());
  auto state = recording.run_state(capture);
  ASSERT_TRUE(state.has_value()) << "the capture's domain was created";
  EXPECT_TRUE(registry->objects(kUri)->empty()) << "a capture belongs to no exercise";
  // Anything else without an exercise and a team in its name is still refused.
  auto refused = recording.create_domain("scratch-vm", "<domain/>");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("cyr-<exercise>-<team>"), std::string::npos);
}

TEST_F(RegistryTest, ReconcileAdoptsLiveObjectsAndRemovesOrphans) {
  ASSERT_TRUE(registry->begin_exercise("live", "scn", "h", {"t1"}).ok());
  ASSERT_TRUE(registry->begin_exercise("gone", "scn", "h", {"t1"}).ok());
  RecordingHypervisor recording(hv, *registry, kUri);
  range::TeamRange live(recording, range::testing::three_host_spec("live", "t1"), fake_options());
  range::TeamRange gone(recording, range::testing::three_host_spec("gone", "t1"), fake_options());
  ASSERT_TRUE(live.up().ok());
  ASSERT_TRUE(gone.up().ok());
  // "gone" ended but its process died before removing anything.
  ASSERT_TRUE(registry->set_state("gone", kStateEnded).ok());
  // Created behind the registry's back, with the live exercise's prefix.
  ASSERT_TRUE(hv.create_domain("cyr-live-t9-ghost", "<domain/>").ok());
  ASSERT_TRUE(hv.create_network("cyr-live-t9-net-ghost", "<network/>").ok());
  // Of an exercise this database never knew: somebody else's.
  ASSERT_TRUE(hv.create_domain("cyr-other-t1-web", "<domain/>").ok());

  auto report = reconcile(hv, *registry, kUri);
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_TRUE(report->errors.empty());
  EXPECT_EQ(report->adopted.size(), 3u + 2u + 1u) << report->summary();
  EXPECT_TRUE(contains(report->adopted, "domain cyr-live-t1-web"));
  EXPECT_TRUE(contains(report->removed, "domain cyr-live-t9-ghost"));
  EXPECT_TRUE(contains(report->removed, "network cyr-live-t9-net-ghost"));
  EXPECT_TRUE(contains(report->removed, "domain cyr-gone-t1-mail"));
  EXPECT_TRUE(contains(report->removed, "pool cyr-gone-t1-pool"));
  EXPECT_EQ(report->foreign, (std::vector<std::string>{"domain cyr-other-t1-web"}));
  EXPECT_TRUE(hv.list(range::ObjectKind::domain, "cyr-gone-")->empty());
  EXPECT_TRUE(hv.list(range::ObjectKind::domain, "cyr-live-t9-")->empty());
  EXPECT_EQ(hv.list(range::ObjectKind::domain, "cyr-live-t1-")->size(), 3u);
  EXPECT_EQ(hv.list(range::ObjectKind::domain, "cyr-other-")->size(), 1u);

  // The ended exercise's rows are gone; a second run finds nothing to do.
  auto objects = registry->objects(kUri);  // kept alive: *temporary() would dangle
  ASSERT_TRUE(objects);
  for (const auto& r : *objects) EXPECT_EQ(r.exercise, "live");
  auto again = reconcile(hv, *registry, kUri);
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(again->removed.empty()) << again->summary();

  ASSERT_TRUE(live.down().ok());
  ASSERT_TRUE(hv.remove_domain("cyr-other-t1-web").ok());
  auto after_down = reconcile(hv, *registry, kUri);
  ASSERT_TRUE(after_down.has_value());
  EXPECT_EQ(after_down->missing.size(), 6u) << "live rows whose objects vanished are reported";
  EXPECT_EQ(hv.object_count(), 0u);
}

TEST_F(RegistryTest, ProgressIsReadBackInUpdateOrder) {
  ASSERT_TRUE(registry->begin_exercise("p", "scn", "h", {"t1"}).ok());
  ASSERT_TRUE(registry->record_progress("p", {"t1", "web", "booting", "m", 30, 0}).ok());
  ASSERT_TRUE(registry->record_progress("p", {"t1", "mail", "booting", "m", 40, 0}).ok());
  ASSERT_TRUE(registry->record_progress("p", {"t1", "web", "ready", "m", 60, 0}).ok());
  auto all = registry->progress_since("p", 0);
  ASSERT_TRUE(all.has_value());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ(all->at(0).host, "mail");
  EXPECT_EQ(all->at(1).host, "web");
  EXPECT_EQ(all->at(1).state, "ready");
  EXPECT_TRUE(registry->progress_since("p", all->back().version)->empty());
}

}  // namespace
}  // namespace cyrange::exercise
