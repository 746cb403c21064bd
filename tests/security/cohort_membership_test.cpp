// Cohorts do not collide (#17, 4): a trainee plays in the exercise run they were added for.
// The matrix trainee was added for kExercise in team1; kLaterExercise, a later cohort's run,
// has a team1 too, and the trainee even has a consent there. Every call of a trainee about the
// later run answers NOT_FOUND, as for an exercise nobody created, and changes nothing; a
// trainee added for the later run works in it.
#include <cyrange/v1/range.grpc.pb.h>
#include <cyrange/v1/scoring.grpc.pb.h>
#include <gtest/gtest.h>

#include <tests/security/authz_calls.h>
#include <tests/security/stack_suite.h>

namespace cyrange::security {
namespace {

using CohortMembershipTest = StackSuite;

TEST_F(CohortMembershipTest, ASameNamedTeamInAnotherRunIsNotFoundForEveryTraineeCall) {
  const Target later{AuthzStack::kLaterExercise, AuthzStack::kOwnTeam,
                     stack_->team_id(AuthzStack::kOwnTeam), 0};
  for (const char* method : trainee_exercise_calls()) {
    SCOPED_TRACE(method);
    const auto found = rpc_calls().find(method);
    ASSERT_NE(found, rpc_calls().end()) << "no call for " << method << " in authz_calls.cpp";
    auto call = found->second(CallContext{*stack_, Who::trainee, later});
    const std::string before = stack_->fingerprint();
    const CallResult result = call();
    EXPECT_EQ(result.status.error_code(), grpc::StatusCode::NOT_FOUND)
        << "code " << result.status.error_code() << ": " << result.status.error_message();
    EXPECT_EQ(result.leak, "");
    EXPECT_EQ(stack_->fingerprint(), before) << "the refused call changed something";
  }
}

// ListRanges names no exercise: it lists the ranges of the trainee's own run only.
TEST_F(CohortMembershipTest, ListRangesShowsNothingOfTheOtherRun) {
  auto stub = v1::RangeService::NewStub(stack_->channel());
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", stack_->bearer(Who::trainee));
  v1::ListRangesRequest request;
  v1::ListRangesResponse response;
  const auto status = stub->ListRanges(&ctx, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_GT(response.ranges_size(), 0);
  for (const auto& range : response.ranges())
    EXPECT_EQ(range.exercise_id(), AuthzStack::kExercise) << range.team();
}

TEST_F(CohortMembershipTest, TheRefusalNamesTheTraineesOwnRunInBothLanguages) {
  const Target later{AuthzStack::kLaterExercise, AuthzStack::kOwnTeam, 0, 0};
  const CallResult result =
      rpc_calls().at("ScoringService.ListTasks")(CallContext{*stack_, Who::trainee, later})();
  ASSERT_EQ(result.status.error_code(), grpc::StatusCode::NOT_FOUND);
  const std::string details = result.status.error_message() + result.status.error_details();
  EXPECT_NE(details.find(AuthzStack::kExercise), std::string::npos) << details;
  EXPECT_NE(details.find("takes part in exercise"), std::string::npos) << details;
  EXPECT_NE(details.find("参加できるのは演習"), std::string::npos) << details;
}

TEST_F(CohortMembershipTest, ATraineeOfTheLaterRunWorksInItAndNotInTheEarlierOne) {
  auto token = stack_->run_trainee("cohort-two", AuthzStack::kLaterExercise);
  ASSERT_TRUE(token) << token.error().message;
  auto stub = v1::ScoringService::NewStub(stack_->channel());
  auto tasks_of = [&](const std::string& exercise) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + *token);
    v1::ListTasksRequest request;
    request.set_exercise_id(exercise);
    request.set_team(AuthzStack::kOwnTeam);
    v1::ListTasksResponse response;
    return stub->ListTasks(&ctx, request, &response);
  };
  const auto own = tasks_of(AuthzStack::kLaterExercise);
  EXPECT_TRUE(own.ok()) << own.error_message();
  EXPECT_EQ(tasks_of(AuthzStack::kExercise).error_code(), grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace cyrange::security
