// Cost before and after login (#17, 6) on cyranged's real server: a flood of bad tokens from
// one address is refused with RESOURCE_EXHAUSTED before any lookup while a token the server
// accepted keeps working; the token cache never outlives a revocation (here: at once; from
// another connection: as soon as PostgreSQL's notification arrives); a message over
// grpc_max_receive_kb is refused.
#include <chrono>
#include <string>
#include <thread>

#include <cyrange/v1/analytics.grpc.pb.h>
#include <cyrange/v1/common.pb.h>
#include <cyrange/v1/report.grpc.pb.h>
#include <cyrange/v1/system.grpc.pb.h>
#include <gtest/gtest.h>

#include <tests/security/stack_suite.h>

namespace cyrange::security {
namespace {

namespace v1 = cyrange::v1;

grpc::Status whoami(AuthzStack& stack, const std::string& token) {
  auto stub = v1::SystemService::NewStub(stack.channel());
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + token);
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::WhoAmIRequest request;
  v1::WhoAmIResponse response;
  return stub->WhoAmI(&ctx, request, &response);
}

using CostLimitsTest = StackSuite;

TEST_F(CostLimitsTest, AFloodOfBadTokensIsRefusedWhileAGoodTokenStillWorks) {
  auto good = stack_->extra_trainee("flood-neighbour");
  ASSERT_TRUE(good) << good.error().message;
  ASSERT_TRUE(whoami(*stack_, *good).ok());
  // More than the burst (20 by default) of unknown tokens from this address.
  int unauthenticated = 0, exhausted = 0;
  grpc::Status last;
  for (int i = 0; i < 60; ++i) {
    last = whoami(*stack_, "not-a-token-" + std::to_string(i));
    if (last.error_code() == grpc::StatusCode::UNAUTHENTICATED) ++unauthenticated;
    if (last.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) ++exhausted;
  }
  EXPECT_EQ(unauthenticated + exhausted, 60);
  EXPECT_GE(unauthenticated, 20) << "the first failures are answered as usual";
  EXPECT_GE(exhausted, 20) << "the flood was not limited";
  ASSERT_EQ(last.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(last.error_message().find("Too many failed sign-ins"), std::string::npos)
      << last.error_message();
  EXPECT_NE(japanese_of(last).find("認証の失敗が多すぎます"), std::string::npos);
  // The good token of someone at the same address keeps working.
  const auto again = whoami(*stack_, *good);
  EXPECT_TRUE(again.ok()) << again.error_message();
}

TEST_F(CostLimitsTest, ARevokedTokenStopsWorkingAtOnceDespiteTheCache) {
  auto token = stack_->extra_trainee("cached-revokee");
  ASSERT_TRUE(token) << token.error().message;
  ASSERT_TRUE(whoami(*stack_, *token).ok());
  ASSERT_TRUE(whoami(*stack_, *token).ok());  // from the cache now
  ASSERT_TRUE(stack_->identities().revoke_tokens("cached-revokee", "cost test"));
  const auto after = whoami(*stack_, *token);
  EXPECT_EQ(after.error_code(), grpc::StatusCode::UNAUTHENTICATED) << after.error_message();
  EXPECT_NE(after.error_message().find("revoked"), std::string::npos) << after.error_message();
}

TEST_F(CostLimitsTest, ADisabledUsersCachedTokenStopsWorkingAtOnce) {
  auto token = stack_->extra_trainee("cached-disablee");
  ASSERT_TRUE(token) << token.error().message;
  ASSERT_TRUE(whoami(*stack_, *token).ok());
  ASSERT_TRUE(stack_->identities().disable_user("cached-disablee", "cost test"));
  EXPECT_EQ(whoami(*stack_, *token).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

// A revocation by another process (here another connection, as `cyrange users revoke` or psql
// would) reaches the cache through PostgreSQL's notification: long before the cache's own
// lifetime on this stack (60 s) ends.
TEST_F(CostLimitsTest, ARevocationFromAnotherProcessEmptiesTheCache) {
  auto token = stack_->extra_trainee("elsewhere-revokee");
  ASSERT_TRUE(token) << token.error().message;
  ASSERT_TRUE(whoami(*stack_, *token).ok());
  stack_->query(
      "UPDATE api_tokens SET revoked_at = now() WHERE user_id = (SELECT id FROM users WHERE name "
      "= 'elsewhere-revokee') RETURNING id");
  grpc::Status after = whoami(*stack_, *token);
  for (int i = 0; i < 200 && after.ok(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    after = whoami(*stack_, *token);
  }
  EXPECT_EQ(after.error_code(), grpc::StatusCode::UNAUTHENTICATED)
      << "the revoked token still worked 10 s later";
}

TEST_F(CostLimitsTest, AnOversizeMessageIsRefused) {
  auto stub = v1::ReportService::NewStub(stack_->channel());
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", stack_->bearer(Who::trainee));
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  v1::SaveReportRequest request;
  request.set_exercise_id(AuthzStack::kExercise);
  // 3 MiB: under gRPC's own default of 4 MiB, over cyranged's grpc_max_receive_kb (2048).
  request.mutable_sections()->set_timeline(std::string(3 * 1024 * 1024, 'x'));
  v1::ReportVersion response;
  const auto status = stub->SaveReport(&ctx, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  EXPECT_EQ(stack_->query("SELECT count(*) FROM reports WHERE length(timeline) > 1000000"), "0");
}

// GetAnalytics reuses its connections (#17, 6): before, every call opened two or three new
// PostgreSQL connections (and a thread). PostgreSQL counts the sessions ever opened to the
// test database; the report's own audit rows and token checks open none.
TEST_F(CostLimitsTest, AnalyticsCallsReuseTheirDatabaseConnections) {
  auto stub = v1::AnalyticsService::NewStub(stack_->channel());
  auto report = [&] {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", stack_->bearer(Who::instructor));
    v1::GetAnalyticsRequest request;
    request.set_exercise_id(AuthzStack::kExercise);
    v1::GetAnalyticsResponse response;
    return stub->GetAnalytics(&ctx, request, &response);
  };
  const std::string sessions =
      "SELECT sessions FROM pg_stat_database WHERE datname = current_database()";
  ASSERT_TRUE(report().ok()) << "the first report opens what it keeps";
  // The statistics collector reports with a short delay; a pg_stat_force... is not there, so
  // read them in a new transaction after clearing this backend's snapshot.
  const auto count = [&] {
    stack_->query("SELECT pg_stat_clear_snapshot()");
    return std::stoll(stack_->query(sessions));
  };
  const long long before = count();
  for (int i = 0; i < 12; ++i) {
    const grpc::Status st = report();
    ASSERT_TRUE(st.ok()) << st.error_message();
  }
  // Each query() of this test opens a session of its own (two here); the twelve reports none.
  long long opened = count() - before;
  EXPECT_LE(opened, 3) << "sessions opened during 12 reports";
}

}  // namespace
}  // namespace cyrange::security
