// What a trainee's guest prints cannot hurt cyranged or the other teams (#17, Low): a check's
// pattern reads a bounded part of the output (the shipped banking-fraud pattern over a blocklist
// of a checked name and 1 MB of spaces overflowed the checker's stack and ended cyranged), the
// evidence quotes it as a short printable excerpt (no terminal escapes in the ledger), and each
// team's checks run on a lane of their own, so one hung guest delays nobody else's scoring.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>

#include <gtest/gtest.h>

#include <orchestrator/exercise/guest_text.h>
#include <orchestrator/exercise/state_checks.h>
#include <orchestrator/inject/guest_runner.h>
#include <orchestrator/scoring/ledger_store.h>
#include <orchestrator/timeline/clock.h>
#include <orchestrator/timeline/executor.h>
#include <orchestrator/timeline/hub.h>
#include <orchestrator/timeline/store.h>

namespace cyrange::security {
namespace {

using namespace std::chrono_literals;

constexpr const char* kExercise = "guest-output";
// The form of banking-fraud's blocklist check, around a name of our own.
constexpr const char* kBlockedPattern = "(^|\\n)evil\\.example\\s*(\\n|$)";

// Two teams whose guests the test scripts, a board with one checked objective for each and a
// timeline that opens it from the start.
class GuestOutputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    scoring::ScoringRules rules;
    scoring::ObjectiveRules blocked;
    blocked.parts.push_back({"", scoring::AnswerRule::exact(""), 50, /*check_only=*/true});
    rules.objectives["blocked"] = blocked;
    scoring::ExerciseScoring setup;
    setup.exercise_id = kExercise;
    setup.teams = {"red", "blue"};
    setup.team_rules = {{"red", rules}, {"blue", rules}};
    setup.team_variables = {{"red", {}}, {"blue", {}}};
    ASSERT_TRUE(scores_->open(setup));
    // One message on the timeline gives each team a timeline; the checked objective is not on
    // it, so it is open from the start.
    scenario::Scenario with_timeline;
    scenario::Step notice;
    notice.id = "notice";
    notice.category = "inject";
    notice.type = "message";
    with_timeline.timeline.push_back(notice);
    ASSERT_TRUE(timelines_->arm(kExercise, with_timeline, {"red", "blue"}, 7));
  }

  std::unique_ptr<exercise::StateCheckRunner> runner(std::chrono::milliseconds period) {
    auto guests = [this](const std::string&,
                         const std::string& team) -> Expected<inject::TeamTarget> {
      return inject::TeamTarget{guests_.at(team), {}};
    };
    auto r = std::make_unique<exercise::StateCheckRunner>(guests, timelines_, scores_, period);
    exercise::ExerciseChecks checks;
    for (const char* team : {"red", "blue"})
      checks.state.push_back(
          {team, "blocked", "", "proxy", "cat /etc/proxy/blocklist", kBlockedPattern});
    r->watch(kExercise, checks);
    return r;
  }

  // The team's output for every command.
  void prints(const std::string& team, std::string out) {
    guests_.at(team)->set_handler([out](const std::string&, const std::vector<std::string>&) {
      return inject::GuestResult{0, out, ""};
    });
  }

  int points(const std::string& team) {
    int sum = 0;
    for (const auto& e : (*scores_->find(kExercise))->entries())
      if (e.team == team) sum += e.points;
    return sum;
  }

  std::map<std::string, std::shared_ptr<inject::FakeGuestRunner>> guests_{
      {"red", std::make_shared<inject::FakeGuestRunner>()},
      {"blue", std::make_shared<inject::FakeGuestRunner>()}};
  std::shared_ptr<scoring::ScoreHub> scores_ =
      std::make_shared<scoring::ScoreHub>(std::make_shared<scoring::MemoryLedgerStore>());
  std::shared_ptr<timeline::TimelineHub> timelines_ =
      std::make_shared<timeline::TimelineHub>(std::make_shared<timeline::MemoryTimelineStore>(),
                                              std::make_shared<timeline::MessageExecutor>(),
                                              std::make_shared<timeline::ManualTimeSource>());
};

TEST_F(GuestOutputTest, AMegabyteOfSpacesAfterTheCheckedNameDoesNotEndTheChecker) {
  prints("red", "evil.example" + std::string(1 << 20, ' '));
  prints("blue", "evil.example\n" + std::string(1 << 20, ' '));
  auto checks = runner(1h);
  const auto results = checks->run_once(kExercise);  // before: a stack overflow ended the test
  ASSERT_EQ(results.size(), 2u);
  for (const auto& r : results) {
    SCOPED_TRACE(r.team);
    if (r.team == "red") {
      // The cut end of the output is no end of line: a name followed by more than the checker
      // reads is not taken for a line of its own.
      EXPECT_FALSE(r.passed);
      EXPECT_NE(r.detail.find("in the first 16 KiB of its output"), std::string::npos) << r.detail;
    } else {
      EXPECT_TRUE(r.passed) << r.detail;
    }
  }
  EXPECT_EQ(points("blue"), 50);
  EXPECT_EQ(points("red"), 0);
}

TEST_F(GuestOutputTest, TheEvidenceQuotesTheGuestAsAShortPrintableExcerpt) {
  // A trainee's guest answers with terminal escapes (clear the screen, retitle the window,
  // ring the bell) and a long tail on the matched line.
  prints("red",
         "evil.example\x1b[2J\x1b]0;owned\x07\xc2\x9b"
         "31m" +
             std::string(4000, 'x') + "\n");
  auto checks = runner(1h);
  exercise::ExerciseChecks own;
  own.state.push_back(
      {"red", "blocked", "", "proxy", "cat /etc/proxy/blocklist", "evil\\.example.*"});
  checks->watch(kExercise, own);
  const auto results = checks->run_once(kExercise, "red");
  ASSERT_EQ(results.size(), 1u);
  ASSERT_TRUE(results[0].passed) << results[0].detail;
  const auto entries = (*scores_->find(kExercise))->entries();
  ASSERT_EQ(entries.size(), 1u);
  const std::string& reason = entries[0].reason;
  EXPECT_LT(reason.size(), 400u) << "the 4000 bytes after the name are not copied";
  for (char c : reason)
    EXPECT_GE(static_cast<unsigned char>(c), 0x20) << "a control byte in: " << reason;
  EXPECT_EQ(reason.find("\xc2\x9b"), std::string::npos) << "the 8-bit CSI is escaped";
  EXPECT_NE(reason.find("evil.example\\x1b[2J\\x1b]0;owned\\x07\\xc2\\x9b31mxxx"),
            std::string::npos)
      << reason;
  EXPECT_EQ(reason, results[0].detail);
}

TEST_F(GuestOutputTest, OneHungGuestDelaysNoOtherTeamsScoring) {
  std::mutex mutex;
  std::condition_variable changed;
  bool released = false, red_waiting = false;
  guests_.at("red")->set_handler([&](const std::string&, const std::vector<std::string>&) {
    std::unique_lock lock(mutex);
    red_waiting = true;
    changed.notify_all();
    changed.wait(lock, [&] { return released; });  // an agent that does not answer
    return inject::GuestResult{0, "evil.example\n", ""};
  });
  prints("blue", "evil.example\n");
  auto release = [&] {
    std::lock_guard lock(mutex);
    released = true;
    changed.notify_all();
  };
  auto checks = runner(20ms);
  struct Releaser {
    std::function<void()> release;
    ~Releaser() { release(); }  // before the runner waits for red's lane
  } releaser{release};
  {
    // Red's guest hangs first, so a checker running teams one after the other never reaches
    // blue while it does.
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, 10s, [&] { return red_waiting; }));
  }
  bool blue_scored = false;
  for (auto until = std::chrono::steady_clock::now() + 10s;
       !blue_scored && std::chrono::steady_clock::now() < until; std::this_thread::sleep_for(10ms))
    blue_scored = points("blue") == 50;
  EXPECT_TRUE(blue_scored) << "blue waited for red's hung guest";
  EXPECT_EQ(points("red"), 0);
  {
    std::lock_guard lock(mutex);
    EXPECT_FALSE(released) << "red was still hanging when blue scored";
  }
  release();
  bool red_scored = false;
  for (auto until = std::chrono::steady_clock::now() + 10s;
       !red_scored && std::chrono::steady_clock::now() < until; std::this_thread::sleep_for(10ms))
    red_scored = points("red") == 50;
  EXPECT_TRUE(red_scored) << "red is scored once its guest answers";
  EXPECT_EQ(guests_.at("blue")->calls().size(), 1u) << "a passed check is not run again";
}

TEST(GuestText, PatternsReadABoundedHeadAndQuotesArePrintable) {
  const std::string head = "a" + std::string(exercise::kMaxMatchedText, ' ') + "b";
  auto found = exercise::search_guest_text(head, "a\\s*b");
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->has_value()) << "b lies beyond what is read";
  auto bad = exercise::search_guest_text("x", "(");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(bad.error().message_ja, "");
  EXPECT_EQ(exercise::printable_excerpt("名前\tok", 100), "名前\\x09ok");
  EXPECT_EQ(exercise::printable_excerpt("名前", 4), "名…") << "never half a character";
  EXPECT_EQ(exercise::printable_excerpt("\xff\xfe", 100), "\\xff\\xfe");
}

}  // namespace
}  // namespace cyrange::security
