// Database errors and other failures on the server's side do not reach trainees (#17, Low):
// a trainee's call that fails inside cyranged is told so in one sentence in both languages
// with a reference, and the whole message (which names tables, roles, folders) is logged
// under that reference; staff still read it. Before, the trainee got PostgreSQL's text.
#include <cyrange/v1/report.grpc.pb.h>
#include <gtest/gtest.h>

#include <tests/security/stack_suite.h>

namespace cyrange::security {
namespace {

using InternalErrorsTest = StackSuite;

grpc::Status get_report(AuthzStack& stack, Who who) {
  auto stub = v1::ReportService::NewStub(stack.channel());
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", stack.bearer(who));
  v1::GetReportRequest request;
  request.set_exercise_id(AuthzStack::kExercise);
  request.set_team(AuthzStack::kOwnTeam);
  v1::Report response;
  return stub->GetReport(&ctx, request, &response);
}

TEST_F(InternalErrorsTest, ADatabaseErrorReachesTheTraineeAsAReferenceOnly) {
  ASSERT_TRUE(get_report(*stack_, Who::trainee).ok()) << "the trainee's team saved a report";
  // The daemon's role loses its right to read reports: every read now fails in PostgreSQL.
  const std::string role = stack_->query_as_daemon("SELECT current_user");
  stack_->query("REVOKE SELECT ON reports FROM " + role);
  const grpc::Status trainee = get_report(*stack_, Who::trainee);
  const grpc::Status instructor = get_report(*stack_, Who::instructor);
  stack_->query("GRANT SELECT ON reports TO " + role);

  ASSERT_FALSE(trainee.ok());
  const std::string told = trainee.error_message() + " " + japanese_of(trainee);
  for (const char* internal : {"reports", "permission denied", role.c_str(), "PostgreSQL"})
    EXPECT_EQ(told.find(internal), std::string::npos) << internal << " in: " << told;
  EXPECT_NE(trainee.error_message().find("problem on its side"), std::string::npos) << told;
  EXPECT_NE(trainee.error_message().find("reference"), std::string::npos) << told;
  EXPECT_NE(japanese_of(trainee).find("参照番号"), std::string::npos) << told;

  ASSERT_FALSE(instructor.ok());
  EXPECT_EQ(instructor.error_code(), trainee.error_code());
  EXPECT_NE(instructor.error_message().find("permission denied"), std::string::npos)
      << "staff read what failed: " << instructor.error_message();
}

TEST_F(InternalErrorsTest, TwoFailuresGetTwoReferences) {
  const std::string role = stack_->query_as_daemon("SELECT current_user");
  stack_->query("REVOKE SELECT ON reports FROM " + role);
  const grpc::Status first = get_report(*stack_, Who::trainee);
  const grpc::Status second = get_report(*stack_, Who::trainee);
  stack_->query("GRANT SELECT ON reports TO " + role);
  ASSERT_FALSE(first.ok());
  ASSERT_FALSE(second.ok());
  EXPECT_NE(first.error_message(), second.error_message())
      << "each failure is found in the log by its own reference";
}

}  // namespace
}  // namespace cyrange::security
