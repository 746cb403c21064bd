// Self-paced results belong to the trainee's organisation: an instructor lists the runs
// (and the review items) of the trainees of their own organisation only, an admin every
// run, a trainee their own; review items are for instructors and admins only.
#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <cyrange/v1/course.grpc.pb.h>
#include <cyrange/v1/exercise.grpc.pb.h>
#include <cyrange/v1/scoring.grpc.pb.h>

#include <tests/security/authz_stack.h>

namespace cyrange::security {
namespace {

namespace v1 = cyrange::v1;

class SelfPacedCohortTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_ = start_stack(start_error_);
    if (stack_ == nullptr) return;
    // The instructor and team1's trainee work for one town, team2's trainee for another.
    stack_->query(
        "INSERT INTO organisations (name, type, size_band, region) VALUES "
        "('north_city', 'municipality', '300-999', 'hokkaido'), "
        "('south_town', 'municipality', '1-99', 'okinawa') RETURNING 1");
    join(stack_->user_id(Who::instructor), "north_city");
    join(stack_->user_id(Who::trainee), "north_city");
    join(stack_->other_trainee_id(), "south_town");
  }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }
  void SetUp() override { ASSERT_EQ(start_error_, ""); }

  static void join(std::int64_t user, const std::string& organisation) {
    stack_->query("INSERT INTO organisation_members SELECT " + std::to_string(user) +
                  ", id FROM organisations WHERE name = '" + organisation +
                  "' ON CONFLICT (user_id) DO UPDATE SET organisation_id = "
                  "excluded.organisation_id RETURNING 1");
  }
  static std::unique_ptr<grpc::ClientContext> as(Who who) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("authorization", stack_->bearer(who));
    return ctx;
  }
  // The ids of the runs `who` lists.
  static std::vector<std::int64_t> runs(Who who) {
    v1::ListRunsResponse response;
    auto status =
        v1::CourseService::NewStub(stack_->channel())->ListRuns(as(who).get(), {}, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<std::int64_t> out;
    for (const auto& r : response.runs()) out.push_back(r.id());
    std::sort(out.begin(), out.end());
    return out;
  }
  static grpc::Status reviews(Who who, std::int64_t run) {
    v1::ListReviewsRequest request;
    request.set_run_id(run);
    v1::ListReviewsResponse response;
    return v1::CourseService::NewStub(stack_->channel())
        ->ListReviews(as(who).get(), request, &response);
  }

  static AuthzStack* stack_;
  static std::string start_error_;
};

AuthzStack* SelfPacedCohortTest::stack_ = nullptr;
std::string SelfPacedCohortTest::start_error_;

TEST_F(SelfPacedCohortTest, AnInstructorListsOnlyTheRunsOfTheirOwnOrganisation) {
  const std::int64_t own = stack_->run_id(false), other = stack_->run_id(true);
  EXPECT_EQ(runs(Who::instructor), std::vector<std::int64_t>{own});
  EXPECT_EQ(runs(Who::admin),
            (std::vector<std::int64_t>{std::min(own, other), std::max(own, other)}));
  EXPECT_EQ(runs(Who::trainee), std::vector<std::int64_t>{own});
}

// The run's exercise is as invisible as the run: another organisation's instructor does not
// find it in the exercise list (the matrix rows `run` check every call that names it).
TEST_F(SelfPacedCohortTest, AnotherOrganisationsRunIsNotInTheInstructorsExerciseList) {
  auto listed = [](Who who) {
    v1::ListExercisesRequest request;
    request.set_include_ended(true);
    v1::ListExercisesResponse response;
    auto status = v1::ExerciseService::NewStub(stack_->channel())
                      ->ListExercises(as(who).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<std::string> ids;
    for (const auto& e : response.exercises()) ids.push_back(e.exercise_id());
    return ids;
  };
  const auto instructor = listed(Who::instructor);
  const auto admin = listed(Who::admin);
  const auto has = [](const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  };
  EXPECT_TRUE(has(admin, AuthzStack::kRunExercise));
  EXPECT_TRUE(has(admin, AuthzStack::kExercise));
  EXPECT_FALSE(has(instructor, AuthzStack::kRunExercise));
  EXPECT_TRUE(has(instructor, AuthzStack::kExercise));
}

TEST_F(SelfPacedCohortTest, ReviewItemsFollowTheSameRule) {
  EXPECT_TRUE(reviews(Who::instructor, stack_->run_id(false)).ok());
  // Another organisation's run is not told apart from one that does not exist.
  EXPECT_EQ(reviews(Who::instructor, stack_->run_id(true)).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(reviews(Who::admin, stack_->run_id(true)).ok());
  EXPECT_EQ(reviews(Who::trainee, stack_->run_id(false)).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(reviews(Who::trainee, 0).error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(SelfPacedCohortTest, AnInstructorOfNoOrganisationSeesOnlyTraineesOfNone) {
  stack_->query("DELETE FROM organisation_members WHERE user_id = " +
                std::to_string(stack_->user_id(Who::instructor)) + " RETURNING 1");
  EXPECT_EQ(runs(Who::instructor), std::vector<std::int64_t>{});
  stack_->query("DELETE FROM organisation_members WHERE user_id = " +
                std::to_string(stack_->user_id(Who::trainee)) + " RETURNING 1");
  EXPECT_EQ(runs(Who::instructor), std::vector<std::int64_t>{stack_->run_id(false)});
  join(stack_->user_id(Who::instructor), "north_city");
  join(stack_->user_id(Who::trainee), "north_city");
}

// WatchRuns: the runs ListRuns gives, then each change as it happens. A staff adjustment of
// a paused run's score reaches the admin's stream by itself (the run's scoreboard wakes the
// feed); the trainee's stream carries only their own run, whose next change (they end it)
// comes after it.
TEST_F(SelfPacedCohortTest, WatchRunsSendsTheRunsThenEveryChangeOfThoseTheCallerMaySee) {
  struct Watch {
    std::unique_ptr<grpc::ClientContext> ctx;
    std::unique_ptr<v1::CourseService::Stub> stub;
    std::unique_ptr<grpc::ClientReader<v1::CourseRun>> reader;
    // The next message; none once the stream ended or 20 s passed.
    std::optional<v1::CourseRun> next() {
      v1::CourseRun run;
      if (!reader->Read(&run)) return std::nullopt;
      return run;
    }
  };
  auto watch = [](Who who) {
    Watch w{as(who), v1::CourseService::NewStub(stack_->channel()), nullptr};
    w.ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    w.reader = w.stub->WatchRuns(w.ctx.get(), v1::WatchRunsRequest());
    return w;
  };
  const std::int64_t own = stack_->run_id(false), other = stack_->run_id(true);
  Watch admin = watch(Who::admin);
  Watch trainee = watch(Who::trainee);
  std::map<std::int64_t, v1::CourseRun> listed;
  for (int i = 0; i < 2; ++i) {
    auto run = admin.next();
    ASSERT_TRUE(run.has_value()) << "the admin's snapshot has both runs";
    listed[run->id()] = *run;
  }
  ASSERT_TRUE(listed.contains(own) && listed.contains(other));
  auto first = trainee.next();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->id(), own);

  // An admin adds 7 points to team2's trainee's paused run.
  v1::AdjustRequest adjust;
  adjust.set_exercise_id(AuthzStack::kRunExercise);
  adjust.set_team(AuthzStack::kOtherTeam);
  adjust.set_objective("first-victim");
  adjust.set_points(7);
  adjust.set_reason("WatchRuns test");
  v1::ScoringResult adjusted;
  const auto status = v1::ScoringService::NewStub(stack_->channel())
                          ->Adjust(as(Who::admin).get(), adjust, &adjusted);
  ASSERT_TRUE(status.ok()) << status.error_message();
  auto changed = admin.next();
  ASSERT_TRUE(changed.has_value()) << "the adjustment never reached the admin's stream";
  EXPECT_EQ(changed->id(), other);
  EXPECT_EQ(changed->score(), listed[other].score() + 7);
  EXPECT_EQ(changed->state(), v1::CourseRun::STATE_PAUSED);

  // The trainee's own (queued) run changes next: they end it.
  v1::RunRequest end;
  end.set_run_id(own);
  v1::CourseRun ended;
  const auto end_status =
      v1::CourseService::NewStub(stack_->channel())->EndRun(as(Who::trainee).get(), end, &ended);
  ASSERT_TRUE(end_status.ok()) << end_status.error_message();
  auto mine = trainee.next();
  ASSERT_TRUE(mine.has_value()) << "the trainee's own run's change never arrived";
  EXPECT_EQ(mine->id(), own) << "another trainee's run reached the trainee's stream";
  EXPECT_EQ(mine->state(), v1::CourseRun::STATE_FINISHED);
  admin.ctx->TryCancel();
  trainee.ctx->TryCancel();
}

TEST_F(SelfPacedCohortTest, DesignersCannotWatchRuns) {
  auto ctx = as(Who::designer);
  auto reader = v1::CourseService::NewStub(stack_->channel())->WatchRuns(ctx.get(), {});
  v1::CourseRun run;
  EXPECT_FALSE(reader->Read(&run));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace cyrange::security
