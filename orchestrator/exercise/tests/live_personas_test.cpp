// Live personas on the fake guest runner with an exercise clock the test moves: what
// the scenario resolves to per team, what one action runs in which guest, and the
// runner's schedule (pause, catching up, failures counted, never replayed).
#include <gtest/gtest.h>

#include <mutex>
#include <filesystem>
#include <thread>

#include <orchestrator/exercise/live_personas.h>
#include <orchestrator/inject/guest_runner.h>
#include <orchestrator/scenario/parser.h>
#include <orchestrator/scenario/variables.h>
#include <orchestrator/timeline/compile.h>
#include <orchestrator/timeline/store.h>
#include <orchestrator/workforce/population.h>

namespace cyrange::exercise {
namespace {

using std::chrono::milliseconds;

scenario::Scenario live_office() {
  auto loaded = scenario::load_scenario(std::filesystem::path(CYRANGE_SOURCE_DIR) /
                                        "orchestrator/exercise/tests/data/live-office.yaml");
  EXPECT_TRUE(loaded) << loaded.error().message;
  return loaded ? std::move(*loaded) : scenario::Scenario{};
}

inject::HostDirectory office_hosts() {
  inject::HostDirectory hosts;
  hosts.add({"ws01", "workstation", "tiny", {"10.63.7.10"}});
  hosts.add({"proxy", "proxy", "tiny", {"10.63.7.8"}});
  hosts.add({"intranet", "web", "tiny", {"10.63.7.80"}});
  hosts.add({"mail", "mail", "tiny", {"10.63.7.25"}});
  return hosts;
}

// True once `done` holds, polling; false after 20 s (the test then fails on what it checks).
template <class Pred>
bool eventually(Pred done) {
  for (int i = 0; i < 2000 && !done(); ++i) std::this_thread::sleep_for(milliseconds(10));
  return done();
}

TEST(LivePersonas, ResolveEachTeamsPersonaFromTheScenario) {
  const auto s = live_office();
  const auto teams = live_personas(s, {"team1", "team2"}, 7);
  ASSERT_EQ(teams.size(), 2u);
  ASSERT_EQ(teams[0].personas.size(), 1u) << "only the clerk is live";
  const TeamPersona& clerk = teams[0].personas[0];
  const auto vars = scenario::resolve_variables(s, 7, "team1");
  EXPECT_EQ(clerk.plan.persona, "clerk");
  EXPECT_EQ(clerk.workstation, "ws01");
  EXPECT_EQ(clerk.user, vars.at("clerk"));
  EXPECT_EQ(clerk.mailbox, vars.at("clerk") + "@office.example.jp");
  EXPECT_EQ(clerk.proxy, "10.63.7.8:3128");
  EXPECT_EQ(clerk.mail_host, "mail");
  EXPECT_EQ(clerk.plan.start_minute, 510);
  EXPECT_EQ(clerk.plan.end_minute, 1035);
  EXPECT_DOUBLE_EQ(clerk.plan.every_seconds, 120);
  EXPECT_EQ(clerk.plan.browse.size(), 2u);
  EXPECT_EQ(teams[0].root, workforce::stream_root(7, "team1"));
  EXPECT_NE(teams[0].root, teams[1].root);
}

TEST(LivePersonas, AStepActingAsAPersonaRunsOnItsWorkstationUnderItsLogin) {
  const auto s = live_office();
  const auto vars = scenario::resolve_variables(s, 7, "team1");
  const auto items = timeline::compile_timeline(s, vars);
  const auto opens = std::find_if(items.begin(), items.end(),
                                  [](const timeline::TimelineItem& i) { return i.id == "opens"; });
  ASSERT_NE(opens, items.end());
  EXPECT_EQ(opens->target, "ws01");
  EXPECT_EQ(opens->params.at("user"), vars.at("clerk"));
  EXPECT_EQ(opens->params.at("mailbox"), vars.at("clerk") + "@office.example.jp");
}

TEST(LivePersonas, BrowsingFetchesThePageThroughTheProxyFromTheWorkstation) {
  auto teams = live_personas(live_office(), {"team1"}, 7);
  auto runner = std::make_shared<inject::FakeGuestRunner>();
  inject::TeamTarget target{runner, office_hosts()};
  workforce::LiveAction action{3, 600, workforce::LiveActionKind::browse, "http://10.63.7.80/"};
  ASSERT_TRUE(perform_live_action(teams[0].personas[0], action, target,
                                  std::chrono::system_clock::now(), 1));
  const auto calls = runner->calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].host, "ws01");
  const auto& argv = calls[0].argv;
  EXPECT_NE(std::find(argv.begin(), argv.end(), "10.63.7.8:3128"), argv.end());
  EXPECT_NE(std::find(argv.begin(), argv.end(), "http://10.63.7.80/"), argv.end());
  EXPECT_NE(argv[2].find("wget"), std::string::npos);
  EXPECT_NE(argv[2].find("browser.log"), std::string::npos);
}

TEST(LivePersonas, MailIsTheSendMailStepFromTheWorkstationsAddress) {
  auto teams = live_personas(live_office(), {"team1"}, 7);
  const TeamPersona& clerk = teams[0].personas[0];
  auto runner = std::make_shared<inject::FakeGuestRunner>();
  inject::TeamTarget target{runner, office_hosts()};
  workforce::LiveAction action{1, 300, workforce::LiveActionKind::mail,
                               "colleague@office.example.jp"};
  const auto id = live_execution_id("team1", "clerk", 1);
  ASSERT_TRUE(perform_live_action(clerk, action, target, std::chrono::system_clock::now(), id));
  // A mail host without an MTA (the fake answers nothing): the step kit's mbox delivery.
  const auto spooled = runner->files("mail");
  ASSERT_EQ(spooled.size(), 1u);
  const std::string mail = runner->file("mail", spooled[0]);
  EXPECT_NE(mail.find("From: " + clerk.mailbox), std::string::npos) << mail;
  EXPECT_NE(mail.find("To: colleague@office.example.jp"), std::string::npos) << mail;
  bool logged = false;
  for (const auto& call : runner->calls())
    logged = logged || (call.host == "mail" &&
                        call.argv[2].find("client=unknown[10.63.7.10]") != std::string::npos);
  EXPECT_TRUE(logged) << "the mail log names the workstation as the client";
  EXPECT_GE(id, 1'000'000'000'000'000LL);
  EXPECT_NE(id, live_execution_id("team2", "clerk", 1));
  EXPECT_NE(id, live_execution_id("team1", "clerk", 2));
}

TEST(LivePersonas, SeeTheExerciseClockOnlyWhileItRuns) {
  auto wall = std::make_shared<timeline::ManualTimeSource>();
  auto hub =
      std::make_shared<timeline::TimelineHub>(std::make_shared<timeline::MemoryTimelineStore>(),
                                              std::make_shared<timeline::MessageExecutor>(), wall);
  const ExerciseTimeFn time = running_exercise_time(hub);
  EXPECT_FALSE(time("ex")) << "an unknown exercise";
  ASSERT_TRUE(hub->arm("ex", live_office(), {"team1"}, 7));
  EXPECT_FALSE(time("ex")) << "armed, not started";
  auto timeline = hub->find("ex");
  ASSERT_TRUE(timeline);
  ASSERT_TRUE((*timeline)->start());
  ASSERT_TRUE((*timeline)->set_speed(60));
  wall->advance(2);
  ASSERT_TRUE(time("ex"));
  EXPECT_DOUBLE_EQ(*time("ex"), 120);
  ASSERT_TRUE((*timeline)->pause());
  wall->advance(10);
  EXPECT_FALSE(time("ex")) << "paused: the personas wait";
  ASSERT_TRUE((*timeline)->resume());
  wall->advance(1);
  EXPECT_DOUBLE_EQ(*time("ex"), 180);
}

// The runner's view of the exercise clock, moved by the test (both fields at once).
class FakeClock {
 public:
  void set(bool running, double now) {
    std::lock_guard lock(mutex_);
    running_ = running;
    now_ = now;
  }
  ExerciseTimeFn fn() {
    return [this](const std::string&) -> std::optional<double> {
      std::lock_guard lock(mutex_);
      if (!running_) return std::nullopt;
      return now_;
    };
  }

 private:
  std::mutex mutex_;
  bool running_ = false;
  double now_ = 0;
};

class LiveRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    teams_ = live_personas(live_office(), {"team1"}, 7);
    ASSERT_EQ(teams_.size(), 1u);
    guests_ = std::make_shared<inject::FakeGuestRunner>();
    resolve_ = [this](const std::string&, const std::string& team) -> Expected<inject::TeamTarget> {
      if (team != "team1") return make_error(ErrorCode::not_found, "No such team.");
      return inject::TeamTarget{guests_, office_hosts()};
    };
  }
  // The schedule the runner follows, drawn again by the test.
  std::vector<workforce::LiveAction> expected(int n) const {
    workforce::LiveSchedule schedule(teams_[0].personas[0].plan, teams_[0].root);
    std::vector<workforce::LiveAction> out;
    for (int i = 0; i < n; ++i) out.push_back(schedule.pop());
    return out;
  }
  std::size_t calls_on(const std::string& host) const {
    std::size_t n = 0;
    for (const auto& c : guests_->calls()) n += c.host == host;
    return n;
  }

  std::vector<TeamPersonas> teams_;
  std::shared_ptr<inject::FakeGuestRunner> guests_;
  inject::TargetResolver resolve_;
  FakeClock clock_;
};

TEST_F(LiveRunnerTest, ActsWhenDueWaitsWhilePausedAndNeverReplaysABacklog) {
  const auto plan = expected(10);
  LivePersonaRunner runner(resolve_, clock_.fn(), milliseconds(5));
  runner.watch("ex", teams_);
  clock_.set(true, plan[0].at);
  ASSERT_TRUE(eventually([&] { return runner.stats("ex").done == 1; }));
  EXPECT_FALSE(guests_->calls().empty());

  // Paused past three more actions: nothing happens.
  clock_.set(false, plan[3].at + 1);
  const auto calls = guests_->calls().size();
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(guests_->calls().size(), calls);
  EXPECT_EQ(runner.stats("ex").done, 1);

  // Resumed: only the newest of the three due actions runs, the older two are skipped.
  clock_.set(true, plan[3].at + 1);
  ASSERT_TRUE(eventually([&] { return runner.stats("ex").done == 2; }));
  EXPECT_EQ(runner.stats("ex").skipped, 2);
  EXPECT_EQ(runner.stats("ex").failed, 0);
  runner.forget("ex");
  EXPECT_EQ(runner.stats("ex").done, 2) << "counts outlive the exercise";
}

TEST_F(LiveRunnerTest, AFirstLookLateInTheDayStartsFromThereAndFailuresAreCounted) {
  const auto plan = expected(10);
  guests_->set_handler([](const std::string&, const std::vector<std::string>&) {
    return inject::GuestResult{4, "", "wget: can't connect to remote host"};
  });
  // The daemon restarted with the clock at action 6: actions 0..5 are history.
  clock_.set(true, plan[6].at - 1);
  LivePersonaRunner runner(resolve_, clock_.fn(), milliseconds(5));
  runner.watch("ex", teams_);
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_TRUE(guests_->calls().empty()) << "nothing was due after the first look";
  clock_.set(true, plan[6].at);
  ASSERT_TRUE(eventually([&] { return runner.stats("ex").failed == 1; }));
  EXPECT_EQ(runner.stats("ex").done, 0);
  EXPECT_EQ(runner.stats("ex").skipped, 0);
  clock_.set(true, plan[7].at);
  ASSERT_TRUE(eventually([&] { return runner.stats("ex").failed == 2; }))
      << "a failure does not stop the persona";
}

TEST_F(LiveRunnerTest, TwoRunsOfTheSameExerciseDoTheSameThings) {
  const auto plan = expected(6);
  auto run_once = [&] {
    auto guests = std::make_shared<inject::FakeGuestRunner>();
    auto resolve = [guests](const std::string&,
                            const std::string&) -> Expected<inject::TeamTarget> {
      return inject::TeamTarget{guests, office_hosts()};
    };
    FakeClock clock;
    clock.set(true, 0);
    LivePersonaRunner runner(resolve, clock.fn(), milliseconds(5));
    runner.watch("ex", teams_);
    for (int i = 0; i < 6; ++i) {
      clock.set(true, plan[i].at);
      EXPECT_TRUE(eventually([&] { return runner.stats("ex").done == i + 1; }));
    }
    runner.forget("ex");
    std::vector<std::string> hosts_and_targets;
    for (const auto& c : guests->calls())
      hosts_and_targets.push_back(c.host + " " + c.argv.back() + " " + c.argv[2].substr(0, 40));
    return hosts_and_targets;
  };
  const auto first = run_once();
  EXPECT_FALSE(first.empty());
  EXPECT_EQ(first, run_once());
}

}  // namespace
}  // namespace cyrange::exercise
