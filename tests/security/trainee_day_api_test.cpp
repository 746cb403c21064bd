// What the trainee client needs of the server, through client-core against cyranged's
// real server and stores (the authorisation matrix's stack): joining with a code, the
// team's tasks, and the incident report. The matrix holds the roles; this holds the
// behaviour.
#include <gtest/gtest.h>

#include <client-core/exercise_client.h>
#include <client-core/inbox_client.h>
#include <client-core/report_client.h>
#include <client-core/scoring_client.h>
#include <client-core/system_client.h>
#include <client-core/timeline_client.h>
#include <orchestrator/scenario/parser.h>
#include <orchestrator/scenario/variables.h>
#include <tests/security/authz_stack.h>

namespace cyrange::security {
namespace {

class TraineeDayApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { stack_ = start_stack(start_error_); }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }
  void SetUp() override { ASSERT_EQ(start_error_, ""); }

  static client::Connection connect(const std::string& token) {
    client::ClientOptions options;
    options.target = stack_->address();
    options.plaintext = true;
    options.token = token;
    options.timeout = std::chrono::seconds(10);
    auto connection = client::Connection::open(options);
    EXPECT_TRUE(connection) << connection.error().message;
    return std::move(connection).value();
  }
  static std::string token_of(Who who) { return stack_->bearer(who).substr(7); }

  // The instructor opens every objective of the own team by hand (the clock does not run
  // here): a trainee sees a task only once the timeline opened it.
  static void open_objectives() {
    auto scenario = scenario::load_scenario(std::filesystem::path(CYRANGE_SOURCE_DIR) /
                                            "scenarios" / "targeted-email" / "scenario.yaml");
    ASSERT_TRUE(scenario) << scenario.error().message;
    client::TimelineClient timeline(connect(token_of(Who::instructor)));
    for (const auto& o : scenario->objectives) {
      // Already opened by an earlier test of the suite: fire refuses a done item.
      (void)timeline.fire(AuthzStack::kExercise, AuthzStack::kOwnTeam, o.id);
    }
  }

  // Joins `team` of the shared exercise with a fresh code, without any token.
  static client::JoinResult join(const std::string& team) {
    auto code = stack_->join_code(team);
    EXPECT_TRUE(code) << code.error().message;
    auto joined = client::SystemClient(connect("")).join(*code);
    EXPECT_TRUE(joined) << joined.error().message;
    return std::move(joined).value();
  }

  static AuthzStack* stack_;
  static std::string start_error_;
};

AuthzStack* TraineeDayApiTest::stack_ = nullptr;
std::string TraineeDayApiTest::start_error_;

TEST_F(TraineeDayApiTest, InstructorsCreateCodesThatTraineesRedeemWithoutAToken) {
  client::ExerciseClient exercises(connect(token_of(Who::instructor)));
  auto codes = exercises.create_join_codes(AuthzStack::kExercise, std::chrono::minutes(30));
  ASSERT_TRUE(codes) << codes.error().message;
  ASSERT_EQ(codes->size(), 2u);
  EXPECT_EQ(codes->front().code.size(), 9u);

  client::SystemClient anonymous(connect(""));
  auto joined = anonymous.join(codes->back().code);
  ASSERT_TRUE(joined) << joined.error().message;
  EXPECT_EQ(joined->exercise_id, AuthzStack::kExercise);
  EXPECT_EQ(joined->team, codes->back().team);
  auto me = client::SystemClient(connect(joined->token)).whoami();
  ASSERT_TRUE(me) << me.error().message;
  EXPECT_EQ(me->name, joined->user_name);
  EXPECT_EQ(me->role, client::Role::trainee);
  EXPECT_EQ(me->exercise_id, std::optional<std::string>(AuthzStack::kExercise));

  auto wrong = anonymous.join("ABCD-EFGH");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::not_found);
  EXPECT_FALSE(wrong.error().message_ja.empty());
}

TEST_F(TraineeDayApiTest, AJoinedTokenIsRefusedInAnotherExercise) {
  // team2 plays in both exercises; its joined trainee may act only in the one it joined.
  const auto joined = join(AuthzStack::kOtherTeam);
  auto connection = connect(joined.token);
  const std::string other = AuthzStack::kOtherExercise;
  auto listed = client::ExerciseClient(connection).list();
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().id, AuthzStack::kExercise);

  client::ScoringClient scoring(connection);
  EXPECT_TRUE(scoring.scoreboard(AuthzStack::kExercise));
  // Another run is not found, as an exercise nobody created: nothing tells it exists.
  EXPECT_EQ(scoring.scoreboard(other).error().code, ErrorCode::not_found);
  EXPECT_EQ(scoring.list_tasks(other).error().code, ErrorCode::not_found);
  EXPECT_EQ(client::InboxClient(connection).list(other, AuthzStack::kOtherTeam).error().code,
            ErrorCode::not_found);
  EXPECT_EQ(client::ReportClient(connection).versions(other).error().code, ErrorCode::not_found);
  // The same team's trainee with an unbound token is let in.
  EXPECT_TRUE(client::ReportClient(connection).versions(AuthzStack::kExercise));
}

TEST_F(TraineeDayApiTest, TasksAppearOnlyOnceTheTimelineOpensThem) {
  client::ScoringClient trainee(connect(token_of(Who::trainee)));
  client::ScoringClient instructor(connect(token_of(Who::instructor)));
  auto all = instructor.list_tasks(AuthzStack::kExercise, AuthzStack::kOwnTeam);
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_GE(all->tasks.size(), 2u);
  auto before = trainee.list_tasks(AuthzStack::kExercise);
  ASSERT_TRUE(before) << before.error().message;
  const std::string first = all->tasks.front().objective;
  const auto lists = [](const client::TaskList& list, const std::string& objective) {
    for (const auto& t : list.tasks)
      if (t.objective == objective) return true;
    return false;
  };
  if (!lists(*before, first)) {  // not opened by an earlier test of the suite
    ASSERT_TRUE(client::TimelineClient(connect(token_of(Who::instructor)))
                    .fire(AuthzStack::kExercise, AuthzStack::kOwnTeam, first));
    auto after = trainee.list_tasks(AuthzStack::kExercise);
    ASSERT_TRUE(after) << after.error().message;
    EXPECT_TRUE(lists(*after, first));
    EXPECT_EQ(after->tasks.size(), before->tasks.size() + 1);
  }
  // Staff see every task whatever the timeline says.
  EXPECT_EQ(all->tasks.size(),
            instructor.list_tasks(AuthzStack::kExercise, AuthzStack::kOwnTeam)->tasks.size());
}

TEST_F(TraineeDayApiTest, TasksShowTheOwnTeamWithItsVariablesAndNoAnswers) {
  open_objectives();
  client::ScoringClient scoring(connect(token_of(Who::trainee)));
  auto tasks = scoring.list_tasks(AuthzStack::kExercise);
  ASSERT_TRUE(tasks) << tasks.error().message;
  EXPECT_EQ(tasks->team, AuthzStack::kOwnTeam);
  ASSERT_FALSE(tasks->tasks.empty());
  EXPECT_EQ(scoring.list_tasks(AuthzStack::kExercise, AuthzStack::kOtherTeam).error().code,
            ErrorCode::permission_denied);

  auto scenario = scenario::load_scenario(std::filesystem::path(CYRANGE_SOURCE_DIR) / "scenarios" /
                                          "targeted-email" / "scenario.yaml");
  ASSERT_TRUE(scenario) << scenario.error().message;
  const auto vars = scenario::resolve_variables(*scenario, AuthzStack::kSeed, AuthzStack::kOwnTeam);
  std::string everything;
  for (const auto& t : tasks->tasks) {
    EXPECT_FALSE(t.question.en.empty()) << t.objective;
    everything += t.question.ja + t.question.en + "\n";
    for (const auto& p : t.parts) everything += p.question.ja + p.question.en + "\n";
    for (const auto& h : t.hints) {
      EXPECT_EQ(h.taken, !h.text.empty()) << h.id;
      everything += h.text.ja + h.text.en + "\n";
    }
    EXPECT_TRUE(t.solution.empty()) << t.objective << ": a solution before it was revealed";
  }
  EXPECT_EQ(everything.find("${"), std::string::npos) << "unfilled variables in\n" << everything;
  for (const auto& o : scenario->objectives) {
    if (!o.has_answer || o.answer.value.size() < 4) continue;
    const std::string answer = scenario::substitute(o.answer.value, vars);
    EXPECT_EQ(everything.find(answer), std::string::npos) << "the answer of " << o.id;
  }
}

TEST_F(TraineeDayApiTest, AHintsTextAppearsOnlyOnceTaken) {
  open_objectives();
  client::ScoringClient scoring(connect(token_of(Who::trainee)));
  auto before = scoring.list_tasks(AuthzStack::kExercise);
  ASSERT_TRUE(before) << before.error().message;
  const client::Task* with_hint = nullptr;
  for (const auto& t : before->tasks)
    if (!t.hints.empty() && !t.hints.front().taken) with_hint = &t;
  ASSERT_NE(with_hint, nullptr) << "the scenario has no untaken hint";
  const std::string objective = with_hint->objective, hint = with_hint->hints.front().id;
  EXPECT_TRUE(with_hint->hints.front().text.empty());
  ASSERT_TRUE(scoring.take_hint(AuthzStack::kExercise, objective, hint));
  auto after = scoring.list_tasks(AuthzStack::kExercise);
  ASSERT_TRUE(after);
  for (const auto& t : after->tasks) {
    if (t.objective != objective) continue;
    for (const auto& h : t.hints) {
      if (h.id != hint) continue;
      EXPECT_TRUE(h.taken);
      EXPECT_FALSE(h.text.en.empty());
      EXPECT_FALSE(h.text.ja.empty());
    }
  }
}

TEST_F(TraineeDayApiTest, ReportsAreVersionedLockedOnSubmitAndReadByInstructors) {
  // Two trainees of team2 (team1's report belongs to the matrix's trainee).
  const auto ann = join(AuthzStack::kOtherTeam), bob = join(AuthzStack::kOtherTeam);
  client::ReportClient by_ann(connect(ann.token)), by_bob(connect(bob.token));
  auto latest = by_ann.get(AuthzStack::kExercise);
  ASSERT_TRUE(latest) << latest.error().message;
  const int base = latest->version.version;

  client::ReportSections text;
  text.timeline = "09:12 mail opened";
  auto saved = by_ann.save(AuthzStack::kExercise, text, base);
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_EQ(saved->version, base + 1);
  EXPECT_EQ(saved->saved_by, ann.user_name);

  auto conflict = by_bob.save(AuthzStack::kExercise, {}, base);
  ASSERT_FALSE(conflict);
  EXPECT_EQ(conflict.error().code, ErrorCode::aborted);
  EXPECT_NE(conflict.error().message.find(ann.user_name), std::string::npos);
  EXPECT_FALSE(conflict.error().message_ja.empty());

  client::ReportSections too_big;
  too_big.free_text.assign(64 * 1024 + 1, 'x');
  EXPECT_EQ(by_bob.save(AuthzStack::kExercise, too_big, base + 1).error().code,
            ErrorCode::invalid_argument);

  auto submitted = by_bob.save(AuthzStack::kExercise, text, base + 1, /*submit=*/true);
  ASSERT_TRUE(submitted) << submitted.error().message;
  EXPECT_TRUE(submitted->submitted);
  EXPECT_EQ(by_ann.save(AuthzStack::kExercise, text, base + 2).error().code,
            ErrorCode::failed_precondition);

  // The other team cannot read it; instructors read every version of it.
  client::ReportClient by_trainee1(connect(token_of(Who::trainee)));
  EXPECT_EQ(by_trainee1.get(AuthzStack::kExercise, AuthzStack::kOtherTeam).error().code,
            ErrorCode::permission_denied);
  client::ReportClient by_instructor(connect(token_of(Who::instructor)));
  auto versions = by_instructor.versions(AuthzStack::kExercise, AuthzStack::kOtherTeam);
  ASSERT_TRUE(versions) << versions.error().message;
  EXPECT_EQ(static_cast<int>(versions->size()), base + 2);
  auto first = by_instructor.get(AuthzStack::kExercise, AuthzStack::kOtherTeam, base + 1);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->sections.timeline, "09:12 mail opened");
}

}  // namespace
}  // namespace cyrange::security
