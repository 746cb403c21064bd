// Audit #17, item 5: revocation that works. `cyrange users revoke|disable|erase` on the real
// binary against the stack's database; the trainee's open terminal and watch streams end once
// cyranged checks their token again (every second here, stream_recheck_s), expired tokens and
// tokens older than the maximum lifetime are refused, and erase leaves no login name in the
// identity tables and the audit log.
#include <chrono>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include <cyrange/v1/range.grpc.pb.h>
#include <cyrange/v1/scoring.grpc.pb.h>
#include <cyrange/v1/system.grpc.pb.h>

#include <orchestrator/cli/tests/cli_process.h>
#include <orchestrator/identity/identity_store.h>
#include <tests/security/authz_stack.h>
#include <tests/security/stack_suite.h>

namespace cyrange::security {
namespace {

namespace v1 = cyrange::v1;

// How long a stream may take to end before the test calls it a failure: far more than the
// one-second re-check, so only a stream that is never ended runs into it.
constexpr auto kStreamBound = std::chrono::seconds(60);

std::unique_ptr<grpc::ClientContext> context_for(const std::string& token) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("authorization", "Bearer " + token);
  ctx->set_deadline(std::chrono::system_clock::now() + kStreamBound);
  return ctx;
}

// An open terminal of a trainee on the stack's terminal host.
struct OpenTerminal {
  std::unique_ptr<v1::RangeService::Stub> stub;
  std::unique_ptr<grpc::ClientContext> ctx;
  std::unique_ptr<grpc::ClientReaderWriter<v1::TerminalInput, v1::TerminalOutput>> stream;
  bool opened = false;

  OpenTerminal(AuthzStack& stack, const std::string& token)
      : stub(v1::RangeService::NewStub(stack.channel())), ctx(context_for(token)) {
    stream = stub->Terminal(ctx.get());
    v1::TerminalInput open;
    open.mutable_open()->set_exercise_id(AuthzStack::kExercise);
    open.mutable_open()->set_host(AuthzStack::kTerminalHost);
    v1::TerminalOutput first;
    opened = stream->Write(open) && stream->Read(&first) && first.has_opened();
  }
  // Reads until the server ends the stream; its final status.
  grpc::Status wait_end() {
    v1::TerminalOutput out;
    while (stream->Read(&out)) {
    }
    return stream->Finish();
  }
};

// An open scoreboard watch of a trainee's own team.
struct OpenWatch {
  std::unique_ptr<v1::ScoringService::Stub> stub;
  std::unique_ptr<grpc::ClientContext> ctx;
  std::unique_ptr<grpc::ClientReader<v1::ScoreboardUpdate>> stream;
  bool opened = false;

  OpenWatch(AuthzStack& stack, const std::string& token)
      : stub(v1::ScoringService::NewStub(stack.channel())), ctx(context_for(token)) {
    v1::GetScoreboardRequest request;
    request.set_exercise_id(AuthzStack::kExercise);
    stream = stub->WatchScoreboard(ctx.get(), request);
    v1::ScoreboardUpdate snapshot;
    opened = stream->Read(&snapshot);
  }
  grpc::Status wait_end() {
    v1::ScoreboardUpdate update;
    while (stream->Read(&update)) {
    }
    return stream->Finish();
  }
};

// The server ended the stream (cancelled it); a stream nobody ended runs into its deadline.
void expect_ended_by_server(const grpc::Status& status, const char* what) {
  EXPECT_NE(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
      << what << " stayed open after its token stopped working";
  EXPECT_FALSE(status.ok()) << what << " ended as if nothing happened";
}

class RevocationTest : public StackSuite {
 protected:
  static cli::testing::Outcome cyrange(const std::string& args) {
    return cli::testing::run_cyrange(args + " --db '" + stack_->database_uri() + "'", "/tmp", true);
  }
  static grpc::Status whoami(const std::string& token) {
    auto stub = v1::SystemService::NewStub(stack_->channel());
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + token);
    v1::WhoAmIRequest request;
    v1::WhoAmIResponse response;
    return stub->WhoAmI(&ctx, request, &response);
  }
};

TEST_F(RevocationTest, UsersRevokeEndsTheTraineesOpenTerminalAndWatch) {
  auto token = stack_->extra_trainee("revokee");
  ASSERT_TRUE(token) << token.error().message;
  OpenTerminal terminal(*stack_, *token);
  ASSERT_TRUE(terminal.opened);
  OpenWatch watch(*stack_, *token);
  ASSERT_TRUE(watch.opened);

  auto revoked = cyrange("users revoke --user revokee");
  ASSERT_EQ(revoked.status, 0) << revoked.out;
  EXPECT_NE(revoked.out.find("Revoked every token of 'revokee'"), std::string::npos) << revoked.out;

  expect_ended_by_server(terminal.wait_end(), "the terminal");
  expect_ended_by_server(watch.wait_end(), "the scoreboard watch");
  grpc::Status after = whoami(*token);
  EXPECT_EQ(after.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(after.error_message().find("revoked"), std::string::npos) << after.error_message();
  EXPECT_NE(stack_
                ->query("SELECT detail->>'actor' FROM audit_log WHERE action = 'token.revoke' "
                        "AND object = 'user:revokee'")
                .find("cli:"),
            std::string::npos)
      << "the revocation was not audited with an actor";
}

TEST_F(RevocationTest, RevokingOneTokenByIdLeavesTheOthers) {
  ASSERT_TRUE(stack_->extra_trainee("twotokens"));
  auto store = identity::PgIdentityStore::open(stack_->database_uri());
  ASSERT_TRUE(store) << store.error().message;
  auto kept = (*store)->issue_token("twotokens", std::chrono::hours(1));
  auto lost = (*store)->issue_token("twotokens", std::chrono::hours(1));
  ASSERT_TRUE(kept && lost);
  OpenWatch watch(*stack_, lost->token);
  ASSERT_TRUE(watch.opened);
  auto revoked = cyrange("users revoke " + std::to_string(lost->id));
  ASSERT_EQ(revoked.status, 0) << revoked.out;
  expect_ended_by_server(watch.wait_end(), "the watch of the revoked token");
  EXPECT_EQ(whoami(lost->token).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(whoami(kept->token).ok());
  EXPECT_NE(cyrange("users revoke 999999999").status, 0);
}

TEST_F(RevocationTest, ADisabledUserLosesItsStreamsAndGetsNoNewToken) {
  auto token = stack_->extra_trainee("disablee");
  ASSERT_TRUE(token) << token.error().message;
  OpenTerminal terminal(*stack_, *token);
  ASSERT_TRUE(terminal.opened);
  auto disabled = cyrange("users disable disablee");
  ASSERT_EQ(disabled.status, 0) << disabled.out;
  expect_ended_by_server(terminal.wait_end(), "the terminal of a disabled user");
  grpc::Status after = whoami(*token);
  EXPECT_EQ(after.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(after.error_message().find("disabled"), std::string::npos) << after.error_message();
  auto again = cyrange("users token disablee");
  EXPECT_NE(again.status, 0) << again.out;
  EXPECT_NE(again.out.find("disabled"), std::string::npos) << again.out;
}

TEST_F(RevocationTest, AnExpiredTokenIsRefusedAndLosesItsOpenTerminal) {
  auto token = stack_->extra_trainee("expiring");
  ASSERT_TRUE(token) << token.error().message;
  OpenTerminal terminal(*stack_, *token);
  ASSERT_TRUE(terminal.opened);
  // The token runs out while its terminal is open.
  stack_->query(
      "UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE user_id = "
      "(SELECT id FROM users WHERE name = 'expiring') RETURNING id");
  expect_ended_by_server(terminal.wait_end(), "the terminal of an expired token");
  grpc::Status after = whoami(*token);
  EXPECT_EQ(after.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(after.error_message().find("expired"), std::string::npos) << after.error_message();
}

TEST_F(RevocationTest, NoTokenOutlivesTheMaximumLifetime) {
  ASSERT_TRUE(stack_->extra_trainee("longlived"));
  auto store = identity::PgIdentityStore::open(stack_->database_uri());
  ASSERT_TRUE(store) << store.error().message;
  (*store)->set_max_token_lifetime(std::chrono::hours(2));
  auto too_long = (*store)->issue_token("longlived", std::chrono::hours(3));
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(too_long.error().message.find("maximum"), std::string::npos);
  EXPECT_FALSE(too_long.error().message_ja.empty());
  auto fine = (*store)->issue_token("longlived", std::chrono::hours(2));
  ASSERT_TRUE(fine) << fine.error().message;
  ASSERT_TRUE((*store)->authenticate(fine->token));
  // A token issued before the limit was lowered, with a far expiry, ends at issue + maximum.
  stack_->query(
      "UPDATE api_tokens SET created_at = now() - interval '3 hours', expires_at = "
      "now() + interval '300 days' WHERE id = " +
      std::to_string(fine->id) + " RETURNING id");
  auto refused = (*store)->authenticate(fine->token);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("expired"), std::string::npos);
  // The command line holds to the default maximum (30 days).
  auto cli = cyrange("users token longlived --token-ttl 400d");
  EXPECT_NE(cli.status, 0) << cli.out;
  EXPECT_NE(cli.out.find("maximum"), std::string::npos) << cli.out;
}

TEST_F(RevocationTest, EraseLeavesNoLoginNameInTheTablesItCovers) {
  const std::string name = "erasee.person";
  auto token = stack_->extra_trainee(name);
  ASSERT_TRUE(token) << token.error().message;
  ASSERT_TRUE(whoami(*token).ok());
  ASSERT_EQ(cyrange("users revoke --user " + name).status, 0);  // an audit row naming it
  const std::string like = "'%" + name + "%'";
  const std::string leftovers =
      "SELECT (SELECT count(*) FROM users WHERE name LIKE " + like +
      ") + (SELECT count(*) FROM user_personal_data WHERE display_name LIKE " + like +
      " OR email LIKE " + like + ") + (SELECT count(*) FROM audit_log WHERE object LIKE " + like +
      " OR detail::text LIKE " + like + ")";
  ASSERT_NE(stack_->query(leftovers), "0") << "the test should start with the name on record";

  auto refused = cyrange("users erase " + name);
  EXPECT_NE(refused.status, 0) << "erase without --yes must not run";
  auto erased = cyrange("users erase " + name + " --yes");
  ASSERT_EQ(erased.status, 0) << erased.out;
  EXPECT_EQ(stack_->query(leftovers), "0");
  EXPECT_EQ(stack_->query("SELECT count(*) FROM users WHERE erased_at IS NOT NULL AND "
                          "disabled_at IS NOT NULL AND name LIKE 'erased-%'"),
            "1");
  EXPECT_EQ(stack_->query("SELECT count(*) FROM audit_log WHERE action = 'user.erase' AND "
                          "detail->>'actor' LIKE 'cli:%'"),
            "1");
  EXPECT_EQ(whoami(*token).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

}  // namespace
}  // namespace cyrange::security
