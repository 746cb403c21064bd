// The workforce's history before the exercise start, as written into the guests: bounded
// whole lines in the servers' formats (no guest needed), and on a real tiny proxy guest
// the lines land in front of squid's access.log, once.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include <orchestrator/exercise/workforce_history.h>
#include <orchestrator/inject/guest_runner.h>
#include <orchestrator/range/image_builder.h>
#include <orchestrator/range/libvirt_hypervisor.h>
#include <orchestrator/range/team_range.h>
#include <orchestrator/scenario/parser.h>

namespace cyrange::exercise {
namespace {

// 2026-04-14 10:00 in Japan (UTC+9): a busy weekday morning.
constexpr std::int64_t kStartMs = 1776128400000;

scenario::Scenario kakuu_city() {
  auto loaded = scenario::load_scenario(std::filesystem::path(CYRANGE_SOURCE_DIR) / "scenarios" /
                                        "targeted-email" / "scenario.yaml");
  EXPECT_TRUE(loaded) << loaded.error().message;
  return loaded ? std::move(*loaded) : scenario::Scenario{};
}

long long lines_of(const std::string& text) {
  return static_cast<long long>(std::count(text.begin(), text.end(), '\n'));
}

TEST(WorkforceHistory, IsBoundedWholeLinesOfTheServersLogs) {
  const auto scenario = kakuu_city();
  HistoryBounds bounds;
  bounds.max_bytes_per_log = 64 * 1024;
  auto logs = workforce_history(scenario, 7, "team1", kStartMs, bounds);
  ASSERT_TRUE(logs) << logs.error().message;
  const HistoryLog& proxy = (*logs)[0];
  EXPECT_EQ(proxy.host, "proxy");
  EXPECT_EQ(proxy.path, "/var/log/squid/access.log");
  EXPECT_EQ((*logs)[1].host, "mail");
  EXPECT_EQ((*logs)[3].host, "files");
  for (const auto& log : *logs) {
    EXPECT_LE(log.text.size(), bounds.max_bytes_per_log) << log.path;
    ASSERT_FALSE(log.text.empty()) << log.path;
    EXPECT_EQ(log.text.back(), '\n') << log.path;
  }
  // squid native format: "<unix seconds>.<ms> <elapsed> <client> <code>/<status> ...",
  // every line before the start and the newest ones kept.
  const std::string last = proxy.text.substr(proxy.text.rfind('\n', proxy.text.size() - 2) + 1);
  const long long seconds = std::stoll(last.substr(0, last.find('.')));
  EXPECT_LE(seconds * 1000, kStartMs) << last;
  EXPECT_GE(seconds * 1000, kStartMs - 5 * 60'000) << "the tail is the newest: " << last;
  EXPECT_NE(proxy.text.find(" TCP_"), std::string::npos);

  auto again = workforce_history(scenario, 7, "team1", kStartMs, bounds);
  ASSERT_TRUE(again);
  EXPECT_EQ((*again)[0].text, proxy.text) << "deterministic";
  auto other = workforce_history(scenario, 7, "team2", kStartMs, bounds);
  ASSERT_TRUE(other);
  EXPECT_NE((*other)[0].text, proxy.text) << "another team, another day";
}

TEST(WorkforceHistory, LandsInTheTinyProxysAccessLogOnce) {
  range::ImageBuildOptions image_options;
  image_options.cache_root = "/var/lib/cyrange/images";
  auto image = range::build_image(image_options);
  ASSERT_TRUE(image) << image.error().message;
  auto hv = range::LibvirtHypervisor::connect("qemu:///system");
  ASSERT_TRUE(hv) << hv.error().message;
  ASSERT_TRUE(range::TeamRange::remove_orphans(**hv, "cyr-wfhist-"));
  range::RangeSpec spec;
  spec.exercise = "wfhist";
  spec.team = "team1";
  spec.networks = {{"lan", "10.62.1.0/24"}};
  range::HostSpec proxy;
  proxy.name = "proxy";
  proxy.image_profile = "tiny";
  proxy.role = "proxy";
  proxy.services = {"proxy"};
  proxy.nics = {{"lan", "10.62.1.3/24", ""}};
  spec.hosts = {proxy};
  range::TeamRangeOptions options;
  options.image = *image;
  options.capture_pristine = false;
  range::TeamRange team(**hv, spec, options);
  auto up = team.up();
  ASSERT_TRUE(up) << up.error().message;

  // Kakuu City's mail host serves its DNS; without it the proxy answers, as in this range.
  auto scenario = kakuu_city();
  for (auto& h : scenario.topology.hosts) std::erase(h.services, std::string("dns"));
  inject::TeamTarget target{std::make_shared<inject::RangeGuestRunner>(team),
                            inject::HostDirectory::from_spec(team.spec())};
  auto expected = workforce_history(scenario, 7, "team1", kStartMs);
  ASSERT_TRUE(expected) << expected.error().message;
  auto before = team.exec("proxy", {"/bin/sh", "-c", "cat /var/log/squid/access.log"});
  ASSERT_TRUE(before);
  auto written = write_workforce_history(scenario, 7, "team1", target, kStartMs);
  ASSERT_TRUE(written) << written.error().message;
  // Only the proxy is in this range; it also answers DNS (no host has the dns role).
  EXPECT_EQ((*expected)[2].host, "proxy");
  EXPECT_EQ(*written, lines_of((*expected)[0].text) + lines_of((*expected)[2].text));
  EXPECT_GT(lines_of((*expected)[0].text), 500);

  auto log = team.exec("proxy", {"/bin/sh", "-c", "cat /var/log/squid/access.log"});
  ASSERT_TRUE(log);
  EXPECT_EQ(log->out.substr(0, (*expected)[0].text.size()), (*expected)[0].text)
      << "the history comes first";
  EXPECT_EQ(log->out.substr((*expected)[0].text.size()), before->out)
      << "what the proxy logged since boot follows it";
  auto grep = team.exec("proxy", {"/bin/sh", "-c", "grep -c TCP_ /var/log/squid/access.log"});
  ASSERT_TRUE(grep);
  EXPECT_GE(std::stoll(grep->out), lines_of((*expected)[0].text));
  auto dns = team.exec("proxy", {"/bin/sh", "-c", "cat /var/log/dnsmasq.log"});
  ASSERT_TRUE(dns);
  EXPECT_EQ(dns->out.substr(0, (*expected)[2].text.size()), (*expected)[2].text);

  auto twice = write_workforce_history(scenario, 7, "team1", target, kStartMs);
  ASSERT_TRUE(twice) << twice.error().message;
  auto after = team.exec("proxy", {"/bin/sh", "-c", "cat /var/log/squid/access.log"});
  ASSERT_TRUE(after);
  EXPECT_EQ(after->out, log->out) << "written once per guest";
  EXPECT_TRUE(team.down());
}

}  // namespace
}  // namespace cyrange::exercise
