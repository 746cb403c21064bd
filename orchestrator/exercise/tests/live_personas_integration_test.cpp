// Live personas on real tiny guests: the clerk of tests/data/live-office.yaml browses the
// intranet through the proxy and mails a colleague while a test-driven exercise clock
// runs; its requests land in the proxy's access log, its mails in the mail server's log
// and mailbox. The lure-opening step acting as the clerk runs on the clerk's workstation.
#include <gtest/gtest.h>

#include <filesystem>
#include <mutex>
#include <thread>

#include <orchestrator/exercise/live_personas.h>
#include <orchestrator/inject/guest_runner.h>
#include <orchestrator/inject/inject_executor.h>
#include <orchestrator/range/image_builder.h>
#include <orchestrator/range/libvirt_hypervisor.h>
#include <orchestrator/range/team_range.h>
#include <orchestrator/scenario/parser.h>
#include <orchestrator/scenario/to_range.h>
#include <orchestrator/scenario/variables.h>
#include <orchestrator/timeline/compile.h>

namespace cyrange::exercise {
namespace {

using std::chrono::milliseconds;

class TestClock {
 public:
  void set(double now) {
    std::lock_guard lock(mutex_);
    now_ = now;
  }
  ExerciseTimeFn fn() {
    return [this](const std::string&) -> std::optional<double> {
      std::lock_guard lock(mutex_);
      return now_;
    };
  }

 private:
  std::mutex mutex_;
  double now_ = 0;
};

std::string run(range::TeamRange& team, const std::string& host, const std::string& script) {
  auto r = team.exec(host, {"/bin/sh", "-c", script});
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  return r ? r->out : "";
}

TEST(LivePersonasOnGuests, BrowseAndMailLandInTheServersLogsAsThePersona) {
  auto loaded = scenario::load_scenario(std::filesystem::path(CYRANGE_SOURCE_DIR) /
                                        "orchestrator/exercise/tests/data/live-office.yaml");
  ASSERT_TRUE(loaded) << loaded.error().message;
  const scenario::Scenario& s = *loaded;
  const auto vars = scenario::resolve_variables(s, 7, "team1");

  range::ImageBuildOptions image_options;
  image_options.cache_root = "/var/lib/cyrange/images";
  auto image = range::build_image(image_options);
  ASSERT_TRUE(image) << image.error().message;
  auto hv = range::LibvirtHypervisor::connect("qemu:///system");
  ASSERT_TRUE(hv) << hv.error().message;
  ASSERT_TRUE(range::TeamRange::remove_orphans(**hv, "cyr-livepers-"));
  range::TeamRangeOptions options;
  options.image = *image;
  options.capture_pristine = false;
  range::TeamRange team(**hv, scenario::to_range_spec(s, vars, "livepers", "team1"), options);
  auto up = team.up();
  ASSERT_TRUE(up) << up.error().message;
  run(team, "intranet", "mkdir -p /www && echo '<html>notices</html>' > /www/index.html");

  auto guests = std::make_shared<inject::RangeGuestRunner>(team);
  const auto hosts = inject::HostDirectory::from_spec(team.spec());
  inject::TargetResolver resolve = [&](const std::string&,
                                       const std::string&) -> Expected<inject::TeamTarget> {
    return inject::TeamTarget{guests, hosts};
  };
  auto teams = live_personas(s, {"team1"}, 7);
  ASSERT_EQ(teams.size(), 1u);
  const TeamPersona& clerk = teams[0].personas[0];
  workforce::LiveSchedule schedule(clerk.plan, teams[0].root);

  TestClock clock;
  LivePersonaRunner runner(resolve, clock.fn(), milliseconds(100));
  runner.watch("livepers", teams);
  // Move the exercise clock to each action in turn until the clerk has browsed and mailed.
  std::vector<std::string> browsed, mailed;
  for (int i = 0; i < 12 && (browsed.empty() || mailed.empty()); ++i) {
    const workforce::LiveAction action = schedule.pop();
    clock.set(action.at);
    for (int wait = 0; wait < 1200; ++wait) {
      const LiveStats stats = runner.stats("livepers");
      if (stats.done + stats.failed == i + 1) break;
      std::this_thread::sleep_for(milliseconds(100));
    }
    (action.kind == workforce::LiveActionKind::browse ? browsed : mailed).push_back(action.target);
  }
  runner.forget("livepers");
  const LiveStats stats = runner.stats("livepers");
  EXPECT_EQ(stats.failed, 0);
  EXPECT_EQ(stats.skipped, 0);
  EXPECT_EQ(stats.done, static_cast<long long>(browsed.size() + mailed.size()));
  ASSERT_FALSE(browsed.empty());
  ASSERT_FALSE(mailed.empty());

  const std::string access = run(team, "proxy", "cat /var/log/squid/access.log");
  for (const auto& url : browsed)
    EXPECT_NE(access.find(" GET " + url + " "), std::string::npos) << url << "\n" << access;
  EXPECT_NE(access.find("TCP_MISS/200"), std::string::npos) << access;
  const std::string history = run(team, "ws01", "cat /var/log/cyrange-sim/browser.log");
  EXPECT_NE(history.find("user=" + vars.at("clerk") + " url=" + browsed.front()), std::string::npos)
      << history;

  const std::string mail_log = run(team, "mail", "cat /var/log/mail.log");
  EXPECT_NE(mail_log.find("client=unknown[10.63.7.10]"), std::string::npos) << mail_log;
  EXPECT_NE(mail_log.find("from=<" + clerk.mailbox + ">"), std::string::npos) << mail_log;
  const std::string mailbox = run(team, "mail", "cat /var/mail/colleague");
  EXPECT_NE(mailbox.find("From: " + clerk.mailbox), std::string::npos) << mailbox;

  // The scenario's lure step acts as the clerk: on ws01, under the clerk's login.
  const auto items = timeline::compile_timeline(s, vars);
  const auto opens = std::find_if(items.begin(), items.end(),
                                  [](const timeline::TimelineItem& i) { return i.id == "opens"; });
  ASSERT_NE(opens, items.end());
  inject::InjectExecutor executor(resolve);
  timeline::StepContext context{4242, 1, "livepers", "team1", &*opens, 60};
  ASSERT_TRUE(executor.execute(context));
  const std::string process = run(team, "ws01", "cat /var/log/cyrange-sim/process.log");
  EXPECT_NE(process.find("user=" + vars.at("clerk") + " parent=explorer.exe cmd=\"invoice.doc\""),
            std::string::npos)
      << process;
  EXPECT_FALSE(run(team, "ws01", "ls /home/" + vars.at("clerk") + "/Downloads").empty());
  EXPECT_TRUE(team.down());
}

}  // namespace
}  // namespace cyrange::exercise
