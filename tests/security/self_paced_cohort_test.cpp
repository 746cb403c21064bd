// Self-paced results belong to the trainee's organisation: an instructor lists the runs
// (and the review items) of the trainees of their own organisation only, an admin every
// run, a trainee their own; review items are for instructors and admins only.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <cyrange/v1/course.grpc.pb.h>

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

}  // namespace
}  // namespace cyrange::security
