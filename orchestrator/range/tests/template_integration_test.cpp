// Hosts restored from a captured template on qemu:///system: each takes its own identity, and a
// template that cannot be loaded makes the host boot instead.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include <orchestrator/range/naming.h>
#include <orchestrator/range/range_xml.h>
#include <orchestrator/range/team_range.h>
#include <orchestrator/range/templates.h>
#include <orchestrator/range/tests/real_guests.h>
#include <orchestrator/range/tests/test_spec.h>

namespace cyrange::range {
namespace {

class RangeTemplates : public testing::RealGuestsTest {
 protected:
  void SetUp() override {
    RealGuestsTest::SetUp();
    if (HasFatalFailure()) return;
    options_.capture_pristine = false;
    spec_.exercise = "itpl";
    spec_.team = "t1";
    spec_.networks = {{"lan", "10.60.1.0/24"}};
    spec_.hosts = {testing::make_host("web", "web", {"http"}, {{"lan", "10.60.1.10/24", ""}}),
                   testing::make_host("ws1", "workstation", {}, {{"lan", "10.60.1.21/24", ""}}),
                   testing::make_host("ws2", "workstation", {}, {{"lan", "10.60.1.22/24", ""}})};
    ASSERT_TRUE(TeamRange::remove_orphans(*hv_, "cyr-itpl-").ok());
  }
  std::string run(TeamRange& range, const std::string& host, const std::string& script) {
    auto r = range.exec(host, {"/bin/sh", "-c", script});
    EXPECT_TRUE(r.has_value() && r->exit_code == 0)
        << host << ": " << script << ": " << (r ? r->err : r.error().message);
    return r ? r->out : "";
  }
  std::string template_path() {
    TemplateShape shape{
        options_.image,         128, 1, 1, std::max(options_.disk_bytes, options_.image.disk_bytes),
        hv_->domain_type().type};
    return options_.image.dir + "/template-" + template_key(shape) + ".qcow2";
  }
  RangeSpec spec_;
};

TEST_F(RangeTemplates, RestoredHostsTakeTheirOwnNameAddressMacClockAndEntropy) {
  TeamRange range(*hv_, spec_, options_);
  auto up = range.up();
  ASSERT_TRUE(up.ok()) << up.error().message;
  EXPECT_TRUE(std::filesystem::exists(template_path())) << template_path();

  std::string randoms;
  for (std::size_t i = 0; i < spec_.hosts.size(); ++i) {
    const HostSpec& host = spec_.hosts[i];
    // Restored, not booted: the kernel still carries the template's command line.
    EXPECT_NE(run(range, host.name, "cat /proc/cmdline").find("cyrange.template=1"),
              std::string::npos)
        << host.name << " was booted, not restored";
    EXPECT_EQ(run(range, host.name, "hostname"), host.name + "\n");
    EXPECT_EQ(run(range, host.name, "cat /sys/class/net/eth0/address"),
              mac_address(spec_, host, 0) + "\n");
    EXPECT_NE(run(range, host.name, "ip -4 addr show eth0").find(host.nics[0].address),
              std::string::npos);
    auto guest_now = std::stoll(run(range, host.name, "date +%s"));
    auto now = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    EXPECT_LE(std::llabs(guest_now - now), 30) << host.name << "'s clock was not set";
    randoms += run(range, host.name, "head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \\n'") + "/";
  }
  // Copies of one memory image share its entropy pool unless each is reseeded.
  auto first = randoms.substr(0, randoms.find('/'));
  EXPECT_EQ(randoms.find(first, first.size() + 1), std::string::npos) << randoms;
  // Renamed MACs must be what the segment sees: ARP and the web server work across hosts.
  run(range, "ws1", "ping -c 1 -W 3 10.60.1.22");
  EXPECT_NE(
      run(range, "ws1", "ip neigh show 10.60.1.22").find(mac_address(spec_, spec_.hosts[2], 0)),
      std::string::npos);
  EXPECT_NE(run(range, "ws2", "wget -q -O - http://10.60.1.10/").find("cyrange tiny guest"),
            std::string::npos);
  ASSERT_TRUE(range.down().ok());
  expect_nothing_left("cyr-itpl-");
  expect_nothing_left("cyrange-tpl-");
}

TEST_F(RangeTemplates, ATemplateThatCannotLoadIsDiscardedAndTheHostBoots) {
  spec_.hosts.resize(1);
  {
    TemplateStore store;
    TemplateShape shape{
        options_.image,         128, 1, 1, std::max(options_.disk_bytes, options_.image.disk_bytes),
        hv_->domain_type().type};
    ASSERT_TRUE(store.ensure(*hv_, shape).has_value());
  }
  std::ofstream(template_path(), std::ios::trunc) << "not a qcow2 image";
  TeamRange range(*hv_, spec_, options_);
  auto up = range.up();
  ASSERT_TRUE(up.ok()) << up.error().message;
  EXPECT_EQ(run(range, "web", "cat /proc/cmdline").find("cyrange.template=1"), std::string::npos)
      << "the host cannot have been restored from a broken template";
  EXPECT_EQ(run(range, "web", "hostname"), "web\n");
  EXPECT_FALSE(std::filesystem::exists(template_path())) << "the broken template was kept";
  ASSERT_TRUE(range.down().ok());
  expect_nothing_left("cyr-itpl-");
}

}  // namespace
}  // namespace cyrange::range
