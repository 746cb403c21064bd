#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <mutex>

#include <orchestrator/range/fake_hypervisor.h>
#include <orchestrator/range/service_catalog.h>
#include <orchestrator/range/team_range.h>
#include <orchestrator/range/tests/test_spec.h>

namespace cyrange::range {
namespace {

TeamRangeOptions fake_options() {
  TeamRangeOptions o;
  o.image = {"tiny", "hash", "/img", "/img/vmlinuz", "/img/initramfs.cpio", "/img/data-base.qcow2",
             true};
  o.pool_root = (std::filesystem::temp_directory_path() / "cyrange-range-unit").string();
  o.max_parallel = 2;
  o.ready_timeout = std::chrono::seconds(2);
  return o;
}

RangeSpec six_hosts() {
  auto spec = testing::three_host_spec();
  for (int i = 0; i < 3; ++i) {
    spec.hosts.push_back(
        testing::make_host("extra" + std::to_string(i), "web", {"http"},
                           {{"dmz", "10.0.1.10" + std::to_string(i) + "/24", ""}}));
  }
  return spec;
}

TEST(TeamRange, ParallelUpReportsProgressToHundredAndAllReady) {
  FakeHypervisor hv;
  TeamRange range(hv, six_hosts(), fake_options());
  std::mutex mu;
  std::vector<ProgressEvent> events;
  ASSERT_TRUE(range
                  .up([&](const ProgressEvent& e) {
                    std::lock_guard lock(mu);
                    events.push_back(e);
                  })
                  .ok());
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().percent, 100);
  for (std::size_t i = 1; i < events.size(); ++i)
    EXPECT_GE(events[i].percent, events[i - 1].percent);
  for (const auto& h : range.status()) EXPECT_EQ(h.state, HostState::ready) << h.name;
  // Bounded concurrency: overlapping, but never above max_parallel.
  EXPECT_EQ(hv.max_concurrent_creates(), 2);
  // 2 networks + 1 pool + 6 domains + 6 volumes.
  EXPECT_EQ(hv.object_count(), 15u);
  EXPECT_NE(hv.domain_definition("cyr-ex1-t1-mail").find("cyrange.nic="), std::string::npos);
}

TEST(TeamRange, StandardHostsBootTheStandardImageAndTinyHostsTheTinyOne) {
  FakeHypervisor hv;
  auto options = fake_options();
  ImageInfo standard;
  standard.profile = "standard";
  standard.kernel = "/std/vmlinuz";
  standard.initrd = "/std/initramfs.cpio";
  standard.data_base = "/std/root-base.qcow2";
  standard.root_disk = true;
  options.profile_images["standard"] = standard;
  auto spec = testing::three_host_spec();
  spec.hosts[1].image_profile = "standard";
  TeamRange range(hv, spec, options);
  ASSERT_TRUE(range.up().ok());
  auto mail = hv.domain_definition("cyr-ex1-t1-mail");
  EXPECT_NE(mail.find("<initrd>/std/initramfs.cpio</initrd>"), std::string::npos) << mail;
  EXPECT_NE(mail.find("root=/dev/vda"), std::string::npos);
  auto web = hv.domain_definition("cyr-ex1-t1-web");
  EXPECT_NE(web.find("<initrd>/img/initramfs.cpio</initrd>"), std::string::npos) << web;
  EXPECT_EQ(web.find("root=/dev/vda"), std::string::npos);
}

TEST(TeamRange, AStandardHostGivenOnlyTheTinyImageIsRefusedBeforeAnythingIsCreated) {
  // The CLI once passed only the tiny image, and a standard host silently booted it.
  FakeHypervisor hv;
  auto spec = testing::three_host_spec();
  spec.hosts[1].image_profile = "standard";
  TeamRange range(hv, spec, fake_options());
  auto up = range.up();
  ASSERT_FALSE(up.ok());
  EXPECT_NE(up.error().message.find("Host 'mail'"), std::string::npos) << up.error().message;
  EXPECT_NE(up.error().message.find("'standard'"), std::string::npos) << up.error().message;
  EXPECT_EQ(hv.object_count(), 0u);
}

TEST(TeamRange, ProvideImagesGivesEveryProfileOfEveryTeamAndPrefersTinyAsTheDefault) {
  // Recipes that only touch their output: the real recipes are exercised by the integration
  // tests; here it is which profiles are built and how the options are filled.
  const auto root = std::filesystem::temp_directory_path() / "cyrange-provide-images-unit";
  std::filesystem::remove_all(root);
  for (const char* profile : {"tiny", "standard"}) {
    std::filesystem::create_directories(root / "recipes" / profile);
    std::ofstream(root / "recipes" / profile / "build.sh")
        << "touch \"$1/data-base.qcow2\" \"$1/root-base.qcow2\"\n";
  }
  ImageBuildOptions build;
  build.recipe_root = (root / "recipes").string();
  build.cache_root = (root / "cache").string();
  auto first = testing::three_host_spec("ex1", "t1");
  auto second = testing::three_host_spec("ex1", "t2");
  second.hosts[0].image_profile = "standard";  // only the second team names it
  TeamRangeOptions options;
  auto provided = provide_images({first, second}, build, options);
  ASSERT_TRUE(provided.ok()) << provided.error().message;
  ASSERT_EQ(options.profile_images.size(), 2u);
  EXPECT_EQ(options.profile_images.at("standard").profile, "standard");
  EXPECT_TRUE(options.profile_images.at("standard").root_disk);
  EXPECT_EQ(options.image.profile, "tiny");
  EXPECT_TRUE(check_profile_images(second, options).ok());

  // A range of standard hosts only: the default image is the standard one.
  for (auto& h : first.hosts) h.image_profile = "standard";
  TeamRangeOptions standard_only;
  ASSERT_TRUE(provide_images({first}, build, standard_only).ok());
  EXPECT_EQ(standard_only.profile_images.size(), 1u);
  EXPECT_EQ(standard_only.image.profile, "standard");
  EXPECT_FALSE(provide_images({RangeSpec{}}, build, standard_only).ok());  // nothing to boot
  std::filesystem::remove_all(root);
}

TEST(TeamRange, ServiceChecksCoverTheStandardServices) {
  // The catalogue the scenario validator accepts is exactly what the engine checks.
  for (const auto& service : known_services())
    EXPECT_FALSE(service_check_command(service).empty()) << service;
  EXPECT_FALSE(is_known_service("gopher"));
  auto proxy = service_check_command("proxy");
  EXPECT_NE(proxy.back().find("3128"), std::string::npos);
  EXPECT_NE(service_check_command("ssh").back().find("SSH-"), std::string::npos);
  EXPECT_TRUE(service_check_command("gopher").empty());
  // IMAP and SMB speak their protocol (dovecot's greeting, Samba's share list).
  EXPECT_NE(service_check_command("imap").back().find("143"), std::string::npos);
  EXPECT_NE(service_check_command("smb").back().find("smbclient"), std::string::npos);
}

TEST(TeamRange, TinyImitatesWebProxyAndSmtpOnlyAndStandardStartsEveryKnownService) {
  for (const auto& service : known_services())
    EXPECT_TRUE(profile_starts_service("standard", service)) << service;
  for (const char* service : {"http", "web", "proxy", "smtp", "mail"})
    EXPECT_TRUE(profile_starts_service("tiny", service)) << service;
  for (const char* service : {"dns", "imap", "smb", "ssh", "gopher"})
    EXPECT_FALSE(profile_starts_service("tiny", service)) << service;
  EXPECT_FALSE(profile_starts_service("standard", "gopher"));
}

TEST(TeamRange, SilentAgentFailsWithTheHostsName) {
  FakeHypervisor hv;
  hv.silent_agents.insert("cyr-ex1-t1-mail");
  TeamRange range(hv, testing::three_host_spec(), fake_options());
  auto st = range.up();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("'mail'"), std::string::npos) << st.error().message;
  EXPECT_EQ(st.error().message.find("'web'"), std::string::npos) << st.error().message;
  for (const auto& h : range.status())
    EXPECT_EQ(h.state, h.name == "mail" ? HostState::failed : HostState::ready) << h.name;
}

TEST(TeamRange, FailingServiceCheckFailsTheHost) {
  FakeHypervisor hv;
  hv.failing_services.insert("cyr-ex1-t1-web");
  TeamRange range(hv, testing::three_host_spec(), fake_options());
  auto st = range.up();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("service 'http'"), std::string::npos) << st.error().message;
}

TEST(TeamRange, DownRemovesEverythingAndOnlyThisTeam) {
  FakeHypervisor hv;
  TeamRange a(hv, testing::three_host_spec("ex1", "t1"), fake_options());
  TeamRange b(hv, testing::three_host_spec("ex1", "t2"), fake_options());
  ASSERT_TRUE(a.up().ok());
  ASSERT_TRUE(b.up().ok());
  std::size_t per_team = hv.object_count() / 2;
  ASSERT_TRUE(a.down().ok());
  EXPECT_EQ(hv.object_count(), per_team);
  EXPECT_TRUE(hv.list(ObjectKind::domain, "cyr-ex1-t1-")->empty());
  EXPECT_EQ(hv.list(ObjectKind::domain, "cyr-ex1-t2-")->size(), 3u);
  ASSERT_TRUE(TeamRange::remove_orphans(hv, "cyr-ex1-").ok());
  EXPECT_EQ(hv.object_count(), 0u);
}

TEST(TeamRange, ExecDecodesOutputAndRejectsUnknownHosts) {
  FakeHypervisor hv;
  hv.exec_stdout = "web\n";
  TeamRange range(hv, testing::three_host_spec(), fake_options());
  ASSERT_TRUE(range.up().ok());
  auto r = range.exec("web", {"/bin/hostname"});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->out, "web\n");
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_FALSE(range.exec("nobody", {"/bin/true"}).has_value());
}

TEST(TeamRange, RemoveOrphansRefusesForeignPrefixes) {
  FakeHypervisor hv;
  EXPECT_FALSE(TeamRange::remove_orphans(hv, "default").ok());
  EXPECT_FALSE(TeamRange::remove_orphans(hv, "").ok());
}

}  // namespace
}  // namespace cyrange::range
