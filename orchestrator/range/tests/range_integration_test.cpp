// Real guests on qemu:///system: image build, a 3-host range on 2 isolated
// segments, agent exec, segment isolation by ping, and a leak-free teardown.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <sstream>

#include <orchestrator/range/provision_bench.h>
#include <orchestrator/range/libvirt_hypervisor.h>
#include <orchestrator/range/range_cli.h>
#include <orchestrator/range/team_range.h>
#include <orchestrator/range/tests/test_spec.h>

namespace cyrange::range {
namespace {

TEST(RangeIntegration, ThreeHostRangeOnTwoSegments) {
  const std::string cache = "/var/lib/cyrange/images";
  auto t0 = std::chrono::steady_clock::now();
  ImageBuildOptions image_options;
  image_options.cache_root = cache;
  auto image = build_image(image_options);
  ASSERT_TRUE(image.has_value()) << image.error().message;
  std::cout << "image build: " << seconds_since(t0) << " s (cache_hit=" << image->cache_hit
            << ")\n";
  t0 = std::chrono::steady_clock::now();
  auto again = build_image(image_options);
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(again->cache_hit);
  EXPECT_EQ(again->dir, image->dir);
  std::cout << "image build (cached): " << seconds_since(t0) << " s\n";

  auto hv = LibvirtHypervisor::connect("qemu:///system");
  ASSERT_TRUE(hv.has_value()) << hv.error().message;
  auto spec = testing::three_host_spec("itest", "t1");
  ASSERT_TRUE(TeamRange::remove_orphans(**hv, "cyr-itest-").ok());  // leftovers of a killed run

  TeamRangeOptions options;
  options.image = *image;
  options.pool_root = "/var/lib/cyrange/pools";
  TeamRange range(**hv, spec, options);
  int last_percent = -1;
  t0 = std::chrono::steady_clock::now();
  auto up = range.up([&](const ProgressEvent& e) { last_percent = e.percent; });
  std::cout << "range up (3 hosts): " << seconds_since(t0) << " s\n";
  ASSERT_TRUE(up.ok()) << up.error().message;
  EXPECT_EQ(last_percent, 100);

  auto hostname = range.exec("web", {"/bin/hostname"});
  ASSERT_TRUE(hostname.has_value()) << hostname.error().message;
  EXPECT_EQ(hostname->out, "web\n");
  auto addr = range.exec("mail", {"/bin/ip", "-4", "addr"});
  ASSERT_TRUE(addr.has_value());
  EXPECT_NE(addr->out.find("10.0.1.25/24"), std::string::npos) << addr->out;
  EXPECT_NE(addr->out.find("10.0.2.25/24"), std::string::npos) << addr->out;
  auto disk = range.exec("ws", {"/bin/cat", "/data/cyrange-disk"});
  ASSERT_TRUE(disk.has_value());
  EXPECT_EQ(disk->out, "cyrange tiny data disk\n") << "the qcow2 overlay disk is not mounted";

  // Same segment: web reaches mail on dmz. Different segment: web has no way to ws.
  auto same = range.exec("web", {"/bin/ping", "-c", "1", "-W", "3", "10.0.1.25"});
  ASSERT_TRUE(same.has_value());
  EXPECT_EQ(same->exit_code, 0) << same->out << same->err;
  auto cross = range.exec("web", {"/bin/ping", "-c", "1", "-W", "2", "10.0.2.50"});
  ASSERT_TRUE(cross.has_value());
  EXPECT_NE(cross->exit_code, 0) << "web reached ws although they share no segment";
  auto lan = range.exec("ws", {"/bin/ping", "-c", "1", "-W", "3", "10.0.2.25"});
  ASSERT_TRUE(lan.has_value());
  EXPECT_EQ(lan->exit_code, 0) << lan->out << lan->err;

  t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(range.down().ok());
  std::cout << "range down: " << seconds_since(t0) << " s\n";
  for (auto kind : {ObjectKind::domain, ObjectKind::network, ObjectKind::pool}) {
    auto left = (*hv)->list(kind, "cyr-itest-");
    ASSERT_TRUE(left.has_value());
    EXPECT_TRUE(left->empty()) << left->front().name << " leaked";
  }
  EXPECT_FALSE(std::filesystem::exists("/var/lib/cyrange/pools/itest"));
}

// The functions behind `cyrange range up|status|down`, on one real guest.
TEST(RangeIntegration, CliUpStatusDownOnOneHost) {
  RangeSpec spec;
  spec.exercise = "iclitest";
  spec.team = "blue";
  spec.networks = {{"dmz", "10.9.1.0/24"}};
  spec.hosts = {testing::make_host("proxy", "proxy", {"proxy"}, {{"dmz", "10.9.1.3/24", ""}})};
  std::ostringstream log;
  ASSERT_TRUE(run_range_down("iclitest", log).ok());  // leftovers of a killed run
  std::ostringstream up;
  auto st = run_range_up(spec, up);
  std::cout << up.str();
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_NE(up.str().find("100%"), std::string::npos);
  EXPECT_NE(up.str().find("dmz:10.9.1.3/24"), std::string::npos);

  std::ostringstream status;
  ASSERT_TRUE(run_range_status("iclitest", status).ok());
  EXPECT_NE(status.str().find("cyr-iclitest-blue-proxy"), std::string::npos) << status.str();
  EXPECT_NE(status.str().find("3 objects"), std::string::npos) << status.str();

  std::ostringstream down, after;
  ASSERT_TRUE(run_range_down("iclitest", down).ok());
  ASSERT_TRUE(run_range_status("iclitest", after).ok());
  EXPECT_NE(after.str().find("0 objects"), std::string::npos) << after.str();
}

}  // namespace
}  // namespace cyrange::range
