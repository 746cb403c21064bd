// A scripted trainee over real gRPC on loopback, without services: cyranged's
// server with a timeline on a hand-moved clock, a score board on the in-memory
// ledger and a recorder sink that keeps what arrives. Terminals need a range and
// are exercised by the playthrough tests; here they must fail with the reason.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include <client-core/script/grpc_trainee_session.h>
#include <client-core/script/tests/script_text.h>
#include <client-core/timeline_client.h>
#include <orchestrator/config/config.h>
#include <orchestrator/identity/fake_authenticator.h>
#include <orchestrator/recorder/event_sink.h>
#include <orchestrator/rpc/server.h>
#include <orchestrator/scoring/ledger_store.h>
#include <orchestrator/scoring/score_hub.h>
#include <orchestrator/timeline/hub.h>

namespace cyrange::client {
namespace {

using namespace std::chrono_literals;
namespace tl = cyrange::timeline;

// Keeps every recorded event's kind; commits at once.
class KeepingSink : public recorder::EventSink {
 public:
  void submit(recorder::Submission submission, recorder::CommitCallback done) override {
    {
      std::lock_guard lock(mutex_);
      for (const auto& e : submission.events) kinds_.emplace_back(recorder::to_string(e.kind));
    }
    done(submission.last_seq());
  }
  std::vector<std::string> kinds() {
    std::lock_guard lock(mutex_);
    return kinds_;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> kinds_;
};

tl::TimelineItem item(const std::string& id, tl::ItemKind kind, tl::TriggerSpec trigger, int seq) {
  tl::TimelineItem i;
  i.id = id;
  i.kind = kind;
  i.trigger = std::move(trigger);
  i.text_en = id + " text";
  i.seq = seq;
  return i;
}

class TraineeSessionRpcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_->add_team(11, "red");
    tl::TriggerSpec at0, at60, manual;
    at60.at_seconds = 60;
    manual.kind = tl::TriggerSpec::Kind::manual;
    ASSERT_TRUE(store_
                    ->add_executions("ex", "red",
                                     {item("kickoff", tl::ItemKind::message, at0, 0),
                                      item("q1", tl::ItemKind::objective, at60, 1),
                                      item("q2", tl::ItemKind::objective, manual, 2)})
                    .ok());
    ASSERT_TRUE(timelines_->resume_all().ok());
    auto timeline = timelines_->find("ex");
    ASSERT_TRUE(timeline);
    timeline_ = *timeline;
    ASSERT_TRUE(timeline_->start().ok());

    auto ledger = std::make_shared<scoring::MemoryLedgerStore>();
    ledger->add_team(11, "red");
    scores_ = std::make_shared<scoring::ScoreHub>(ledger, [this](const std::string&) {
      return std::chrono::milliseconds(static_cast<long long>(timeline_->now() * 1000));
    });
    scoring::ScoringRules rules;
    rules.objectives["q1"] =
        scoring::ObjectiveRules::single(scoring::AnswerRule::normalized("kakuu"), 100);
    rules.objectives["q1"].hints.push_back({"hint-1", 20});
    rules.objectives["q2"] = scoring::ObjectiveRules::single(scoring::AnswerRule::exact("x"), 50);
    ASSERT_TRUE(scores_->open({"ex", {"red"}, {{"red", rules}}, {{"red", {}}}}).ok());

    auth_->add("staff", {1, "ina", identity::Role::instructor, std::nullopt});
    auth_->add("red", {3, "rei", identity::Role::trainee, 11});
    config::Config config;
    config.listen_address = "127.0.0.1:0";
    config.plaintext = true;
    rpc::ServerDeps deps;
    deps.timeline = timelines_;
    deps.scoring = scores_;
    deps.recorder = sink_;
    auto started = rpc::Server::start(config, auth_, std::move(deps));
    ASSERT_TRUE(started) << started.error().message;
    server_ = std::move(started).value();

    char tmpl[] = "/tmp/cyrange-trainee-rpc-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    buffer_dir_ = tmpl;
  }
  void TearDown() override {
    stop_clock();
    if (server_) server_->shutdown(100ms);
    std::filesystem::remove_all(buffer_dir_);
  }

  Connection connect(const std::string& token) {
    ClientOptions options;
    options.target = server_->address();
    options.plaintext = true;
    options.token = token;
    options.timeout = 5s;
    return *Connection::open(options);
  }

  // Moves exercise time on by 10 s every 20 ms of wall time, as a sped-up clock would.
  void run_clock() {
    clock_ = std::thread([this] {
      while (!stop_) {
        time_->advance(10);
        (void)timelines_->tick_all();
        std::this_thread::sleep_for(20ms);
      }
    });
  }
  void stop_clock() {
    stop_ = true;
    if (clock_.joinable()) clock_.join();
  }

  TraineeScript script(const std::string& actions) {
    return testing::script_with_actions(actions, "rpc.yaml");
  }

  std::shared_ptr<tl::MemoryTimelineStore> store_ = std::make_shared<tl::MemoryTimelineStore>();
  std::shared_ptr<tl::ManualTimeSource> time_ = std::make_shared<tl::ManualTimeSource>();
  std::shared_ptr<tl::TimelineHub> timelines_ =
      std::make_shared<tl::TimelineHub>(store_, std::make_shared<tl::MessageExecutor>(), time_);
  tl::ExerciseTimeline* timeline_ = nullptr;
  std::shared_ptr<scoring::ScoreHub> scores_;
  std::shared_ptr<KeepingSink> sink_ = std::make_shared<KeepingSink>();
  std::shared_ptr<identity::FakeAuthenticator> auth_ =
      std::make_shared<identity::FakeAuthenticator>();
  std::unique_ptr<rpc::Server> server_;
  std::filesystem::path buffer_dir_;
  std::thread clock_;
  std::atomic<bool> stop_{false};
};

TEST_F(TraineeSessionRpcTest, TimelineClientListsAndWatchesWhatEachRoleMaySee) {
  TimelineClient staff(connect("staff"));
  auto listing = staff.list("ex", "red");
  ASSERT_TRUE(listing) << listing.error().message;
  EXPECT_TRUE(listing->clock.started);
  ASSERT_EQ(listing->items.size(), 3u);
  EXPECT_EQ(listing->items[1].item_id, "q1");
  EXPECT_EQ(listing->items[1].kind, ItemKind::objective);
  EXPECT_EQ(listing->items[1].state, ItemState::pending);
  EXPECT_EQ(listing->items[1].trigger, "at 60s");

  std::mutex mutex;
  std::condition_variable changed;
  std::vector<TimelineChange> seen;
  auto watch = TimelineClient(connect("red"))
                   .watch("ex", "red",
                          [&](const TimelineChange& c) {
                            std::lock_guard lock(mutex);
                            seen.push_back(c);
                            changed.notify_all();
                          },
                          {});
  std::unique_lock lock(mutex);
  // The snapshot first (so q1 cannot slip into it), then the change.
  ASSERT_TRUE(changed.wait_for(lock, 5s, [&] { return !seen.empty(); }));
  lock.unlock();
  time_->advance(60);
  ASSERT_TRUE(timelines_->tick_all().ok());
  lock.lock();
  ASSERT_TRUE(changed.wait_for(lock, 5s, [&] {
    for (const auto& c : seen) {
      if (c.item.item_id == "q1" && c.item.state == ItemState::done && !c.snapshot) return true;
    }
    return false;
  }));
  // The trainee's snapshot held only what was delivered: the kickoff, never the pending q2.
  for (const auto& c : seen) {
    EXPECT_NE(c.item.item_id, "q2");
    if (c.snapshot) {
      EXPECT_EQ(c.item.item_id, "kickoff");
    }
  }
  lock.unlock();
  watch.cancel_and_wait();

  auto refused = TimelineClient(connect("red")).control_clock("ex", ClockAction::pause);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::permission_denied);
}

TEST_F(TraineeSessionRpcTest, PlaysAScriptThroughTheRealServicesAndRecordsIt) {
  auto session = GrpcTraineeSession::open(connect("red"), {"ex", "red", buffer_dir_, 20ms});
  ASSERT_TRUE(session) << session.error().message;
  run_clock();
  RunOptions options;
  options.wait_timeout = 20s;
  const PlaytestResult result =
      run_scripted_trainee(**session,
                           script("  - when: {objective_open: q1}\n"
                                  "    answer: {objective: q1, value: nope, expect: wrong}\n"
                                  "  - hint: {objective: q1, hint: hint-1}\n"
                                  "  - wait_seconds: 120\n"
                                  "  - answer: {objective: q1, value: ' KAKUU ', expect: correct}\n"
                                  "  - when: {objective_solved: q1}\n"),
                           options);
  stop_clock();
  ASSERT_TRUE(result.completed) << result.failure;
  EXPECT_EQ(result.total, 80);
  EXPECT_EQ(result.hints_taken, std::vector<std::string>{"q1/hint-1"});
  const ObjectiveOutcome* q1 = nullptr;
  for (const auto& o : result.objectives) {
    if (o.objective == "q1") q1 = &o;
  }
  ASSERT_NE(q1, nullptr);
  EXPECT_EQ(q1->status, ObjectiveStatus::solved);
  EXPECT_EQ(q1->wrong_attempts, 1);
  ASSERT_TRUE(q1->solved_at);
  EXPECT_GE(*q1->solved_at, 60 + 120);  // opened at T+60, then two minutes of thought
  // Answers and the hint reached the recorder like a person's would.
  EXPECT_TRUE((*session)->close(5s));
  const auto kinds = sink_->kinds();
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "answer"), 2);
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "hint"), 1);
}

TEST_F(TraineeSessionRpcTest, AnObjectiveThatNeverOpensAndAMissingRangeAreNamed) {
  auto session = GrpcTraineeSession::open(connect("red"), {"ex", "red", {}, 20ms});
  ASSERT_TRUE(session) << session.error().message;
  RunOptions options;
  options.wait_timeout = 300ms;
  PlaytestResult result = run_scripted_trainee(
      **session, script("  - when: {objective_open: q2}\n    answer: {objective: q2, value: x}\n"),
      options);
  EXPECT_FALSE(result.completed);
  EXPECT_NE(result.failure.find("rpc.yaml:5:5"), std::string::npos) << result.failure;
  EXPECT_NE(result.failure.find("Objective 'q2' did not open for team red"), std::string::npos)
      << result.failure;

  // This server runs no ranges: the terminal cannot open, and the playtest says so.
  result = run_scripted_trainee(**session, script("  - run: {host: mail, command: ls}\n"), options);
  EXPECT_FALSE(result.completed);
  EXPECT_NE(result.failure.find("rpc.yaml:5:5: run on mail: ls: "), std::string::npos)
      << result.failure;
}

}  // namespace
}  // namespace cyrange::client
