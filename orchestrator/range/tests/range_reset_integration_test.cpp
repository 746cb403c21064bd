// Real guests on qemu:///system: pristine reset, two isolated teams of the same
// spec, and a router with firewall rules joining two segments.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include <orchestrator/range/provision_bench.h>
#include <orchestrator/range/image_builder.h>
#include <orchestrator/range/libvirt_hypervisor.h>
#include <orchestrator/range/naming.h>
#include <orchestrator/range/range_set.h>
#include <orchestrator/range/team_range.h>
#include <orchestrator/range/tests/real_guests.h>
#include <orchestrator/range/tests/test_spec.h>

namespace cyrange::range {
namespace {

std::string host_command(const std::string& cmd) {
  std::string out;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
  if (!pipe) return out;
  std::array<char, 512> buf{};
  while (fgets(buf.data(), buf.size(), pipe.get())) out += buf.data();
  return out;
}

using RangeRealGuests = testing::RealGuestsTest;

TEST_F(RangeRealGuests, ResetReturnsGuestsToTheirPristineMemoryAndDisk) {
  ASSERT_TRUE(TeamRange::remove_orphans(*hv_, "cyr-ireset-").ok());
  RangeSpec spec;
  spec.exercise = "ireset";
  spec.team = "t1";
  spec.networks = {{"dmz", "10.40.1.0/24"}};
  spec.hosts = {testing::make_host("web", "web", {"http"}, {{"dmz", "10.40.1.10/24", ""}}),
                testing::make_host("ws", "workstation", {}, {{"dmz", "10.40.1.20/24", ""}})};
  TeamRange range(*hv_, spec, options_);
  auto t0 = std::chrono::steady_clock::now();
  auto up = range.up();
  std::cout << "range up + pristine capture (2 hosts): " << seconds_since(t0) << " s\n";
  ASSERT_TRUE(up.ok()) << up.error().message;
  ASSERT_TRUE(range.has_pristine());

  for (const std::string host : {"web", "ws"}) {
    auto dirty =
        range.exec(host, {"/bin/sh", "-c", "echo x > /tmp/dirty && echo y > /data/dirty && sync"});
    ASSERT_TRUE(dirty.has_value() && dirty->exit_code == 0) << host;
  }
  ASSERT_EQ(range.exec("ws", {"/bin/cat", "/data/dirty"})->out, "y\n");
  ASSERT_EQ(range.exec("web", {"/bin/kill", "-9", "-1"}).has_value(), false)
      << "killing every process, the agent too, must cut the agent off";

  for (int round = 1; round <= 2; ++round) {
    t0 = std::chrono::steady_clock::now();
    auto reset = range.reset();
    std::cout << "reset round " << round << " (2 hosts): " << seconds_since(t0) << " s\n";
    ASSERT_TRUE(reset.ok()) << reset.error().message;
    for (const std::string host : {"web", "ws"}) {
      auto mem = range.exec(host, {"/bin/sh", "-c", "test -e /tmp/dirty"});
      ASSERT_TRUE(mem.has_value()) << host << ": " << mem.error().message;
      EXPECT_NE(mem->exit_code, 0) << host << ": /tmp/dirty survived the reset";
      auto disk = range.exec(host, {"/bin/sh", "-c", "test -e /data/dirty"});
      ASSERT_TRUE(disk.has_value());
      EXPECT_NE(disk->exit_code, 0) << host << ": /data/dirty survived the reset";
      EXPECT_EQ(range.exec(host, {"/bin/cat", "/data/cyrange-disk"})->out,
                "cyrange tiny data disk\n");
    }
    auto http = range.exec("ws", {"/bin/wget", "-q", "-O", "-", "http://10.40.1.10/"});
    ASSERT_TRUE(http.has_value());
    EXPECT_NE(http->out.find("cyrange tiny guest"), std::string::npos) << "web's httpd is not back";
    ASSERT_TRUE(range.exec("ws", {"/bin/sh", "-c", "echo z > /tmp/dirty"}).has_value());
  }

  t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(range.down().ok());
  std::cout << "range down: " << seconds_since(t0) << " s\n";
  expect_nothing_left("cyr-ireset-");
}

TEST_F(RangeRealGuests, TwoTeamsOfOneSpecCannotReachEachOtherOrTheHost) {
  ASSERT_TRUE(TeamRange::remove_orphans(*hv_, "cyr-iiso-").ok());
  RangeSpec spec;
  spec.exercise = "iiso";
  spec.networks = {{"lan", "10.50.1.0/24"}};
  spec.hosts = {
      testing::make_host("a", "workstation", {}, {{"lan", "10.50.1.10/24", "10.50.1.1"}}),
      testing::make_host("b", "workstation", {}, {{"lan", "10.50.1.20/24", "10.50.1.1"}})};
  RangeSet set(*hv_, spec, {"t1", "t2"}, options_, 4);
  auto t0 = std::chrono::steady_clock::now();
  auto up = set.up();
  std::cout << "two teams up (4 hosts): " << seconds_since(t0) << " s\n";
  ASSERT_TRUE(up.ok()) << up.error().message;
  TeamRange& t1 = *set.team("t1");
  TeamRange& t2 = *set.team("t2");

  // A marker address only team t2 has; same CIDR in both teams.
  auto mark =
      t2.exec("b", {"/bin/sh", "-c",
                    "ip addr add 10.50.1.99/24 dev $(ls /sys/class/net | grep -v lo | head -n 1)"});
  ASSERT_TRUE(mark.has_value() && mark->exit_code == 0)
      << (mark ? mark->err : mark.error().message);
  auto inside = t2.exec("a", {"/bin/ping", "-c", "1", "-W", "3", "10.50.1.99"});
  ASSERT_TRUE(inside.has_value());
  EXPECT_EQ(inside->exit_code, 0) << "control: t2's own host must answer";
  auto across = t1.exec("a", {"/bin/ping", "-c", "1", "-W", "2", "10.50.1.99"});
  ASSERT_TRUE(across.has_value());
  EXPECT_NE(across->exit_code, 0) << "team t1 reached team t2's host";

  // The same address answers in t1, but from t1's own guest (by MAC).
  ASSERT_EQ(t1.exec("a", {"/bin/ping", "-c", "1", "-W", "3", "10.50.1.20"})->exit_code, 0);
  auto neigh = t1.exec("a", {"/bin/ip", "neigh", "show", "10.50.1.20"});
  ASSERT_TRUE(neigh.has_value());
  RangeSpec s1 = spec, s2 = spec;
  s1.team = "t1";
  s2.team = "t2";
  EXPECT_NE(neigh->out.find(mac_address(s1, spec.hosts[1], 0)), std::string::npos) << neigh->out;
  EXPECT_EQ(neigh->out.find(mac_address(s2, spec.hosts[1], 0)), std::string::npos) << neigh->out;

  // The host machine: none of its addresses, nor a gateway-like or outside address, answers.
  std::vector<std::string> targets = {"10.50.1.1", "10.50.1.254", "192.168.122.1", "10.0.2.2",
                                      "8.8.8.8"};
  std::string host_addrs =
      host_command("ip -4 -o addr show | awk '{print $4}' | cut -d/ -f1 | grep -v '^127\\.'");
  for (std::size_t a = 0, b; a < host_addrs.size(); a = b + 1) {
    b = host_addrs.find('\n', a);
    if (b == std::string::npos) b = host_addrs.size();
    if (b > a) targets.push_back(host_addrs.substr(a, b - a));
  }
  for (const auto& target : targets) {
    auto ping = t1.exec("a", {"/bin/ping", "-c", "1", "-W", "1", target});
    ASSERT_TRUE(ping.has_value());
    EXPECT_NE(ping->exit_code, 0) << "a guest reached " << target;
  }
  for (const auto& team : {s1, s2}) {
    const auto name = network_object_name(team, spec.networks[0]);
    auto xml = hv_->network_description(name);
    ASSERT_TRUE(xml.has_value()) << xml.error().message;
    EXPECT_EQ(xml->find("<ip"), std::string::npos) << name << " has a host address:\n" << *xml;
    EXPECT_EQ(xml->find("<forward"), std::string::npos) << name << " forwards:\n" << *xml;
    const auto bridge = bridge_name(team.exercise, team.team, spec.networks[0].name);
    auto addr = host_command("ip -4 addr show dev " + bridge + " 2>&1");
    EXPECT_EQ(addr.find("inet"), std::string::npos) << bridge << ": " << addr;
    EXPECT_EQ(addr.find("does not exist"), std::string::npos) << bridge << ": " << addr;
  }

  ASSERT_TRUE(set.down().ok());
  expect_nothing_left("cyr-iiso-");
}

TEST_F(RangeRealGuests, RouterJoinsSegmentsAndAppliesItsRules) {
  ASSERT_TRUE(TeamRange::remove_orphans(*hv_, "cyr-irouter-").ok());
  RangeSpec spec;
  spec.exercise = "irouter";
  spec.team = "t1";
  spec.networks = {{"office", "10.60.1.0/24"}, {"servers", "10.60.2.0/24"}};
  auto router = testing::make_host(
      "fw", "router", {}, {{"office", "10.60.1.1/24", ""}, {"servers", "10.60.2.1/24", ""}});
  router.config["router.rules"] =
      "deny tcp from office to servers ports 80\nallow any from any to any\n";
  spec.hosts = {
      testing::make_host("pc", "workstation", {}, {{"office", "10.60.1.10/24", "10.60.1.1"}}),
      router,
      testing::make_host("srv", "web", {"http", "smtp"},
                         {{"servers", "10.60.2.10/24", "10.60.2.1"}})};
  auto options = options_;
  options.capture_pristine = false;
  TeamRange range(*hv_, spec, options);
  auto up = range.up();
  ASSERT_TRUE(up.ok()) << up.error().message;

  auto ping = range.exec("pc", {"/bin/ping", "-c", "1", "-W", "3", "10.60.2.10"});
  ASSERT_TRUE(ping.has_value());
  EXPECT_EQ(ping->exit_code, 0) << "pc did not reach srv through the router: " << ping->out;
  auto smtp = range.exec("pc", {"/bin/sh", "-c", "echo QUIT | nc -w 3 10.60.2.10 25"});
  ASSERT_TRUE(smtp.has_value());
  EXPECT_NE(smtp->out.find("220 "), std::string::npos)
      << "allowed tcp/25 did not pass: " << smtp->out;
  auto http =
      range.exec("pc", {"/bin/timeout", "4", "/bin/wget", "-q", "-O", "-", "http://10.60.2.10/"});
  ASSERT_TRUE(http.has_value());
  EXPECT_NE(http->exit_code, 0) << "tcp/80 passed although the router denies it: " << http->out;
  auto local =
      range.exec("srv", {"/bin/timeout", "4", "/bin/wget", "-q", "-O", "-", "http://127.0.0.1/"});
  ASSERT_TRUE(local.has_value());
  EXPECT_EQ(local->exit_code, 0) << "control: srv's httpd must answer locally";
  EXPECT_NE(local->out.find("cyrange tiny guest"), std::string::npos) << local->out;
  auto fw_err = range.exec(
      "fw", {"/bin/sh", "-c", "cat /run/cyrange-firewall.err 2>/dev/null; iptables -S FORWARD"});
  ASSERT_TRUE(fw_err.has_value());
  EXPECT_NE(fw_err->out.find("--dports 80 -j DROP"), std::string::npos) << fw_err->out;

  // Control: without the rules the same request passes, so the rule (not the path) stopped it.
  ASSERT_EQ(range.exec("fw", {"/usr/sbin/iptables", "-F", "FORWARD"})->exit_code, 0);
  auto open =
      range.exec("pc", {"/bin/timeout", "4", "/bin/wget", "-q", "-O", "-", "http://10.60.2.10/"});
  ASSERT_TRUE(open.has_value());
  EXPECT_NE(open->out.find("cyrange tiny guest"), std::string::npos) << "exit " << open->exit_code;

  // Only via the router: once it stops forwarding, the segments are apart.
  auto off = range.exec("fw", {"/bin/sh", "-c", "echo 0 > /proc/sys/net/ipv4/ip_forward"});
  ASSERT_TRUE(off.has_value() && off->exit_code == 0);
  auto cut = range.exec("pc", {"/bin/ping", "-c", "1", "-W", "2", "10.60.2.10"});
  ASSERT_TRUE(cut.has_value());
  EXPECT_NE(cut->exit_code, 0) << "pc reached srv without the router forwarding";

  ASSERT_TRUE(range.down().ok());
  expect_nothing_left("cyr-irouter-");
}

}  // namespace
}  // namespace cyrange::range
