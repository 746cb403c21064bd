// Trainee events reach the timeline: on a throw-away PostgreSQL database (timeline
// store, ledger, registry, identities) with the fake hypervisor's line shell as the
// trainee terminal, each trigger kind cyranged raises -- answer:, hint:, command:, and
// objectives opened, solved and failed -- fires the step waiting for it, exactly once,
// also after the exercise manager is reopened as at a daemon restart.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <orchestrator/exercise/exercise_manager.h>
#include <orchestrator/exercise/terminal.h>
#include <orchestrator/exercise/typed_lines.h>
#include <orchestrator/identity/identity_store.h>
#include <orchestrator/range/fake_hypervisor.h>
#include <orchestrator/range/naming.h>
#include <orchestrator/scenario/parser.h>
#include <orchestrator/scenario/to_range.h>
#include <orchestrator/scenario/variables.h>
#include <orchestrator/scoring/pg_ledger_store.h>
#include <orchestrator/store/testing/temp_database.h>
#include <orchestrator/timeline/pg_store.h>

namespace cyrange::exercise {
namespace {

using namespace std::chrono_literals;

constexpr const char* kExercise = "events_ex";
constexpr std::uint64_t kSeed = 3;

constexpr const char* kScenario = R"(apiVersion: cyrange/v1
metadata:
  id: events-test
  version: "1.0.0"
  title: {ja: 受講者の事象, en: Trainee events}
  summary: {ja: 事象の試験, en: Trainee events test}
topology:
  segments: [{name: lan, cidr: 10.0.0.0/24}]
  hosts:
    - name: ws01
      image_profile: tiny
      role: workstation
      trainee_terminal: true
      interfaces: [{segment: lan, address: 10.0.0.10}]
timeline:
  - {id: after-answer, category: inject, type: note, trigger: {on_event: "answer:who"}}
  - {id: after-hint, category: inject, type: note, trigger: {on_event: "hint:who"}}
  - {id: after-command, category: inject, type: note,
     trigger: {on_event: "command:grep  beacon /var/log"}}
  - {id: after-opened, category: inject, type: note, trigger: {on_objective: later, state: opened}}
  - {id: after-solved, category: inject, type: note, trigger: {on_objective: who, state: solved}}
  - {id: after-failed, category: inject, type: note, trigger: {on_objective: guess, state: failed}}
  - {id: after-part-failed, category: inject, type: note,
     trigger: {on_objective: order, state: failed}}
  - {id: opener, category: inject, type: note, trigger: manual}
objectives:
  - id: who
    question: {ja: 誰が開いたか, en: Who opened it}
    points: 100
    answer: {type: normalized, value: alice}
    hints:
      - {text: {ja: ログを見る, en: Read the log}, penalty: 10}
  - id: guess
    question: {ja: 推測, en: Guess}
    points: 50
    answer: {type: normalized, value: right}
    wrong_answers: {limit: 2}
  - id: order
    question: {ja: 順序, en: Order}
    parts:
      - id: first
        question: {ja: 最初, en: First}
        points: 20
        answer: {type: normalized, value: a}
        wrong_answers: {limit: 1}
      - id: second
        question: {ja: 次, en: Second}
        points: 20
        answer: {type: normalized, value: b}
  - id: later
    question: {ja: 後で, en: Later}
    points: 10
    answer: {type: normalized, value: x}
    opens: {after: opener}
)";

class TraineeEventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto parsed = scenario::parse_scenario(kScenario, "events.yaml");
    ASSERT_TRUE(parsed) << parsed.error().message;
    scenario_ = std::move(*parsed);

    auto ids = identity::PgIdentityStore::open(db_.uri());
    ASSERT_TRUE(ids) << ids.error().message;
    auto team = (*ids)->ensure_team("red");
    ASSERT_TRUE(team);
    auto rin = (*ids)->add_user({"rin", identity::Role::trainee, "red", "", ""});
    ASSERT_TRUE(rin);
    rin_ = {*rin, "rin", identity::Role::trainee, *team};
    auto ida = (*ids)->add_user({"ida", identity::Role::instructor, std::nullopt, "", ""});
    ASSERT_TRUE(ida);
    ida_ = {*ida, "ida", identity::Role::instructor, std::nullopt};

    // The exercise as ExerciseManager::create records it, with the terminal's guest.
    auto registry = RangeRegistry::open(db_.uri());
    ASSERT_TRUE(registry) << registry.error().message;
    registry_ = std::move(*registry);
    ASSERT_TRUE(registry_->begin_exercise(kExercise, "events-test", "h", {"red"}));
    ASSERT_TRUE(registry_->save_setup(kExercise, {"events.yaml", kScenario, kSeed}));
    auto spec = scenario::to_range_spec(
        scenario_, scenario::resolve_variables(scenario_, kSeed, "red"), kExercise, "red");
    ASSERT_TRUE(registry_->save_team_spec(spec, "test:///events"));
    ASSERT_TRUE(hv_.create_domain(range::domain_object_name(spec, spec.hosts.at(0)), "<domain/>"));
    ASSERT_TRUE(registry_->set_state(kExercise, kStateReady));

    start_services();
    ASSERT_TRUE(timelines_->arm(kExercise, scenario_, {"red"}, kSeed));
    open_manager();
    ASSERT_TRUE(timeline().start());  // objectives who and guess open at 0
  }

  void TearDown() override {
    session_.reset();
    broker_.reset();
    manager_.reset();
  }

  // The timeline and score hubs over the database, as cyranged opens them at start.
  void start_services() {
    auto store = timeline::PgTimelineStore::open(db_.uri());
    ASSERT_TRUE(store) << store.error().message;
    timelines_ = std::make_shared<timeline::TimelineHub>(
        std::shared_ptr<timeline::TimelineStore>(std::move(store).value()), steps_, time_);
    ASSERT_TRUE(timelines_->resume_all());
    auto ledger = scoring::PgLedgerStore::open(db_.uri());
    ASSERT_TRUE(ledger) << ledger.error().message;
    scores_ = std::make_shared<scoring::ScoreHub>(
        std::shared_ptr<scoring::LedgerStore>(std::move(ledger).value()));
  }

  // Everything but the database and the steps' record goes away and comes back.
  void restart() {
    session_.reset();
    broker_.reset();
    manager_.reset();
    scores_.reset();
    timelines_.reset();
    start_services();
    open_manager();
  }

  // An ExerciseManager as cyranged builds it at start (no hypervisor: nothing is created).
  void open_manager() {
    ExerciseManagerDeps deps;
    deps.libvirt_uri = "test:///events";
    deps.registry = registry_;
    deps.timelines = timelines_;
    deps.scoring = scores_;
    manager_ = std::make_shared<ExerciseManager>(std::move(deps));
    ASSERT_TRUE(manager_->reopen_all());
    broker_ = std::make_shared<TerminalBroker>(hv_, registry_);
    broker_->on_typed_line(
        [manager = manager_.get()](const std::string& exercise, const std::string& team,
                                   const std::string& host, const std::string& line) {
          manager->command_typed(exercise, team, host, line);
        });
  }

  timeline::ExerciseTimeline& timeline() { return *timelines_->find(kExercise).value(); }

  timeline::Execution execution(const std::string& item) {
    auto executions = timeline().executions("red");
    EXPECT_TRUE(executions) << executions.error().message;
    if (executions)
      for (const auto& e : *executions)
        if (e.item.id == item) return e;
    ADD_FAILURE() << "no item " << item;
    return {};
  }

  // Waits (the relay runs on its own thread) until `item` ran; false if it never does.
  bool ran(const std::string& item) {
    for (auto deadline = std::chrono::steady_clock::now() + 20s;
         std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(20ms))
      if (execution(item).state == timeline::ExecState::done) return true;
    return false;
  }

  int runs(const std::string& item) { return steps_->runs(execution(item).id); }

  std::string submit(const std::string& objective, const std::string& value,
                     const std::string& part = "") {
    auto outcome = scores_->submit(rin_, kExercise, objective, part, value);
    return outcome ? "ok" : outcome.error().message;
  }

  store::testing::TempDatabase db_;
  scenario::Scenario scenario_;
  identity::Identity rin_, ida_;
  range::FakeHypervisor hv_;
  std::shared_ptr<RangeRegistry> registry_;
  std::shared_ptr<timeline::RecordingExecutor> steps_ =
      std::make_shared<timeline::RecordingExecutor>();
  std::shared_ptr<timeline::ManualTimeSource> time_ =
      std::make_shared<timeline::ManualTimeSource>();
  std::shared_ptr<timeline::TimelineHub> timelines_;
  std::shared_ptr<scoring::ScoreHub> scores_;
  std::shared_ptr<ExerciseManager> manager_;
  std::shared_ptr<TerminalBroker> broker_;
  std::unique_ptr<TerminalSession> session_;
};

TEST_F(TraineeEventsTest, EachTriggerKindFiresItsStepOnce) {
  // answer: a wrong answer is an answer too; solved waits for the right one.
  EXPECT_EQ(submit("who", "bob"), "ok");
  ASSERT_TRUE(ran("after-answer"));
  EXPECT_EQ(execution("after-solved").state, timeline::ExecState::pending);
  EXPECT_EQ(submit("who", "Alice"), "ok");
  ASSERT_TRUE(ran("after-solved"));

  // hint: pushed by an instructor counts like one taken.
  ASSERT_TRUE(scores_->push_hint(ida_, kExercise, "red", "who", "hint-1"));
  ASSERT_TRUE(ran("after-hint"));

  // command: a line typed in the team's terminal, after line editing.
  auto session = broker_->open(rin_, {kExercise, "", "ws01", 80, 24}, nullptr, nullptr);
  ASSERT_TRUE(session) << session.error().message;
  session_ = std::move(*session);
  ASSERT_TRUE(session_->write("ls /var/log\r"));
  ASSERT_TRUE(
      session_->write("grep beakon\x7f\x7f\x7f"
                      "con   /var/log/squid/access.log\r"));
  ASSERT_TRUE(ran("after-command"));

  // opened: the objective opens when its `opens` trigger fires.
  EXPECT_EQ(execution("after-opened").state, timeline::ExecState::pending);
  ASSERT_TRUE(timeline().fire("red", "opener"));
  ASSERT_TRUE(ran("after-opened"));

  // failed: the second wrong answer uses up the limit of two; a third is refused.
  EXPECT_EQ(submit("guess", "wrong-1"), "ok");
  EXPECT_EQ(submit("guess", "wrong-2"), "ok");
  ASSERT_TRUE(ran("after-failed"));
  EXPECT_NE(submit("guess", "right"), "ok");

  EXPECT_EQ(submit("who", "alice"), "ok");  // already solved: nothing new
  for (const char* item : {"after-answer", "after-hint", "after-command", "after-opened",
                           "after-solved", "after-failed"})
    EXPECT_EQ(runs(item), 1) << item;
}

TEST_F(TraineeEventsTest, APartThatUsesUpItsOwnAttemptsFailsItsObjective) {
  EXPECT_EQ(submit("order", "x", "second"), "ok");  // no limit: any number of attempts
  EXPECT_EQ(submit("order", "x", "first"), "ok");   // the part's only attempt
  ASSERT_TRUE(ran("after-part-failed"));
  EXPECT_NE(submit("order", "a", "first"), "ok");
  EXPECT_EQ(runs("after-part-failed"), 1);
}

TEST_F(TraineeEventsTest, ARestartReplaysWithoutFiringTwice) {
  EXPECT_EQ(submit("who", "alice"), "ok");
  ASSERT_TRUE(ran("after-answer"));
  ASSERT_TRUE(ran("after-solved"));
  ASSERT_TRUE(timeline().fire("red", "opener"));
  ASSERT_TRUE(ran("after-opened"));

  restart();  // the ledger and the open objectives are replayed
  // The relay works in order, so once this later hint ran, the replay was done too.
  ASSERT_TRUE(scores_->push_hint(ida_, kExercise, "red", "who", "hint-1"));
  ASSERT_TRUE(ran("after-hint"));
  for (const char* item : {"after-answer", "after-solved", "after-opened", "after-hint"})
    EXPECT_EQ(runs(item), 1) << item;
  EXPECT_EQ(execution("after-failed").state, timeline::ExecState::pending);
  EXPECT_EQ(execution("after-command").state, timeline::ExecState::pending);
}

TEST(TypedLines, AppliesLineEditingAndSplitsOnEnter) {
  TypedLines lines;
  EXPECT_TRUE(lines.feed("cat /etc/hos").empty());
  EXPECT_EQ(lines.feed("tx\x7fs\r\n"), std::vector<std::string>{"cat /etc/hosts"});
  EXPECT_EQ(lines.feed("\x1b[Awrong\x15  ls   -l \rpwd\n"),
            (std::vector<std::string>{"ls -l", "pwd"}));
  EXPECT_EQ(lines.feed("日本\x7f語\r"), std::vector<std::string>{"日語"});
  EXPECT_TRUE(lines.feed("abc\x03\r\r").empty());
}

TEST(CommandMatches, IsASubstringAfterCollapsingSpaces) {
  EXPECT_TRUE(command_matches("grep beacon /var/log/squid/access.log", "grep  beacon /var/log"));
  EXPECT_TRUE(command_matches("sudo tail -f x", "tail -f"));
  EXPECT_FALSE(command_matches("grep Beacon /var/log", "grep beacon"));
  EXPECT_FALSE(command_matches("grep -r beacon /var/log", "grep beacon"));
  EXPECT_FALSE(command_matches("anything", "  "));
}

}  // namespace
}  // namespace cyrange::exercise
