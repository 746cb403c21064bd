// `cyrange range up` run as a child process on qemu:///system with a throw-away PostgreSQL
// database, for a scenario whose hosts use both image profiles: the CLI builds each profile's
// image the way cyranged does (range::provide_images), so the standard host boots Debian with
// the real postfix and dovecot and the tiny host the busybox image. (The CLI once built only
// tiny, and a standard host silently booted it.)
#include <chrono>
#include <iostream>
#include <string>

#include <gtest/gtest.h>

#include <orchestrator/cli/tests/cli_process.h>
#include <orchestrator/range/guest_agent.h>
#include <orchestrator/range/libvirt_hypervisor.h>
#include <orchestrator/store/testing/temp_database.h>

namespace cyrange::cli {
namespace {

using testing::Outcome;

TEST(RangeUpProfilesCli, AStandardHostBootsTheStandardImageAndATinyHostTheTinyOne) {
  store::testing::TempDatabase db;
  auto cyrange = [&](const std::string& args) {
    return testing::run_cyrange("range --db '" + db.uri() + "' " + args, CYRANGE_SOURCE_DIR,
                                /*with_stderr=*/true);
  };
  (void)cyrange("down --exercise clistd");  // leftovers of a killed run

  const auto started = std::chrono::steady_clock::now();
  const Outcome up =
      cyrange("up orchestrator/cli/tests/data/standard-host.yaml --exercise clistd --teams 1");
  std::cout << "cyrange range up (standard + tiny host): "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()
            << " s\n";
  EXPECT_EQ(up.status, 0) << up.out;
  EXPECT_NE(up.out.find("Ranges are ready"), std::string::npos) << up.out;

  auto hv = range::LibvirtHypervisor::connect("qemu:///system");
  ASSERT_TRUE(hv.has_value()) << hv.error().message;
  if (up.status == 0) {
    // The mail host runs Debian with its role's daemons; the workstation is busybox.
    auto debian =
        range::guest_exec(**hv, "cyr-clistd-t1-mail",
                          {"/bin/sh", "-c", "cat /etc/debian_version && pgrep -x dovecot"});
    ASSERT_TRUE(debian.has_value()) << debian.error().message;
    EXPECT_EQ(debian->exit_code, 0) << debian->out << debian->err;
    EXPECT_EQ(debian->out.rfind("12.", 0), 0u) << debian->out;
    auto tiny = range::guest_exec(**hv, "cyr-clistd-t1-ws",
                                  {"/bin/sh", "-c", "test -e /etc/debian_version; echo $?"});
    ASSERT_TRUE(tiny.has_value()) << tiny.error().message;
    EXPECT_EQ(tiny->out, "1\n") << "the tiny workstation booted the Debian image";
  }

  const Outcome down = cyrange("down --exercise clistd");
  EXPECT_EQ(down.status, 0) << down.out;
  for (auto kind :
       {range::ObjectKind::domain, range::ObjectKind::network, range::ObjectKind::pool}) {
    auto left = (*hv)->list(kind, "cyr-clistd-");
    ASSERT_TRUE(left.has_value());
    EXPECT_TRUE(left->empty()) << left->front().name << " leaked";
  }
}

}  // namespace
}  // namespace cyrange::cli
