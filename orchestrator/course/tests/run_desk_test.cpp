// The rules and life cycle of self-paced runs on the real PostgreSQL store, with the
// exercise machinery replaced by a recording engine (the real one is exercised by the
// self-paced end-to-end test on real guests).
#include <orchestrator/course/pg_course_store.h>
#include <orchestrator/course/publish.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include <orchestrator/identity/identity_store.h>
#include <orchestrator/store/testing/temp_database.h>

namespace cyrange::course {
namespace {

using identity::Identity;
using identity::Role;
using store::testing::TempDatabase;

// Exercises as the engine would hold them: state per id, and what was asked of it. It
// records each exercise as the real one does (run tokens refer to it).
class RecordingEngine : public RunEngine {
 public:
  explicit RecordingEngine(const TempDatabase& db) : db_(db) {}

  std::map<std::string, std::string> states;
  std::map<std::string, std::string> details;  ///< the exercise's detail, by id
  std::map<std::string, double> clock_speed;
  std::map<std::string, std::chrono::seconds> clocks;  ///< exercise time elapsed
  /// Decisions presented and undecided, per exercise, as "team/decision:default".
  std::map<std::string, std::vector<std::string>> undecided;
  std::vector<std::string> calls;

  Status create(const Course& course, const std::string& exercise,
                const std::string& team) override {
    calls.push_back("create " + exercise + " " + team + " " + course.id);
    states[exercise] = "provisioning";
    db_.query_one("INSERT INTO exercises (id, scenario_id, scenario_hash, state) VALUES ('" +
                  exercise + "', '" + course.scenario_id + "', 'h', 'provisioning') RETURNING 1");
    return Status::success();
  }
  Expected<std::pair<std::string, std::string>> state(const std::string& exercise) override {
    return std::pair{states.at(exercise), details[exercise]};
  }
  Status start_clock(const std::string& exercise, double speed) override {
    clock_speed[exercise] = speed;
    return Status::success();
  }
  Expected<std::chrono::seconds> clock(const std::string& exercise) override {
    return clocks[exercise];
  }
  Expected<std::vector<std::string>> decide_defaults(const std::string& exercise) override {
    std::vector<std::string> taken;
    taken.swap(undecided[exercise]);
    for (const auto& choice : taken) calls.push_back("decide " + exercise + " " + choice);
    return taken;
  }
  Status suspend(const std::string& exercise) override {
    calls.push_back("suspend " + exercise);
    states[exercise] = "suspended";
    return Status::success();
  }
  Status resume(const std::string& exercise) override {
    calls.push_back("resume " + exercise);
    states[exercise] = "ready";
    return Status::success();
  }
  Status load_results(const std::string& exercise) override {
    calls.push_back("load " + exercise);
    return Status::success();
  }
  Status end(const std::string& exercise) override {
    calls.push_back("end " + exercise);
    states[exercise] = "ended";
    return Status::success();
  }

 private:
  const TempDatabase& db_;
};

class RunDeskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = identity::PgIdentityStore::open(db_.uri());
    ASSERT_TRUE(opened) << opened.error().message;
    identities_ = std::move(opened).value();
    db_.query_one(
        "INSERT INTO organisations (name, type, size_band, region) VALUES "
        "('north_city', 'municipality', '300-999', 'hokkaido'), "
        "('south_town', 'municipality', '1-99', 'okinawa') RETURNING 1");
    for (const auto& [name, org] : std::map<std::string, std::string>{
             {"ann", "north_city"}, {"bob", "north_city"}, {"cho", "south_town"}}) {
      auto id = identities_->add_user({name, Role::trainee, "home", "", ""});
      ASSERT_TRUE(id) << id.error().message;
      users_[name] = Identity{*id, name, Role::trainee, team_id("home"), std::nullopt};
      db_.query_one("INSERT INTO organisation_members SELECT " + std::to_string(*id) +
                    ", id FROM organisations WHERE name = '" + org + "' RETURNING 1");
    }
    auto store = PgCourseStore::open(db_.uri());
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::shared_ptr<CourseStore>(std::move(store).value());
    publish("basics", {});
    publish("north_only", {"north_city"});
    limits_.capacity = 1;
    limits_.idle_pause = std::chrono::minutes(15);
    desk_ = std::make_unique<RunDesk>(store_, engine_, limits_);
  }

  std::int64_t team_id(const std::string& team) {
    auto id = identities_->ensure_team(team);
    EXPECT_TRUE(id);
    return id ? *id : 0;
  }

  void publish(const std::string& id, std::vector<std::string> organisations,
               std::optional<std::chrono::seconds> time_limit = std::nullopt) {
    Course c;
    c.time_limit = time_limit;
    c.id = id;
    c.scenario_id = id;
    c.title_en = "Course " + id;
    c.scenario_file = id + ".yaml";
    c.scenario_yaml = "metadata: {id: " + id + "}\n";
    c.clock_speed = 2;
    c.organisations = std::move(organisations);
    c.published_by = "operator";
    ASSERT_TRUE(store_->publish(c));
  }

  // A new instructor or admin, in `organisation` unless it is empty.
  Identity staff(const std::string& name, Role role, const std::string& organisation) {
    auto id = identities_->add_user({name, role, std::nullopt, "", ""});
    EXPECT_TRUE(id) << id.error().message;
    if (!organisation.empty())
      db_.query_one("INSERT INTO organisation_members SELECT " + std::to_string(*id) +
                    ", id FROM organisations WHERE name = '" + organisation + "' RETURNING 1");
    return Identity{*id, name, role, std::nullopt, std::nullopt};
  }

  // The run as the store holds it now.
  course::Run reread(std::int64_t id) {
    auto run = store_->run(id);
    EXPECT_TRUE(run) << run.error().message;
    return run ? *run : course::Run{};
  }

  TempDatabase db_;
  std::unique_ptr<identity::PgIdentityStore> identities_;
  std::map<std::string, Identity> users_;
  std::shared_ptr<CourseStore> store_;
  std::shared_ptr<RecordingEngine> engine_ = std::make_shared<RecordingEngine>(db_);
  RunLimits limits_;
  std::unique_ptr<RunDesk> desk_;
};

TEST_F(RunDeskTest, ATraineeSeesTheCoursesOpenToTheirOrganisationOnly) {
  auto north = desk_->courses(users_["ann"]);
  ASSERT_TRUE(north) << north.error().message;
  ASSERT_EQ(north->size(), 2u);
  auto south = desk_->courses(users_["cho"]);
  ASSERT_TRUE(south);
  ASSERT_EQ(south->size(), 1u);
  EXPECT_EQ(south->front().id, "basics");
  auto refused = desk_->start(users_["cho"], "north_only");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::not_found);

  ASSERT_TRUE(store_->withdraw("basics", "operator"));
  auto after = desk_->courses(users_["cho"]);
  ASSERT_TRUE(after);
  EXPECT_TRUE(after->empty());
  // Staff still see withdrawn courses.
  auto staff = desk_->courses(Identity{99, "ina", Role::instructor, std::nullopt, std::nullopt});
  ASSERT_TRUE(staff);
  EXPECT_EQ(staff->size(), 2u);
}

TEST_F(RunDeskTest, AFullPoolQueuesTheNextRunWhichStartsWhenTheFirstPauses) {
  auto first = desk_->start(users_["ann"], "basics");
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->run.state, RunState::starting);
  EXPECT_FALSE(first->token.empty());
  const std::string exercise = first->run.exercise;
  ASSERT_EQ(engine_->calls.size(), 1u);
  EXPECT_EQ(engine_->calls[0], "create " + exercise + " " + first->run.team + " basics");

  auto second = desk_->start(users_["cho"], "basics");
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->run.state, RunState::queued);
  EXPECT_EQ(second->run.queue_position, 1);
  EXPECT_TRUE(second->token.empty());

  // The range is ready: the clock starts at the course's speed.
  engine_->states[exercise] = "ready";
  ASSERT_TRUE(desk_->tick());
  EXPECT_EQ(reread(first->run.id).state, RunState::running);
  EXPECT_DOUBLE_EQ(engine_->clock_speed.at(exercise), 2.0);
  EXPECT_EQ(reread(second->run.id).state, RunState::queued);

  auto paused = desk_->pause(users_["ann"], first->run.id);
  ASSERT_TRUE(paused) << paused.error().message;
  EXPECT_EQ(paused->state, RunState::paused);
  ASSERT_TRUE(desk_->tick());
  const course::Run placed = reread(second->run.id);
  EXPECT_EQ(placed.state, RunState::starting);
  EXPECT_EQ(placed.queue_position, 0);

  // Resuming with no room queues the paused run; it is the first in line.
  auto resumed = desk_->resume(users_["ann"], first->run.id);
  ASSERT_TRUE(resumed) << resumed.error().message;
  EXPECT_EQ(resumed->run.state, RunState::queued);
  EXPECT_EQ(resumed->run.queue_position, 1);
  ASSERT_TRUE(desk_->end(users_["cho"], second->run.id));
  ASSERT_TRUE(desk_->tick());
  EXPECT_EQ(reread(first->run.id).state, RunState::running);
  EXPECT_EQ(engine_->calls.back(), "resume " + exercise);
}

// A range that failed to build: its detail (the recipe's log, the server's folders) goes to the
// log, the trainee's run says in both languages that the server had a problem (#17, Low).
TEST_F(RunDeskTest, AFailedRangeTellsTheTraineeNoBuildLogOrServerPath) {
  auto first = desk_->start(users_["ann"], "basics");
  ASSERT_TRUE(first) << first.error().message;
  const std::string exercise = first->run.exercise;
  engine_->states[exercise] = "failed";
  engine_->details[exercise] =
      "The image recipe '/bin/sh' failed (status 256): + debootstrap --variant=minbase bookworm "
      "/var/lib/cyrange/images/tiny.tmp-4242\nE: Couldn't download packages";
  ASSERT_TRUE(desk_->tick());
  const auto run = reread(first->run.id);
  EXPECT_EQ(run.state, RunState::failed);
  EXPECT_EQ(run.detail.find("debootstrap"), std::string::npos) << run.detail;
  EXPECT_EQ(run.detail.find("/var/lib/cyrange"), std::string::npos) << run.detail;
  EXPECT_NE(run.detail.find("problem on the server"), std::string::npos) << run.detail;
  EXPECT_NE(run.detail.find("サーバー側の問題"), std::string::npos) << run.detail;
}

TEST_F(RunDeskTest, AnOrganisationQuotaQueuesItsTraineesWhileOthersStart) {
  limits_.capacity = 10;
  desk_ = std::make_unique<RunDesk>(store_, engine_, limits_);
  db_.query_one(
      "UPDATE organisations SET self_paced_quota = 1 WHERE name = 'north_city' "
      "RETURNING 1");
  auto ann = desk_->start(users_["ann"], "basics");
  auto bob = desk_->start(users_["bob"], "basics");
  auto cho = desk_->start(users_["cho"], "basics");
  ASSERT_TRUE(ann) << ann.error().message;
  ASSERT_TRUE(bob) << bob.error().message;
  ASSERT_TRUE(cho) << cho.error().message;
  EXPECT_EQ(ann->run.state, RunState::starting);
  EXPECT_EQ(bob->run.state, RunState::queued);
  EXPECT_EQ(cho->run.state, RunState::starting);
}

TEST_F(RunDeskTest, OnlyTheOwnerSeesAndControlsARun) {
  auto run = desk_->start(users_["ann"], "basics");
  ASSERT_TRUE(run) << run.error().message;
  for (auto refused :
       {desk_->pause(users_["bob"], run->run.id), desk_->end(users_["bob"], run->run.id),
        desk_->keep_alive(users_["bob"], run->run.id)}) {
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::not_found);
  }
  auto bobs = desk_->runs(users_["bob"]);
  ASSERT_TRUE(bobs);
  EXPECT_TRUE(bobs->empty());
  auto anns = desk_->runs(users_["ann"]);
  ASSERT_TRUE(anns);
  ASSERT_EQ(anns->size(), 1u);
  // A token bound to an exercise (a training day's join) cannot start runs.
  Identity joined = users_["ann"];
  joined.exercise_id = "day1";
  auto bound = desk_->start(joined, "basics");
  ASSERT_FALSE(bound);
  EXPECT_EQ(bound.error().code, ErrorCode::permission_denied);
  auto designer =
      desk_->start(Identity{98, "dee", Role::designer, std::nullopt, std::nullopt}, "basics");
  ASSERT_FALSE(designer);
  EXPECT_EQ(designer.error().code, ErrorCode::permission_denied);
}

TEST_F(RunDeskTest, TheRunTokenActsForTheRunsOwnTeamInItsExerciseOnly) {
  auto run = desk_->start(users_["ann"], "basics");
  ASSERT_TRUE(run) << run.error().message;
  auto who = identities_->authenticate(run->token);
  ASSERT_TRUE(who) << who.error().message;
  EXPECT_EQ(who->name, "ann");
  EXPECT_EQ(who->exercise_id, run->run.exercise);
  EXPECT_EQ(who->team_id, team_id(run->run.team));
  EXPECT_NE(who->team_id, team_id("home"));
}

TEST_F(RunDeskTest, AnIdleRunPausesAndAnExpiredOneIsRemovedWithItsResultsKept) {
  auto run = desk_->start(users_["ann"], "basics");
  ASSERT_TRUE(run) << run.error().message;
  const std::string exercise = run->run.exercise;
  engine_->states[exercise] = "ready";
  const auto now = std::chrono::system_clock::now();
  ASSERT_TRUE(desk_->tick(now));
  ASSERT_EQ(reread(run->run.id).state, RunState::running);
  ASSERT_TRUE(desk_->tick(now + std::chrono::minutes(5)));
  EXPECT_EQ(reread(run->run.id).state, RunState::running);
  ASSERT_TRUE(desk_->tick(now + std::chrono::minutes(16)));
  EXPECT_EQ(reread(run->run.id).state, RunState::paused);
  EXPECT_EQ(engine_->calls.back(), "suspend " + exercise);

  ASSERT_TRUE(desk_->tick(run->run.expires_at + std::chrono::seconds(1)));
  const course::Run expired = reread(run->run.id);
  EXPECT_EQ(expired.state, RunState::expired);
  EXPECT_TRUE(expired.ended_at.has_value());
  EXPECT_EQ(engine_->calls.back(), "end " + exercise);
  // Starting the course again is a new run; the expired one stays in the list.
  auto again = desk_->start(users_["ann"], "basics");
  ASSERT_TRUE(again);
  EXPECT_NE(again->run.id, run->run.id);
  auto runs = desk_->runs(users_["ann"]);
  ASSERT_TRUE(runs);
  EXPECT_EQ(runs->size(), 2u);
}

TEST_F(RunDeskTest, ARunThatReachesTheTimeLimitFinishesWithItsResultsKept) {
  publish("timed", {}, std::chrono::minutes(90));
  auto course = store_->course("timed");
  ASSERT_TRUE(course) << course.error().message;
  ASSERT_EQ(course->time_limit, std::chrono::minutes(90)) << "the limit is stored";
  auto run = desk_->start(users_["ann"], "timed");
  ASSERT_TRUE(run) << run.error().message;
  const std::string exercise = run->run.exercise;
  engine_->states[exercise] = "ready";
  const auto now = std::chrono::system_clock::now();
  ASSERT_TRUE(desk_->tick(now));
  ASSERT_EQ(reread(run->run.id).state, RunState::running);
  engine_->clocks[exercise] = std::chrono::minutes(90) - std::chrono::seconds(1);
  ASSERT_TRUE(desk_->tick(now + std::chrono::seconds(2)));
  EXPECT_EQ(reread(run->run.id).state, RunState::running);
  engine_->clocks[exercise] = std::chrono::minutes(90);
  ASSERT_TRUE(desk_->tick(now + std::chrono::seconds(4)));
  const course::Run finished = reread(run->run.id);
  EXPECT_EQ(finished.state, RunState::finished);
  EXPECT_NE(finished.detail.find("time limit"), std::string::npos) << finished.detail;
  EXPECT_NE(finished.detail.find("制限時間"), std::string::npos) << finished.detail;
  EXPECT_EQ(engine_->calls.back(), "end " + exercise);
  // A course without a limit runs on, whatever its clock says.
  auto basics = desk_->start(users_["bob"], "basics");
  ASSERT_TRUE(basics) << basics.error().message;
  engine_->states[basics->run.exercise] = "ready";
  engine_->clocks[basics->run.exercise] = std::chrono::hours(100);
  ASSERT_TRUE(desk_->tick(now + std::chrono::seconds(6)));
  EXPECT_EQ(reread(basics->run.id).state, RunState::running);
}

TEST_F(RunDeskTest, ARunningRunTakesTheDefaultOfEachDecisionNobodyMade) {
  auto run = desk_->start(users_["ann"], "basics");
  ASSERT_TRUE(run) << run.error().message;
  const std::string exercise = run->run.exercise;
  // Presented while the range is still starting: nothing is decided before the run runs.
  engine_->undecided[exercise] = {run->run.team + "/disclose:later"};
  const auto now = std::chrono::system_clock::now();
  ASSERT_TRUE(desk_->tick(now));
  EXPECT_EQ(std::count(engine_->calls.begin(), engine_->calls.end(),
                       "decide " + exercise + " " + run->run.team + "/disclose:later"),
            0);
  engine_->states[exercise] = "ready";
  ASSERT_TRUE(desk_->tick(now));
  ASSERT_TRUE(desk_->tick(now + std::chrono::seconds(2)));
  EXPECT_EQ(std::count(engine_->calls.begin(), engine_->calls.end(),
                       "decide " + exercise + " " + run->run.team + "/disclose:later"),
            1);
  // A paused run decides nothing: its clock stands still.
  ASSERT_TRUE(desk_->pause(users_["ann"], run->run.id));
  engine_->undecided[exercise] = {run->run.team + "/pay:no"};
  ASSERT_TRUE(desk_->tick(now + std::chrono::seconds(4)));
  EXPECT_EQ(engine_->calls.back(), "suspend " + exercise);
}

TEST_F(RunDeskTest, AtStartTheResultsOfPausedAndEndedRunsAreLoaded) {
  limits_.capacity = 10;
  desk_ = std::make_unique<RunDesk>(store_, engine_, limits_);
  auto paused = desk_->start(users_["ann"], "basics");
  auto ended = desk_->start(users_["bob"], "basics");
  auto queued = desk_->start(users_["cho"], "basics");
  ASSERT_TRUE(paused && ended && queued);
  for (const auto& ticket : {*paused, *ended}) engine_->states[ticket.run.exercise] = "ready";
  ASSERT_TRUE(desk_->tick());
  ASSERT_TRUE(desk_->pause(users_["ann"], paused->run.id));
  ASSERT_TRUE(desk_->end(users_["bob"], ended->run.id));
  engine_->calls.clear();
  ASSERT_TRUE(desk_->reopen());
  std::sort(engine_->calls.begin(), engine_->calls.end());
  std::vector<std::string> expected = {"load " + paused->run.exercise,
                                       "load " + ended->run.exercise};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(engine_->calls, expected) << "a starting run's scores open once its range is ready";
}

TEST_F(RunDeskTest, OnlyInstructorsOfTheTraineesOrganisationOverseeARunsExercise) {
  auto run = desk_->start(users_["ann"], "basics");  // ann works for north_city
  ASSERT_TRUE(run) << run.error().message;
  const Identity north = staff("ina", Role::instructor, "north_city");
  const Identity south = staff("sho", Role::instructor, "south_town");
  const Identity none = staff("nob", Role::instructor, "");
  const Identity admin = staff("ada", Role::admin, "south_town");
  EXPECT_TRUE(desk_->oversee(north, run->run.exercise));
  EXPECT_TRUE(desk_->oversee(admin, run->run.exercise));
  for (const Identity& other : {south, none}) {
    auto refused = desk_->oversee(other, run->run.exercise);
    ASSERT_FALSE(refused) << other.name;
    EXPECT_EQ(refused.error().code, ErrorCode::not_found);
    EXPECT_NE(refused.error().message_ja.find(run->run.exercise), std::string::npos);
  }
  // A training day's exercise is no run: every instructor oversees it.
  EXPECT_TRUE(desk_->oversee(south, "day1"));
}

TEST_F(RunDeskTest, ATraineeWhoJoinedWithACourseCodeSeesThatCourseOnly) {
  db_.query_one("INSERT INTO course_code_users (user_id, course_id) VALUES (" +
                std::to_string(users_["bob"].user_id) + ", 'north_only') RETURNING 1");
  auto bob = desk_->courses(users_["bob"]);
  ASSERT_TRUE(bob) << bob.error().message;
  ASSERT_EQ(bob->size(), 1u);
  EXPECT_EQ(bob->front().id, "north_only");
  auto refused = desk_->start(users_["bob"], "basics");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::not_found);
  auto ann = desk_->courses(users_["ann"]);
  ASSERT_TRUE(ann);
  EXPECT_EQ(ann->size(), 2u) << "a trainee of the organisation with their own token: both";
}

TEST_F(RunDeskTest, OnlyAdminsAndTheOrganisationsInstructorsHandOutItsCodes) {
  EXPECT_TRUE(
      desk_->may_hand_out_codes(staff("ina", Role::instructor, "north_city"), "north_city"));
  EXPECT_TRUE(desk_->may_hand_out_codes(staff("ada", Role::admin, ""), "south_town"));
  for (const Identity& refused : {staff("sho", Role::instructor, "south_town"), users_["ann"]}) {
    auto st = desk_->may_hand_out_codes(refused, "north_city");
    ASSERT_FALSE(st) << refused.name;
    EXPECT_EQ(st.error().code, ErrorCode::permission_denied);
  }
}

TEST(CourseFromScenario, OnlyASelfPacedScenarioBecomesACourse) {
  std::ifstream in(std::string(CYRANGE_SOURCE_DIR "/scenarios/quick-check/scenario.yaml"));
  const std::string quick((std::istreambuf_iterator<char>(in)), {});
  auto course = course_from_scenario(quick, "quick-check/scenario.yaml", "");
  ASSERT_TRUE(course) << course.error().message;
  EXPECT_EQ(course->id, "quick_check");
  EXPECT_EQ(course->scenario_id, "quick-check");
  EXPECT_FALSE(course->title_ja.empty());
  EXPECT_DOUBLE_EQ(course->clock_speed, 1.0);
  EXPECT_EQ(course->time_limit, std::chrono::minutes(30));

  // The same scenario without its self_paced block is instructor-led only.
  const auto from = quick.find("self_paced:");
  ASSERT_NE(from, std::string::npos);
  const std::string led = quick.substr(0, from) + quick.substr(quick.find("\n\n", from) + 2);
  auto refused = course_from_scenario(led, "led.yaml", "");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(refused.error().message.find("led.yaml does not declare"), std::string::npos)
      << refused.error().message;
}

}  // namespace
}  // namespace cyrange::course
