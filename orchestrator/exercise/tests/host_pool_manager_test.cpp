// ExerciseManager on a pool of two (fake) hypervisor hosts and a throw-away PostgreSQL
// database: every team is built on the host placement chose and recorded with its URI, an
// exercise that fits nowhere is refused before anything is built, ending one removes its
// guests from every host and frees the capacity, and its id is not used again.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include <orchestrator/exercise/exercise_manager.h>
#include <orchestrator/exercise/routed_hypervisor.h>
#include <orchestrator/range/fake_hypervisor.h>
#include <orchestrator/scoring/pg_ledger_store.h>
#include <orchestrator/store/testing/temp_database.h>
#include <orchestrator/timeline/pg_store.h>

namespace cyrange::exercise {
namespace {

using namespace std::chrono_literals;

// Two guests of 128 MiB per team: 2 vCPUs, 256 MiB, 2 guests.
constexpr const char* kScenario = R"(apiVersion: cyrange/v1
metadata:
  id: pool-test
  version: "1.0.0"
  title: {ja: 配置, en: Placement}
  summary: {ja: 配置の試験, en: Placement test}
topology:
  segments: [{name: lan, cidr: 10.0.0.0/24}]
  hosts:
    - name: ws01
      image_profile: tiny
      role: workstation
      memory_mib: 128
      interfaces: [{segment: lan, address: 10.0.0.10}]
    - name: ws02
      image_profile: tiny
      role: workstation
      memory_mib: 128
      interfaces: [{segment: lan, address: 10.0.0.11}]
timeline:
  - {id: note, category: inject, type: note, trigger: manual}
objectives:
  - id: who
    question: {ja: 誰, en: Who}
    points: 100
    answer: {type: normalized, value: alice}
)";

range::HostConfig fake_host(const std::string& uri, const std::string& name, int vcpus,
                            std::int64_t mib) {
  range::HostConfig c;
  c.uri = uri;
  c.name = name;
  c.vcpus = vcpus;
  c.memory_mib = mib;
  return c;
}

class HostPoolManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/cyrange-hostpool-manager-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    pools_ = tmpl;
    auto connector =
        [this](const std::string& uri) -> Expected<std::shared_ptr<range::Hypervisor>> {
      auto hv = std::make_shared<range::FakeHypervisor>();
      fakes_[uri] = hv;
      return std::shared_ptr<range::Hypervisor>(hv);
    };
    auto unused = [](range::Hypervisor&, const std::string&) -> Expected<range::NodeResources> {
      return make_error(ErrorCode::internal, "capacities are configured");
    };
    // a: 4 vCPUs / 512 MiB; b: 8 vCPUs / 768 MiB.
    auto pool = range::HostPool::connect(
        {fake_host("fake:///a", "a", 4, 512), fake_host("fake:///b", "b", 8, 768)}, connector,
        unused);
    ASSERT_TRUE(pool) << pool.error().message;
    pool_ = *pool;
    auto registry = RangeRegistry::open(db_.uri());
    ASSERT_TRUE(registry) << registry.error().message;
    registry_ = std::move(*registry);
    auto store = timeline::PgTimelineStore::open(db_.uri());
    ASSERT_TRUE(store) << store.error().message;
    timelines_ = std::make_shared<timeline::TimelineHub>(
        std::shared_ptr<timeline::TimelineStore>(std::move(store).value()),
        std::make_shared<timeline::RecordingExecutor>(),
        std::make_shared<timeline::ManualTimeSource>());
    auto ledger = scoring::PgLedgerStore::open(db_.uri());
    ASSERT_TRUE(ledger) << ledger.error().message;
    scores_ = std::make_shared<scoring::ScoreHub>(
        std::shared_ptr<scoring::LedgerStore>(std::move(ledger).value()));
    ExerciseManagerDeps deps;
    deps.hypervisor = std::make_shared<RoutedHypervisor>(pool_, registry_);
    deps.libvirt_uri = pool_->primary().uri;
    deps.hosts = pool_;
    deps.registry = registry_;
    deps.timelines = timelines_;
    deps.scoring = scores_;
    deps.pool_root = pools_.string();
    manager_ = std::make_unique<ExerciseManager>(std::move(deps));
  }
  void TearDown() override {
    manager_.reset();
    std::filesystem::remove_all(pools_);
  }

  Expected<ExerciseInfo> create(const std::string& id, std::vector<std::string> teams) {
    return manager_->create({id, kScenario, "pool.yaml", std::move(teams), 7});
  }
  // Waits until provisioning ends (ready or failed).
  std::string settled_state(const std::string& id) {
    for (int i = 0; i < 600; ++i) {
      auto info = manager_->get(id);
      if (info && info->state != kStateProvisioning) return info->state + " " + info->detail;
      std::this_thread::sleep_for(100ms);
    }
    return "still provisioning";
  }
  std::size_t domains_on(const std::string& uri, const std::string& prefix) {
    auto found = fakes_.at(uri)->list(range::ObjectKind::domain, prefix);
    return found ? found->size() : 0;
  }

  store::testing::TempDatabase db_;
  std::filesystem::path pools_;
  std::map<std::string, std::shared_ptr<range::FakeHypervisor>> fakes_;
  std::shared_ptr<range::HostPool> pool_;
  std::shared_ptr<RangeRegistry> registry_;
  std::shared_ptr<timeline::TimelineHub> timelines_;
  std::shared_ptr<scoring::ScoreHub> scores_;
  std::unique_ptr<ExerciseManager> manager_;
};

TEST_F(HostPoolManagerTest, TeamsAreBuiltAndRecordedOnTheirHostsAndEndingFreesThem) {
  // red: b (768 free); blue: b again (512 = a's 512, b has more vCPUs); green: a (512 > 256).
  auto created = create("hpm", {"red", "blue", "green"});
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(settled_state("hpm"), "ready ");
  auto placed = registry_->placed_ranges("hpm");
  ASSERT_TRUE(placed) << placed.error().message;
  std::map<std::string, std::string> uri_of;
  for (const auto& r : *placed) uri_of[r.spec.team] = r.uri;
  EXPECT_EQ(uri_of, (std::map<std::string, std::string>{
                        {"blue", "fake:///b"}, {"green", "fake:///a"}, {"red", "fake:///b"}}));
  EXPECT_EQ(domains_on("fake:///b", "cyr-hpm-red-"), 2u);
  EXPECT_EQ(domains_on("fake:///b", "cyr-hpm-blue-"), 2u);
  EXPECT_EQ(domains_on("fake:///a", "cyr-hpm-green-"), 2u);
  EXPECT_EQ(domains_on("fake:///a", "cyr-hpm-"), 2u) << "a team was built on the wrong host";

  // Left: a 256 MiB, b 256 MiB: room for two more teams, not three. Refused, nothing recorded
  // or built.
  auto refused = create("hpm2", {"red", "blue", "green"});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::failed_precondition);
  EXPECT_NE(refused.error().message.find("No hypervisor host has room for team 'green' of exercise "
                                         "'hpm2': it needs 2 vCPUs, 256 MiB, 2 guests"),
            std::string::npos)
      << refused.error().message;
  EXPECT_NE(refused.error().message.find("ハイパーバイザーがありません"), std::string::npos);
  EXPECT_FALSE(manager_->get("hpm2"));
  EXPECT_EQ(domains_on("fake:///a", "cyr-hpm2-") + domains_on("fake:///b", "cyr-hpm2-"), 0u);

  auto ended = manager_->end("hpm");
  ASSERT_TRUE(ended) << ended.error().message;
  EXPECT_EQ(fakes_.at("fake:///a")->object_count(), 0u);
  EXPECT_EQ(fakes_.at("fake:///b")->object_count(), 0u);
  for (const auto& load : pool_->loads()) EXPECT_EQ(load.used.guests, 0) << load.name;

  auto again = create("hpm2", {"red", "blue", "green"});
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(settled_state("hpm2"), "ready ");
  ASSERT_TRUE(manager_->end("hpm2"));

  // The id of an ended exercise is not given out again: its ledger and consents stay its own.
  auto reused = create("hpm", {"red"});
  ASSERT_FALSE(reused);
  EXPECT_EQ(reused.error().code, ErrorCode::already_exists);
  EXPECT_NE(reused.error().message.find("Exercise id 'hpm' was already used (state ended)"),
            std::string::npos)
      << reused.error().message;
  EXPECT_EQ(domains_on("fake:///a", "cyr-hpm-") + domains_on("fake:///b", "cyr-hpm-"), 0u);
}

}  // namespace
}  // namespace cyrange::exercise
