// Real guests on qemu:///system and a throw-away PostgreSQL database: a range whose
// process "died" (objects left, no down) is adopted by reconcile(), orphans with the
// prefix but no row are removed, and a trainee types into the range host's serial
// console over loopback gRPC. Nothing with the test prefix remains.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include <client-core/range_client.h>
#include <orchestrator/exercise/range_registry.h>
#include <orchestrator/exercise/reconcile.h>
#include <orchestrator/exercise/recording_hypervisor.h>
#include <orchestrator/exercise/terminal.h>
#include <orchestrator/identity/fake_authenticator.h>
#include <orchestrator/identity/identity_store.h>
#include <orchestrator/range/image_builder.h>
#include <orchestrator/range/libvirt_hypervisor.h>
#include <orchestrator/range/team_range.h>
#include <orchestrator/range/tests/test_spec.h>
#include <orchestrator/rpc/server.h>
#include <orchestrator/store/testing/temp_database.h>

namespace cyrange::exercise {
namespace {

constexpr const char* kUri = "qemu:///system";
constexpr const char* kPrefix = "cyr-itrecon-";

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::size_t leftovers(range::Hypervisor& hv) {
  std::size_t n = 0;
  for (auto kind : {range::ObjectKind::domain, range::ObjectKind::network, range::ObjectKind::pool})
    n += hv.list(kind, kPrefix)->size();
  return n;
}

TEST(ReconcileIntegration, AdoptsALiveRangeRemovesOrphansAndServesATerminal) {
  store::testing::TempDatabase db;
  auto opened = RangeRegistry::open(db.uri());
  ASSERT_TRUE(opened.has_value()) << opened.error().message;
  std::shared_ptr<RangeRegistry> registry = std::move(*opened);
  auto hv = range::LibvirtHypervisor::connect(kUri);
  ASSERT_TRUE(hv.has_value()) << hv.error().message;
  ASSERT_TRUE(range::TeamRange::remove_orphans(**hv, kPrefix).ok());  // a killed earlier run
  range::ImageBuildOptions image_options;
  image_options.cache_root = "/var/lib/cyrange/images";
  auto image = range::build_image(image_options);
  ASSERT_TRUE(image.has_value()) << image.error().message;

  range::RangeSpec spec;
  spec.exercise = "itrecon";
  spec.team = "t1";
  spec.networks = {{"lan", "10.9.0.0/24"}};
  spec.hosts = {range::testing::make_host("pc1", "workstation", {}, {{"lan", "10.9.0.10/24", ""}})};
  spec.hosts[0].trainee_terminal = true;
  ASSERT_TRUE(registry->begin_exercise("itrecon", "scn", "h", {"t1", "t2"}).ok());
  ASSERT_TRUE(registry->save_team_spec(spec, kUri).ok());
  {
    RecordingHypervisor recording(**hv, *registry, kUri);
    range::TeamRangeOptions options;
    options.image = *image;
    options.capture_pristine = false;
    range::TeamRange team(recording, spec, options);
    auto up = team.up();
    ASSERT_TRUE(up.ok()) << up.error().message;
    // The TeamRange goes away without down(): the process "died", its guests live on.
  }
  // Orphans with the exercise's prefix that no row describes.
  auto type = (*hv)->domain_type().type;
  ASSERT_TRUE((*hv)
                  ->create_network("cyr-itrecon-t9-net-orphan",
                                   "<network><name>cyr-itrecon-t9-net-orphan</name>"
                                   "<bridge name='cyritorphan0' stp='off' delay='0'/></network>")
                  .ok());
  ASSERT_TRUE(
      (*hv)
          ->create_domain(
              "cyr-itrecon-t9-orphan",
              "<domain type='" + type +
                  "'><name>cyr-itrecon-t9-orphan</name>"
                  "<memory unit='MiB'>32</memory><os><type arch='x86_64' machine='pc'>hvm</type>"
                  "</os><devices><memballoon model='none'/></devices></domain>")
          .ok());

  auto report = reconcile(**hv, *registry, kUri);
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_TRUE(report->errors.empty()) << report->errors.front();
  EXPECT_TRUE(contains(report->adopted, "domain cyr-itrecon-t1-pc1")) << report->summary();
  EXPECT_TRUE(contains(report->adopted, "network cyr-itrecon-t1-net-lan")) << report->summary();
  EXPECT_TRUE(contains(report->adopted, "pool cyr-itrecon-t1-pool")) << report->summary();
  EXPECT_TRUE(contains(report->removed, "domain cyr-itrecon-t9-orphan")) << report->summary();
  EXPECT_TRUE(contains(report->removed, "network cyr-itrecon-t9-net-orphan")) << report->summary();
  EXPECT_TRUE((*hv)->list(range::ObjectKind::domain, "cyr-itrecon-t9-")->empty());
  auto adopted = (*hv)->list(range::ObjectKind::domain, "cyr-itrecon-t1-");
  ASSERT_EQ(adopted->size(), 1u);
  EXPECT_TRUE(adopted->front().active);

  // A trainee of t1 types into pc1's console; a trainee of t2 is refused.
  auto ids = identity::PgIdentityStore::open(db.uri());
  ASSERT_TRUE(ids.has_value());
  auto t1 = *(*ids)->ensure_team("t1");
  auto t2 = *(*ids)->ensure_team("t2");
  auto auth = std::make_shared<identity::FakeAuthenticator>();
  auth->add("tok-1", {*(*ids)->add_user({"amy", identity::Role::trainee, "t1", "", ""}), "amy",
                      identity::Role::trainee, t1});
  auth->add("tok-2", {*(*ids)->add_user({"ben", identity::Role::trainee, "t2", "", ""}), "ben",
                      identity::Role::trainee, t2});
  std::shared_ptr<range::Hypervisor> shared_hv = std::move(*hv);
  auto broker = std::make_shared<TerminalBroker>(*shared_hv, registry);
  config::Config config;
  config.listen_address = "127.0.0.1:0";
  config.plaintext = true;
  rpc::ServerDeps deps;
  deps.range = {registry, broker};
  auto server = rpc::Server::start(config, auth, std::move(deps));
  ASSERT_TRUE(server.has_value()) << server.error().message;
  client::ClientOptions options;
  options.target = (*server)->address();
  options.plaintext = true;
  options.timeout = std::chrono::seconds(20);
  options.token = "tok-1";
  auto amy = client::Connection::open(options);
  ASSERT_TRUE(amy.has_value());

  std::mutex mu;
  std::condition_variable cv;
  std::string screen;
  auto term =
      client::TerminalClient::open(*amy, {"itrecon", "", "pc1"}, [&](std::string_view bytes) {
        std::lock_guard lock(mu);
        screen.append(bytes);
        cv.notify_all();
      });
  ASSERT_TRUE(term.has_value()) << term.error().message;
  ASSERT_TRUE((*term)->send_keys("hostname\n").ok());
  {
    std::unique_lock lock(mu);
    EXPECT_TRUE(cv.wait_for(lock, std::chrono::seconds(20),
                            [&] { return screen.find("\npc1\r") != std::string::npos; }))
        << "console output: " << screen;
  }
  (*term)->close();
  options.token = "tok-2";
  auto ben = client::Connection::open(options);
  auto denied =
      client::TerminalClient::open(*ben, {"itrecon", "t1", "pc1"}, [](std::string_view) {});
  ASSERT_FALSE(denied.has_value());
  EXPECT_EQ(denied.error().code, ErrorCode::permission_denied);
  (*server)->shutdown(std::chrono::milliseconds(200));
  server->reset();
  broker.reset();

  ASSERT_TRUE(range::TeamRange::remove_orphans(*shared_hv, kPrefix).ok());
  ASSERT_TRUE(registry->end_exercise("itrecon").ok());
  EXPECT_EQ(leftovers(*shared_hv), 0u);
  EXPECT_TRUE(registry->objects(kUri)->empty());
}

}  // namespace
}  // namespace cyrange::exercise
