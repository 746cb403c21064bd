// Privacy beyond consent (#17, 9) on cyranged's real server and PostgreSQL, reached as the
// daemon's restricted role: a trainee's analytics show their team's row and their own only;
// pseudonyms are per exercise; a line typed by a trainee who refused recording is nowhere in
// the database although it solved an objective; consent withdrawal, retention and `cyrange
// users erase` redact the score ledger's personal fields while its sums stay as they were.
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include <cyrange/v1/analytics.grpc.pb.h>
#include <cyrange/v1/privacy.grpc.pb.h>
#include <cyrange/v1/range.grpc.pb.h>
#include <cyrange/v1/scoring.grpc.pb.h>

#include <orchestrator/cli/tests/cli_process.h>
#include <orchestrator/privacy/retention.h>
#include <orchestrator/recorder/pg_event_store.h>
#include <tests/security/stack_suite.h>

namespace cyrange::security {
namespace {

namespace v1 = cyrange::v1;

template <class Stub>
std::unique_ptr<typename Stub::Stub> stub_of(AuthzStack& stack) {
  return Stub::NewStub(stack.channel());
}

class PrivacyLedgerTest : public StackSuite {
 protected:
  static void as(grpc::ClientContext& ctx, const std::string& token) {
    ctx.AddMetadata("authorization", "Bearer " + token);
  }

  // One wrong answer (its text is `wrong`) and one hint of `token`'s trainee on first-victim.
  static void answer_wrong_and_take_hint(const std::string& token, const std::string& wrong) {
    auto scoring = stub_of<v1::ScoringService>(*stack_);
    {
      grpc::ClientContext ctx;
      as(ctx, token);
      v1::SubmitAnswerRequest request;
      request.set_exercise_id(AuthzStack::kExercise);
      request.set_objective("first-victim");
      request.set_answer(wrong);
      v1::ScoringResult result;
      const grpc::Status st = scoring->SubmitAnswer(&ctx, request, &result);
      ASSERT_TRUE(st.ok()) << st.error_message();
      ASSERT_EQ(result.verdict(), v1::VERDICT_WRONG);
    }
    grpc::ClientContext ctx;
    as(ctx, token);
    v1::TakeHintRequest request;
    request.set_exercise_id(AuthzStack::kExercise);
    request.set_objective("first-victim");
    request.set_hint("hint-1");
    v1::ScoringResult result;
    const grpc::Status st = scoring->TakeHint(&ctx, request, &result);
    ASSERT_TRUE(st.ok()) << st.error_message();
  }

  // What the ledger adds up to and how many rows it has: redaction must change neither.
  static std::string ledger_sums() {
    return stack_->query(
        "SELECT (SELECT count(*) FROM ledger_entries) || ' rows; ' || coalesce((SELECT "
        "string_agg(team || '=' || total, ' ' ORDER BY team) FROM (SELECT team, sum(points) AS "
        "total FROM ledger_entries GROUP BY team) t), '')");
  }

  static std::string entries_of(const std::string& actor) {
    return stack_->query("SELECT count(*) FROM ledger_entries WHERE actor = '" + actor + "'");
  }

  // Commands of two trainees of team1 in kExercise, stored as cyranged's recorder stores them.
  static void record_commands(std::int64_t user, const std::string& client, int count) {
    auto writer = recorder::PgEventStore::open(stack_->database_uri());
    ASSERT_TRUE(writer) << writer.error().message;
    recorder::Submission s{user, stack_->team_id(AuthzStack::kOwnTeam), client, 1, {}};
    const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    for (int i = 0; i < count; ++i) {
      recorder::JsonObject data;
      data.str("host", AuthzStack::kTerminalHost).str("line", "ls /tmp/" + client.substr(0, 8));
      s.events.push_back({AuthzStack::kExercise, recorder::EventKind::command,
                          (i + 1) * 1000000000LL, now + i, std::move(data).done()});
    }
    for (const auto& r : (*writer)->commit({&s})) ASSERT_TRUE(r) << r.error().message;
  }
};

TEST_F(PrivacyLedgerTest, ATraineesAnalyticsShowTheirTeamsRowAndTheirOwnOnly) {
  auto mate = stack_->extra_trainee("teammate");
  ASSERT_TRUE(mate) << mate.error().message;
  record_commands(stack_->user_id(Who::trainee), "00000000-0000-4000-8000-0000000000a1", 3);
  record_commands(stack_->user_id_of("teammate"), "00000000-0000-4000-8000-0000000000a2", 2);
  const std::string own = stack_->query(
      "SELECT pseudonym FROM trainee_pseudonyms WHERE exercise_id = 'authz' AND user_id = " +
      std::to_string(stack_->user_id(Who::trainee)));
  ASSERT_FALSE(own.empty());

  auto analytics = stub_of<v1::AnalyticsService>(*stack_);
  v1::GetAnalyticsRequest request;
  request.set_exercise_id(AuthzStack::kExercise);
  v1::GetAnalyticsResponse staff, trainee;
  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", stack_->bearer(Who::instructor));
    ASSERT_TRUE(analytics->GetAnalytics(&ctx, request, &staff).ok());
  }
  EXPECT_EQ(staff.trainees_size(), 2) << "instructors see every trainee's row";
  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", stack_->bearer(Who::trainee));
    const grpc::Status st = analytics->GetAnalytics(&ctx, request, &trainee);
    ASSERT_TRUE(st.ok()) << st.error_message();
  }
  ASSERT_EQ(trainee.teams_size(), 1);
  EXPECT_EQ(trainee.teams(0).team(), AuthzStack::kOwnTeam);
  EXPECT_EQ(trainee.teams(0).commands(), 5) << "the team's row counts every member";
  ASSERT_EQ(trainee.trainees_size(), 1) << "a teammate's row is not a trainee's to see";
  EXPECT_EQ(trainee.trainees(0).trainee(), own);
  EXPECT_EQ(trainee.trainees(0).commands(), 3);

  // The team's activity: the teammate's typed lines are not there either.
  v1::ListActivityRequest activity_request;
  activity_request.set_exercise_id(AuthzStack::kExercise);
  v1::ListActivityResponse activity;
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", stack_->bearer(Who::trainee));
  const grpc::Status st = analytics->ListActivity(&ctx, activity_request, &activity);
  ASSERT_TRUE(st.ok()) << st.error_message();
  int commands = 0;
  for (const auto& e : activity.entries()) {
    EXPECT_TRUE(e.trainee().empty() || e.trainee() == own) << e.kind() << " " << e.text();
    if (e.kind() == "command") ++commands;
  }
  EXPECT_EQ(commands, 3);
}

TEST_F(PrivacyLedgerTest, PseudonymsAreNewInEveryExercise) {
  auto writer = recorder::PgEventStore::open(stack_->database_uri());
  ASSERT_TRUE(writer) << writer.error().message;
  const auto user = stack_->user_id(Who::trainee);
  auto here = (*writer)->pseudonym_of(user, AuthzStack::kExercise);
  auto there = (*writer)->pseudonym_of(user, AuthzStack::kOtherExercise);
  ASSERT_TRUE(here && there);
  EXPECT_NE(*here, *there) << "two exercises' recordings must not link through the pseudonym";
  EXPECT_EQ(*(*writer)->pseudonym_of(user, AuthzStack::kExercise), *here) << "stable within one";
  EXPECT_EQ(stack_->query("SELECT count(*) FROM trainee_pseudonyms WHERE user_id = " +
                          std::to_string(user)),
            "2");
}

TEST_F(PrivacyLedgerTest, ALineTypedByATraineeWhoRefusedRecordingIsNotStored) {
  auto token = stack_->extra_trainee("refuser", std::chrono::hours(1), /*consent=*/false);
  ASSERT_TRUE(token) << token.error().message;
  // The expected command of an objective, as a scenario's `expected_commands:` gives it.
  stack_->solve_typed_commands({{AuthzStack::kOwnTeam, "sender-domain", "",
                                 AuthzStack::kTerminalHost, "zq-refused-[0-9]+"}});
  const std::string typed = "echo zq-refused-7741";

  auto range = stub_of<v1::RangeService>(*stack_);
  grpc::ClientContext ctx;
  as(ctx, *token);
  auto stream = range->Terminal(&ctx);
  v1::TerminalInput open;
  open.mutable_open()->set_exercise_id(AuthzStack::kExercise);
  open.mutable_open()->set_host(AuthzStack::kTerminalHost);
  v1::TerminalOutput first;
  ASSERT_TRUE(stream->Write(open) && stream->Read(&first) && first.has_opened());
  EXPECT_FALSE(first.opened().recorded()) << "no consent, no recording";
  v1::TerminalInput keys;
  keys.set_keys(typed + "\r");
  ASSERT_TRUE(stream->Write(keys));
  const std::string solved =
      "SELECT count(*) FROM ledger_entries WHERE objective = 'sender-domain' AND team = 'team1' "
      "AND kind = 'solve'";
  for (int i = 0; i < 100 && stack_->query(solved) == "0"; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ctx.TryCancel();
  stream->Finish();

  ASSERT_EQ(stack_->query(solved), "1") << "the typed command still solves the objective";
  EXPECT_EQ(stack_->query("SELECT reason FROM ledger_entries WHERE objective = 'sender-domain'"),
            "A command typed on ws01 matched the expected pattern `zq-refused-[0-9]+`.");
  EXPECT_EQ(stack_->tables_containing("zq-refused-7741"), "")
      << "the line of a trainee who refused recording is stored nowhere";
}

TEST_F(PrivacyLedgerTest, WithdrawingConsentRedactsTheLedgerAndKeepsItsSums) {
  auto token = stack_->extra_trainee("withdrawer");
  ASSERT_TRUE(token) << token.error().message;
  answer_wrong_and_take_hint(*token, "zq-wrong-5521@example.org");
  ASSERT_EQ(entries_of("withdrawer"), "2");
  const std::string before = ledger_sums();

  auto privacy = stub_of<v1::PrivacyService>(*stack_);
  grpc::ClientContext ctx;
  as(ctx, *token);
  v1::WithdrawConsentRequest request;
  request.set_exercise_id(AuthzStack::kExercise);
  request.set_purpose(v1::CONSENT_PURPOSE_SCORING);
  v1::WithdrawConsentResponse response;
  const grpc::Status st = privacy->WithdrawConsent(&ctx, request, &response);
  ASSERT_TRUE(st.ok()) << st.error_message();

  EXPECT_EQ(ledger_sums(), before) << "every total and every row stays";
  EXPECT_EQ(entries_of("withdrawer"), "0");
  EXPECT_EQ(stack_->query("SELECT count(*) FROM ledger_entries WHERE actor = 'redacted' AND "
                          "redacted_at IS NOT NULL"),
            "2");
  EXPECT_EQ(stack_->query("SELECT count(*) FROM ledger_entries WHERE reason LIKE '%zq-wrong%'"),
            "0");
  EXPECT_EQ(stack_->query("SELECT detail->>'redacted_ledger_entries' FROM audit_log WHERE "
                          "action = 'consent.withdraw'"),
            "2");

  // The running exercise's board (what consoles are sent) loses the trainee at once too.
  auto board = stack_->scores().find(AuthzStack::kExercise);
  ASSERT_TRUE(board) << board.error().message;
  int redacted = 0;
  for (const auto& e : (*board)->entries()) {
    EXPECT_NE(e.actor, "withdrawer");
    EXPECT_EQ(e.reason.find("zq-wrong"), std::string::npos) << e.reason;
    if (e.actor == "redacted") ++redacted;
  }
  EXPECT_EQ(redacted, 2);
}

TEST_F(PrivacyLedgerTest, RetentionRedactsTheLedgerAndKeepsItsSums) {
  auto token = stack_->extra_trainee("retained");
  ASSERT_TRUE(token) << token.error().message;
  answer_wrong_and_take_hint(*token, "zq-wrong-6612@example.org");
  const std::string before = ledger_sums();

  privacy::RetentionOptions options;
  options.now = std::chrono::system_clock::now() + std::chrono::hours(24 * 400);
  auto dry = privacy::enforce_retention(stack_->database_uri(), options);
  ASSERT_TRUE(dry) << dry.error().message;
  EXPECT_GE(dry->ledger_entries, 2);
  EXPECT_EQ(entries_of("retained"), "2") << "a dry run changes nothing";

  options.apply = true;
  options.actor = privacy::host_operator();
  auto applied = privacy::enforce_retention(stack_->database_uri(), options);
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(applied->ledger_entries, dry->ledger_entries);
  EXPECT_EQ(ledger_sums(), before);
  EXPECT_EQ(entries_of("retained"), "0");
  EXPECT_EQ(stack_->query("SELECT count(*) FROM ledger_entries WHERE reason LIKE '%zq-wrong%'"),
            "0");
  // Trainees' entries only: the checker's and the instructors' stay as they were.
  EXPECT_EQ(stack_->query("SELECT count(*) FROM ledger_entries l JOIN users u ON u.name = l.actor "
                          "WHERE u.role = 'trainee'"),
            "0");
  EXPECT_EQ(stack_->query("SELECT detail->>'ledger_entries_redacted' FROM audit_log WHERE action "
                          "= 'retention.apply'"),
            std::to_string(applied->ledger_entries));
}

TEST_F(PrivacyLedgerTest, EraseRedactsTheLedgerAndKeepsItsSums) {
  auto token = stack_->extra_trainee("erased.ledger");
  ASSERT_TRUE(token) << token.error().message;
  answer_wrong_and_take_hint(*token, "zq-wrong-7703@example.org");
  const auto id = stack_->user_id_of("erased.ledger");
  const std::string before = ledger_sums();

  auto erased = cli::testing::run_cyrange(
      "users erase erased.ledger --yes --db '" + stack_->database_uri() + "'", "/tmp", true);
  ASSERT_EQ(erased.status, 0) << erased.out;
  EXPECT_EQ(ledger_sums(), before);
  EXPECT_EQ(entries_of("erased.ledger"), "0");
  EXPECT_EQ(entries_of("erased-" + std::to_string(id)), "2");
  EXPECT_EQ(stack_->tables_containing("erased.ledger"), "");
  EXPECT_EQ(stack_->tables_containing("zq-wrong-7703"), "");
}

// Erase reaches every row that names the user by login and cyranged's live scoreboard, without
// a restart (migration 0018 notifies, scoring::LedgerFollower rereads): before, the board kept
// the login and the wrong answer it replayed at start, and reports and board modes kept the
// login.
TEST_F(PrivacyLedgerTest, EraseReachesTheLiveScoreboardAndEveryRowNamingTheLogin) {
  const std::string name = "erased.live";
  auto token = stack_->extra_trainee(name);
  ASSERT_TRUE(token) << token.error().message;
  answer_wrong_and_take_hint(*token, "zq-live-5521@example.org");
  stack_->query("INSERT INTO reports (exercise_id, team, version, saved_by) VALUES ('" +
                std::string(AuthzStack::kExercise) + "', '" + AuthzStack::kOwnTeam + "', 99, '" +
                name + "')");
  stack_->query("INSERT INTO scoreboard_modes (exercise_id, mode, changed_by) VALUES ('" +
                std::string(AuthzStack::kOtherExercise) + "', 'live', '" + name +
                "') ON CONFLICT (exercise_id) DO UPDATE SET changed_by = EXCLUDED.changed_by");
  auto board = stack_->scores().find(AuthzStack::kExercise);
  ASSERT_TRUE(board);
  auto named_on_board = [&] {
    int named = 0;
    for (const auto& e : (*board)->entries())
      named += e.actor == name || e.reason.find("zq-live-5521") != std::string::npos;
    return named;
  };
  ASSERT_GT(named_on_board(), 0) << "the board holds the trainee's entries before";

  auto erased = cli::testing::run_cyrange(
      "users erase " + name + " --yes --db '" + stack_->database_uri() + "'", "/tmp", true);
  ASSERT_EQ(erased.status, 0) << erased.out;
  EXPECT_EQ(stack_->tables_containing(name), "");
  EXPECT_EQ(stack_->tables_containing("zq-live-5521"), "");
  int left = named_on_board();
  for (int i = 0; i < 200 && left > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
    left = named_on_board();
  }
  EXPECT_EQ(left, 0) << "the running board still shows the erased login or its wrong answer";
}

}  // namespace
}  // namespace cyrange::security
