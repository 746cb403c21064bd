// Audit #17, item 8: answers cannot be brute-forced. An objective without an attempt limit of
// its own makes a team wait after many wrong answers (scoring::AnswerThrottle), an objective
// with one keeps only its own limit, and one user cannot send answers and hints faster than
// the per-user limit of the RPC layer (rpc::UserRateLimiter). A refusal is RESOURCE_EXHAUSTED
// and says, in English and Japanese, when to try again.
#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include <cyrange/v1/common.pb.h>
#include <cyrange/v1/scoring.grpc.pb.h>

#include <orchestrator/rpc/user_rate_limit.h>
#include <orchestrator/scoring/answer_throttle.h>
#include <tests/security/authz_stack.h>
#include <tests/security/stack_suite.h>

namespace cyrange::security {
namespace {

namespace v1 = cyrange::v1;
using std::chrono::seconds;
using SteadyTime = std::chrono::steady_clock::time_point;

TEST(AnswerLimitsUnitTest, OneUserGetsABurstThenTheRate) {
  SteadyTime now{};
  rpc::UserRateLimiter limiter({3, 6}, "answers and hints", "回答とヒント", [&] { return now; });
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(limiter.take(1, "ann")) << "call " << i;
  Status refused = limiter.take(1, "ann");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::resource_exhausted);
  EXPECT_NE(refused.error().message.find("try again in 10 s"), std::string::npos)
      << refused.error().message;
  EXPECT_NE(refused.error().message_ja.find("10 秒後"), std::string::npos);
  EXPECT_TRUE(limiter.take(2, "bob")) << "another user has a bucket of its own";
  now += seconds(10);
  EXPECT_TRUE(limiter.take(1, "ann"));
  EXPECT_FALSE(limiter.take(1, "ann"));
}

TEST(AnswerLimitsUnitTest, WrongAnswersPastTheFreeOnesWaitLongerEachTime) {
  SteadyTime now{};
  scoring::AnswerThrottle throttle({2, seconds(5), seconds(12)}, [&] { return now; });
  EXPECT_TRUE(throttle.admit("t1", "flag", 0));
  throttle.note_wrong("t1", "flag");
  EXPECT_TRUE(throttle.admit("t1", "flag", 1));
  throttle.note_wrong("t1", "flag");
  // Two wrong answers used the free ones: 5 s, then 10 s, then at most 12 s.
  for (const auto& [wrong, wait] : {std::pair{2, 5}, std::pair{3, 10}, std::pair{4, 12}}) {
    Status refused = throttle.admit("t1", "flag", wrong);
    ASSERT_FALSE(refused) << wrong;
    EXPECT_EQ(refused.error().code, ErrorCode::resource_exhausted);
    EXPECT_NE(refused.error().message.find("try again in " + std::to_string(wait) + " s"),
              std::string::npos)
        << refused.error().message;
    EXPECT_NE(refused.error().message_ja.find(std::to_string(wait) + " 秒後"), std::string::npos);
    EXPECT_TRUE(throttle.admit("t2", "flag", 0)) << "another team does not wait";
    now += seconds(wait);
    EXPECT_TRUE(throttle.admit("t1", "flag", wrong));
    throttle.note_wrong("t1", "flag");
  }
  EXPECT_TRUE(scoring::AnswerThrottle({0, seconds(5), seconds(5)}, [&] { return now; })
                  .admit("t1", "flag", 1000))
      << "free_wrong_answers 0 turns the back-off off";
}

class AnswerAbuseTest : public StackSuite {
 protected:
  static grpc::Status submit(const std::string& token, const std::string& objective,
                             const std::string& answer, v1::ScoringResult* result) {
    auto stub = v1::ScoringService::NewStub(stack_->channel());
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + token);
    v1::SubmitAnswerRequest request;
    request.set_exercise_id(AuthzStack::kExercise);
    request.set_objective(objective);
    request.set_answer(answer);
    return stub->SubmitAnswer(&ctx, request, result);
  }
};

TEST_F(AnswerAbuseTest, GuessingAnObjectiveWithoutALimitMakesTheTeamWait) {
  // One free wrong answer, then an hour: the test never races the clock.
  stack_->scores().set_answer_backoff({1, std::chrono::hours(1), std::chrono::hours(1)});
  auto token = stack_->extra_trainee("guesser");
  ASSERT_TRUE(token) << token.error().message;

  // first-victim sets no limit: the second wrong answer in a row is refused.
  v1::ScoringResult result;
  grpc::Status first = submit(*token, "first-victim", "guess-1@example.org", &result);
  ASSERT_TRUE(first.ok()) << first.error_message();
  EXPECT_EQ(result.verdict(), v1::VERDICT_WRONG);
  grpc::Status second = submit(*token, "first-victim", "guess-2@example.org", &result);
  EXPECT_EQ(second.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << second.error_message();
  EXPECT_NE(second.error_message().find("try again in 3600 s"), std::string::npos)
      << second.error_message();
  EXPECT_NE(japanese_of(second).find("3600 秒後"), std::string::npos) << japanese_of(second);
  EXPECT_EQ(stack_->query("SELECT count(*) FROM ledger_entries WHERE actor = 'guesser' AND "
                          "objective = 'first-victim' AND kind = 'wrong_answer'"),
            "1")
      << "a refused guess must leave no ledger entry";

  // beacon-interval sets `wrong_answers: {limit: 3}`: its own rule alone applies.
  for (int i = 0; i < 3; ++i) {
    grpc::Status wrong = submit(*token, "beacon-interval", std::to_string(7 + i), &result);
    ASSERT_TRUE(wrong.ok()) << "attempt " << i << ": " << wrong.error_message();
    EXPECT_EQ(result.verdict(), v1::VERDICT_WRONG);
  }
  grpc::Status used_up = submit(*token, "beacon-interval", "11", &result);
  EXPECT_EQ(used_up.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << used_up.error_message();
  stack_->scores().set_answer_backoff({});
}

TEST_F(AnswerAbuseTest, AFloodOfAnswersAndHintsFromOneUserIsRefused) {
  auto token = stack_->extra_trainee("flooder");
  ASSERT_TRUE(token) << token.error().message;
  auto stub = v1::ScoringService::NewStub(stack_->channel());
  // A script asking for the same hint again and again (free after the first): the server's
  // default limit (20 at once, then 30 a minute) refuses it long before 200 calls.
  grpc::Status refused;
  int accepted = 0;
  for (int i = 0; i < 200 && refused.ok(); ++i) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + *token);
    v1::TakeHintRequest request;
    request.set_exercise_id(AuthzStack::kExercise);
    request.set_objective("first-victim");
    request.set_hint("hint-1");
    v1::ScoringResult result;
    refused = stub->TakeHint(&ctx, request, &result);
    if (refused.ok()) ++accepted;
  }
  ASSERT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << "200 hint requests in a row were all answered";
  EXPECT_GE(accepted, 20) << "a burst a person could make was refused";
  EXPECT_NE(refused.error_message().find("try again in"), std::string::npos)
      << refused.error_message();
  EXPECT_NE(japanese_of(refused).find("秒後"), std::string::npos) << japanese_of(refused);
  // Answers count against the same limit.
  v1::ScoringResult result;
  grpc::Status answer = submit(*token, "sender-domain", "example.org", &result);
  EXPECT_EQ(answer.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << answer.error_message();
  // Another trainee is not held back by the flooder.
  auto other = stack_->extra_trainee("bystander");
  ASSERT_TRUE(other) << other.error().message;
  grpc::Status fine = submit(*other, "sender-domain", "example.org", &result);
  EXPECT_TRUE(fine.ok()) << fine.error_message();
}

}  // namespace
}  // namespace cyrange::security
