// The authorisation matrix: every RPC of every cyrange.v1 service, called by every role
// against its own team and against the other team, on cyranged's real server and
// stores. A refused call must be PERMISSION_DENIED (or NOT_FOUND where the API hides
// that something exists) and must change nothing; an allowed call must not be refused;
// a trainee's answers must show nothing of the other team. A new RPC fails here until
// it has a row in the table below.
#include <filesystem>
#include <set>
#include <stdexcept>

#include <cyrange/v1/scoring.grpc.pb.h>
#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include <tests/security/authz_calls.h>
#include <tests/security/authz_stack.h>

namespace cyrange::security {
namespace {

// O  allowed, and succeeds on this stack (status OK).
// A  allowed, but this stack cannot carry it out (no libvirt for CreateExercise, no
//    consent of staff to withdraw, no decision in the scenario to answer): anything
//    except PERMISSION_DENIED and UNAUTHENTICATED.
// D  denied: PERMISSION_DENIED.
// H  hidden: NOT_FOUND or PERMISSION_DENIED; the answer does not tell that it exists.
enum Decision : char { O = 'O', A = 'A', D = 'D', H = 'H' };

// The decision for the own team (team1, the trainee's) and for the other team (team2).
struct Pair {
  Decision own, other;
};

struct Row {
  const char* method;  // within cyrange.v1
  Other other;         // how the other-team column changes the request (authz_calls.h)
  Pair admin, instructor, designer, trainee;
};

using enum Other;

// clang-format off
const Row kMatrix[] = {
  // method                              other team  admin   instructor designer trainee
  //                                     named by    own oth own oth    own oth  own oth
  {"SystemService.Health",               none,       {O, O}, {O, O},    {O, O},  {O, O}},
  {"SystemService.Version",              none,       {O, O}, {O, O},    {O, O},  {O, O}},
  {"SystemService.WhoAmI",               none,       {O, O}, {O, O},    {O, O},  {O, O}},
  {"SystemService.Join",                 team,       {O, O}, {O, O},    {O, O},  {O, O}},

  {"ExerciseService.CreateExercise",     team,       {A, A}, {A, A},    {D, D},  {D, D}},
  {"ExerciseService.ListExercises",      none,       {O, O}, {O, O},    {O, O},  {O, O}},
  {"ExerciseService.GetExercise",        exercise,   {O, O}, {O, O},    {O, O},  {O, H}},
  // Another organisation's self-paced run (other column of `run`) is hidden from the
  // instructor in every service, as in ScoringService below.
  {"ExerciseService.GetExercise",        run,        {O, O}, {O, H},    {O, O},  {O, H}},
  {"ExerciseService.EndExercise",        exercise,   {O, O}, {O, O},    {D, D},  {D, D}},
  {"ExerciseService.RunChecks",          team,       {O, O}, {O, O},    {D, D},  {D, D}},
  {"ExerciseService.RunChecks",          run,        {O, A}, {O, H},    {D, D},  {D, D}},
  // Allowed to staff; this stack has no libvirt range to revert.
  {"ExerciseService.ResetTeamRange",     team,       {A, A}, {A, A},    {D, D},  {D, D}},
  {"ExerciseService.CreateJoinCodes",    exercise,   {O, O}, {O, O},    {D, D},  {D, D}},
  {"ExerciseService.CreateJoinCodes",    run,        {O, O}, {O, H},    {D, D},  {D, D}},

  {"PrivacyService.GetConsentTexts",     none,       {O, O}, {O, O},    {O, O},  {O, O}},
  {"PrivacyService.GiveConsent",         user,       {D, D}, {D, D},    {D, D},  {O, D}},
  {"PrivacyService.GiveConsent",         exercise,   {D, D}, {D, D},    {D, D},  {O, D}},
  {"PrivacyService.WithdrawConsent",     user,       {A, O}, {A, D},    {A, D},  {O, D}},
  {"PrivacyService.MyConsents",          exercise,   {O, O}, {O, O},    {O, O},  {O, O}},

  {"RangeService.ListRanges",            exercise,   {O, O}, {O, O},    {O, O},  {O, O}},
  {"RangeService.WatchProvisioning",     exercise,   {O, O}, {O, O},    {D, D},  {D, D}},
  {"RangeService.WatchProvisioning",     run,        {O, O}, {O, H},    {D, D},  {D, D}},
  {"RangeService.Terminal",              team,       {O, O}, {O, O},    {D, D},  {O, D}},
  {"RangeService.ListTerminalSessions",  team,       {O, O}, {O, O},    {D, D},  {O, D}},
  {"RangeService.ListTerminalSessions",  exercise,   {O, O}, {O, O},    {D, D},  {O, D}},
  {"RangeService.ListTerminalSessions",  every_team, {O, O}, {O, O},    {D, D},  {O, O}},
  {"RangeService.ListTerminalSessions",  run,        {O, O}, {O, H},    {D, D},  {O, D}},
  {"RangeService.ReadTerminalSession",   team,       {O, O}, {O, O},    {D, D},  {O, D}},
  {"RangeService.ReadTerminalSession",   exercise,   {O, O}, {O, O},    {D, D},  {O, D}},
  {"RangeService.AskToWatch",            team,       {O, O}, {O, O},    {D, D},  {D, D}},
  {"RangeService.AskToWatch",            exercise,   {O, O}, {O, O},    {D, D},  {D, D}},
  {"RangeService.AskToWatch",            run,        {O, A}, {O, H},    {D, D},  {D, D}},
  // Only the watched team's trainees answer; the instructor who asked, an admin or they end.
  {"RangeService.AnswerWatch",           team,       {D, D}, {D, D},    {D, D},  {O, D}},
  {"RangeService.AnswerWatch",           exercise,   {D, D}, {D, D},    {D, D},  {O, D}},
  {"RangeService.EndWatch",              team,       {O, O}, {O, O},    {D, D},  {O, D}},
  {"RangeService.EndWatch",              exercise,   {O, O}, {O, O},    {D, D},  {O, D}},
  {"RangeService.FollowWatches",         team,       {O, O}, {O, O},    {D, D},  {O, D}},
  {"RangeService.FollowWatches",         exercise,   {O, O}, {O, O},    {D, D},  {O, D}},

  {"AnalyticsService.GetAnalytics",      team,       {O, O}, {O, O},    {D, D},  {O, D}},
  {"AnalyticsService.GetAnalytics",      exercise,   {O, O}, {O, O},    {D, D},  {O, D}},
  {"AnalyticsService.GetAnalytics",      every_team, {O, O}, {O, O},    {D, D},  {O, O}},
  {"AnalyticsService.ListActivity",      team,       {O, O}, {O, O},    {D, D},  {O, D}},
  {"AnalyticsService.ListActivity",      exercise,   {O, O}, {O, O},    {D, D},  {O, D}},
  {"AnalyticsService.GetAnalytics",      run,        {O, O}, {O, H},    {D, D},  {O, D}},
  {"AnalyticsService.ListActivity",      run,        {O, O}, {O, H},    {D, D},  {O, D}},

  {"RecorderService.Record",             team_id,    {D, D}, {D, D},    {D, D},  {O, D}},
  {"RecorderService.Record",             exercise,   {D, D}, {D, D},    {D, D},  {O, D}},

  {"ScoringService.SubmitAnswer",        exercise,   {D, D}, {D, D},    {D, D},  {O, D}},
  {"ScoringService.TakeHint",            exercise,   {D, D}, {D, D},    {D, D},  {O, D}},
  {"ScoringService.PushHint",            team,       {O, O}, {O, O},    {D, D},  {D, D}},
  {"ScoringService.Adjust",              team,       {O, O}, {O, O},    {D, D},  {D, D}},
  {"ScoringService.SetScoreboardMode",   exercise,   {O, O}, {O, O},    {D, D},  {D, D}},
  {"ScoringService.RevealSolution",      team,       {O, O}, {O, O},    {D, D},  {D, D}},
  {"ScoringService.GetSolution",         team,       {O, O}, {O, O},    {D, D},  {A, D}},
  // An instructor's item; self-assessed items: TraineesGradeOnlyTheirOwnSelfAssessedItems.
  {"ScoringService.GradeRubric",         team,       {O, O}, {O, O},    {D, D},  {D, D}},
  {"ScoringService.GetScoreboard",       team,       {O, O}, {O, O},    {D, D},  {O, D}},
  {"ScoringService.GetScoreboard",       exercise,   {O, O}, {O, O},    {D, D},  {O, D}},
  {"ScoringService.WatchScoreboard",     team,       {O, O}, {O, O},    {D, D},  {O, D}},
  {"ScoringService.WatchScoreboard",     exercise,   {O, O}, {O, O},    {D, D},  {O, D}},
  {"ScoringService.ListTasks",           team,       {O, O}, {O, O},    {D, D},  {O, D}},
  {"ScoringService.ListTasks",           exercise,   {O, O}, {O, O},    {D, D},  {O, D}},
  // A self-paced run's scores belong to its trainee's organisation: the instructor (of the
  // trainee's organisation, see SetUpTestSuite) oversees the training day's team2 above but
  // not team2's trainee's run, whose trainee works for another organisation.
  {"ScoringService.PushHint",            run,        {O, O}, {O, H},    {D, D},  {D, D}},
  {"ScoringService.Adjust",              run,        {O, O}, {O, H},    {D, D},  {D, D}},
  {"ScoringService.SetScoreboardMode",   run,        {O, O}, {O, H},    {D, D},  {D, D}},
  {"ScoringService.RevealSolution",      run,        {O, O}, {O, H},    {D, D},  {D, D}},
  {"ScoringService.GetSolution",         run,        {O, O}, {O, H},    {D, D},  {A, D}},
  {"ScoringService.GradeRubric",         run,        {O, O}, {O, H},    {D, D},  {D, D}},
  {"ScoringService.GetScoreboard",       run,        {O, O}, {O, H},    {D, D},  {O, D}},
  {"ScoringService.WatchScoreboard",     run,        {O, O}, {O, H},    {D, D},  {O, D}},
  {"ScoringService.ListTasks",           run,        {O, O}, {O, H},    {D, D},  {O, D}},

  // Self-paced runs: trainees start and steer their own only (another's: NOT_FOUND, never
  // whose); admins list every run, instructors their organisation's (SelfPacedCohortTest).
  // A's: the stack has no hypervisor, so placing a run fails.
  {"CourseService.ListCourses",          none,       {O, O}, {O, O},    {O, O},  {O, O}},
  // The matrix trainee was added for the training day kExercise and acts in it only (#17, 4):
  // self-paced runs start from a course's join code (SelfPacedCohortTest, trainee_day_api).
  {"CourseService.StartRun",             none,       {D, D}, {D, D},    {D, D},  {D, D}},
  {"CourseService.ListRuns",             none,       {O, O}, {O, O},    {D, D},  {O, O}},
  {"CourseService.PauseRun",             user,       {D, D}, {D, D},    {D, D},  {A, H}},
  {"CourseService.ResumeRun",            user,       {D, D}, {D, D},    {D, D},  {A, H}},
  {"CourseService.EndRun",               user,       {D, D}, {D, D},    {D, D},  {A, H}},
  {"CourseService.KeepAlive",            user,       {D, D}, {D, D},    {D, D},  {O, H}},
  // The same runs as ListRuns, live (SelfPacedCohortTest follows changes).
  {"CourseService.WatchRuns",            none,       {O, O}, {O, O},    {D, D},  {O, O}},
  // A course's join code for north_city: admins, and the instructor, who works for it.
  {"CourseService.CreateJoinCode",       none,       {O, O}, {O, O},    {D, D},  {D, D}},
  // Review items of the runs the caller lists (an instructor: their organisation's).
  {"CourseService.ListReviews",          none,       {O, O}, {O, O},    {D, D},  {D, D}},

  {"ReportService.SaveReport",           exercise,   {D, D}, {D, D},    {D, D},  {O, D}},
  {"ReportService.GetReport",            team,       {O, O}, {O, O},    {D, D},  {O, D}},
  {"ReportService.GetReport",            exercise,   {O, A}, {O, A},    {D, D},  {O, D}},
  {"ReportService.ListReportVersions",   team,       {O, O}, {O, O},    {D, D},  {O, D}},
  {"ReportService.ListReportVersions",   exercise,   {O, O}, {O, O},    {D, D},  {O, D}},
  {"ReportService.GetReport",            run,        {O, A}, {O, H},    {D, D},  {O, D}},
  {"ReportService.ListReportVersions",   run,        {O, O}, {O, H},    {D, D},  {O, D}},

  {"TimelineService.ListTimeline",       team,       {O, O}, {O, O},    {D, D},  {O, D}},
  {"TimelineService.FireItem",           team,       {O, O}, {O, O},    {D, D},  {D, D}},
  {"TimelineService.SkipItem",           team,       {O, O}, {O, O},    {D, D},  {D, D}},
  {"TimelineService.ChooseOption",       team,       {A, A}, {A, A},    {D, D},  {A, D}},
  {"TimelineService.ControlClock",       exercise,   {O, O}, {O, O},    {D, D},  {D, D}},
  {"TimelineService.WatchTimeline",      team,       {O, O}, {O, O},    {D, D},  {O, D}},
  {"TimelineService.WatchTimeline",      every_team, {O, O}, {O, O},    {D, D},  {O, D}},
  {"TimelineService.ListTimeline",       run,        {O, A}, {O, H},    {D, D},  {O, D}},
  // The own column's step was fired by the rows above: allowed, but done already.
  {"TimelineService.FireItem",           run,        {A, A}, {A, H},    {D, D},  {D, D}},
  {"TimelineService.WatchTimeline",      run,        {O, A}, {O, H},    {D, D},  {O, D}},

  {"InboxService.ListMessages",          team,       {O, O}, {O, O},    {D, D},  {O, D}},
  {"InboxService.ListMessages",          every_team, {O, O}, {O, O},    {D, D},  {O, O}},
  {"InboxService.WatchMessages",         team,       {O, O}, {O, O},    {D, D},  {O, D}},
  {"InboxService.WatchMessages",         every_team, {O, O}, {O, O},    {D, D},  {O, O}},
  {"InboxService.ListMessages",          run,        {O, O}, {O, H},    {D, D},  {O, D}},
  {"InboxService.WatchMessages",         run,        {O, O}, {O, H},    {D, D},  {O, D}},
};
// clang-format on

Pair decisions(const Row& row, Who who) {
  switch (who) {
    case Who::admin:
      return row.admin;
    case Who::instructor:
      return row.instructor;
    case Who::designer:
      return row.designer;
    case Who::trainee:
      return row.trainee;
  }
  return {};
}

// Whether `status` is what `decision` asks for; otherwise why not.
std::string mismatch(Decision decision, const grpc::Status& status) {
  const auto code = status.error_code();
  const bool refused = code == grpc::StatusCode::PERMISSION_DENIED;
  bool fits = false;
  switch (decision) {
    case O:
      fits = status.ok();
      break;
    case A:
      fits = !refused && code != grpc::StatusCode::UNAUTHENTICATED;
      break;
    case D:
      fits = refused;
      break;
    case H:
      fits = refused || code == grpc::StatusCode::NOT_FOUND;
      break;
  }
  if (fits) return {};
  return "expected " + std::string(1, static_cast<char>(decision)) + " but got status " +
         std::to_string(static_cast<int>(code)) + " (" + status.error_message() + ")";
}

// Every method of every service in proto/cyrange/v1, as "Service.Method".
std::set<std::string> proto_methods(std::string& errors) {
  namespace pb = google::protobuf;
  std::set<std::string> methods;
  const auto dir = std::filesystem::path(CYRANGE_SOURCE_DIR) / "proto" / "cyrange" / "v1";
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".proto") continue;
    const std::string name = "cyrange/v1/" + entry.path().filename().string();
    const pb::FileDescriptor* file = pb::DescriptorPool::generated_pool()->FindFileByName(name);
    if (file == nullptr) {
      errors += name + " is not in the generated descriptor pool; is it part of cyrange_proto?\n";
      continue;
    }
    for (int s = 0; s < file->service_count(); ++s)
      for (int m = 0; m < file->service(s)->method_count(); ++m)
        methods.insert(file->service(s)->name() + "." + file->service(s)->method(m)->name());
  }
  return methods;
}

TEST(AuthzMatrixCoverage, EveryProtoMethodHasARowAndACall) {
  std::string errors;
  const auto methods = proto_methods(errors);
  ASSERT_TRUE(errors.empty()) << errors;
  ASSERT_TRUE(methods.contains("SystemService.Health")) << "the descriptor pool lacks services";
  std::set<std::string> in_matrix;
  for (const Row& row : kMatrix) in_matrix.insert(row.method);
  for (const auto& method : methods) {
    EXPECT_TRUE(in_matrix.contains(method))
        << "cyrange.v1." << method << " has no row in kMatrix of " << __FILE__
        << "; add one saying which role may call it for which team.";
    EXPECT_TRUE(rpc_calls().contains(method))
        << "cyrange.v1." << method << " has no call in tests/security/authz_calls.cpp.";
  }
  for (const auto& method : in_matrix)
    EXPECT_TRUE(methods.contains(method)) << "kMatrix names " << method << ", which no .proto has.";
}

class AuthzMatrixTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_ = start_stack(start_error_);
    if (stack_ == nullptr || !start_error_.empty()) return;
    // The instructor and team1's trainee work for one town, team2's trainee (whose self-paced
    // run is kRunExercise) for another.
    stack_->query(
        "INSERT INTO organisations (name, type, size_band, region) VALUES "
        "('north_city', 'municipality', '300-999', 'hokkaido'), "
        "('south_town', 'municipality', '1-99', 'okinawa') RETURNING 1");
    const auto join = [](std::int64_t user, const char* organisation) {
      stack_->query("INSERT INTO organisation_members SELECT " + std::to_string(user) +
                    ", id FROM organisations WHERE name = '" + organisation + "' RETURNING 1");
    };
    join(stack_->user_id(Who::instructor), "north_city");
    join(stack_->user_id(Who::trainee), "north_city");
    join(stack_->other_trainee_id(), "south_town");
  }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }
  void SetUp() override { ASSERT_EQ(start_error_, ""); }

  // Makes one call of the matrix.
  static CallResult call(const std::string& method, Who who, Other other, bool other_column) {
    CallContext context{*stack_, who, target_for(*stack_, other, other_column)};
    return rpc_calls().at(method)(context)();
  }
  static std::string ledger_size() { return stack_->query("SELECT count(*) FROM ledger_entries"); }

  static AuthzStack* stack_;
  static std::string start_error_;
};

AuthzStack* AuthzMatrixTest::stack_ = nullptr;
std::string AuthzMatrixTest::start_error_;

TEST_F(AuthzMatrixTest, EveryRoleAndTeamGetsTheDecisionOfTheMatrix) {
  int allowed_changes = 0;
  int staff_saw_other_team = 0;
  for (const Row& row : kMatrix) {
    for (Who who : {Who::admin, Who::instructor, Who::designer, Who::trainee}) {
      for (bool other_column : {false, true}) {
        const Pair pair = decisions(row, who);
        Decision decision = other_column ? pair.other : pair.own;
        // The trainee plays in kExercise only (#17, 4): a call naming another run is refused
        // as NOT_FOUND by identity::check_exercise_scope before any rule of the service.
        if (who == Who::trainee && other_column && decision == D &&
            (row.other == Other::exercise || row.other == Other::run))
          decision = H;
        SCOPED_TRACE(std::string(row.method) + " by " + to_string(who) + " for the " +
                     (other_column ? "other team" : "own team") + " (other team named by " +
                     to_string(row.other) + ")");
        CallContext context{*stack_, who, target_for(*stack_, row.other, other_column)};
        PreparedCall make_call = rpc_calls().at(row.method)(context);
        const std::string before = stack_->fingerprint();
        const CallResult result = make_call();
        EXPECT_EQ(mismatch(decision, result.status), "");
        const std::string after = stack_->fingerprint();
        if (decision == D || decision == H) {
          EXPECT_EQ(after, before) << "a refused call changed what the database holds";
        } else if (after != before) {
          ++allowed_changes;
        }
        if (who == Who::trainee) {
          EXPECT_EQ(result.leak, "") << "the trainee was shown this";
        } else if (!result.leak.empty()) {
          ++staff_saw_other_team;
        }
      }
    }
  }
  // The probes work: allowed writes changed the fingerprint, and the checks that keep
  // team2 from a trainee did see team2 in the answers staff get.
  EXPECT_GE(allowed_changes, 10);
  EXPECT_GE(staff_saw_other_team, 5);
}

TEST_F(AuthzMatrixTest, RefusedScoringCallsAddNoLedgerEntry) {
  const std::string before = ledger_size();
  struct Refused {
    const char* method;
    Who who;
    Other other;
    bool other_column;
  };
  for (const Refused& r : {
           Refused{"ScoringService.SubmitAnswer", Who::trainee, exercise, true},
           Refused{"ScoringService.TakeHint", Who::trainee, exercise, true},
           Refused{"ScoringService.Adjust", Who::trainee, team, false},
           Refused{"ScoringService.Adjust", Who::trainee, team, true},
           Refused{"ScoringService.PushHint", Who::trainee, team, true},
           Refused{"ScoringService.Adjust", Who::designer, team, false},
           Refused{"ScoringService.SubmitAnswer", Who::instructor, exercise, false},
       }) {
    SCOPED_TRACE(std::string(r.method) + " by " + to_string(r.who));
    // Another run than the trainee's own is not found for them (#17, 4).
    const bool other_run = r.who == Who::trainee && r.other == exercise && r.other_column;
    EXPECT_EQ(call(r.method, r.who, r.other, r.other_column).status.error_code(),
              other_run ? grpc::StatusCode::NOT_FOUND : grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(ledger_size(), before);
  }
  // The same count does move for the trainee's own answer, into its own team's ledger.
  ASSERT_TRUE(call("ScoringService.SubmitAnswer", Who::trainee, exercise, false).status.ok());
  EXPECT_EQ(ledger_size(), std::to_string(std::stoll(before) + 1));
  EXPECT_EQ(stack_->query("SELECT exercise_id || '/' || team FROM ledger_entries "
                          "ORDER BY seq DESC LIMIT 1"),
            std::string(AuthzStack::kExercise) + "/" + AuthzStack::kOwnTeam);
}

// The rubric item 'measures' of the stack's report is `graded_by: self`: its team's trainee
// may grade it, nobody else below instructor, and the other items stay with the staff.
TEST_F(AuthzMatrixTest, TraineesGradeOnlyTheirOwnSelfAssessedItems) {
  const auto grade = [](Who who, const std::string& team, const std::string& item) {
    auto stub = v1::ScoringService::NewStub(stack_->channel());
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", stack_->bearer(who));
    v1::GradeRubricRequest r;
    r.set_exercise_id(AuthzStack::kExercise);
    r.set_team(team);
    r.set_objective("incident-report");
    r.set_item(item);
    r.set_evidence("section 3");
    v1::ScoringResult out;
    return stub->GradeRubric(&ctx, r, &out);
  };
  const std::string before = ledger_size();
  for (const char* item : {"timeline", "scope"}) {
    SCOPED_TRACE(item);
    EXPECT_EQ(grade(Who::trainee, AuthzStack::kOwnTeam, item).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  EXPECT_EQ(grade(Who::trainee, AuthzStack::kOtherTeam, "measures").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(grade(Who::designer, AuthzStack::kOwnTeam, "measures").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ledger_size(), before);

  const grpc::Status own = grade(Who::trainee, "", "measures");
  ASSERT_TRUE(own.ok()) << own.error_message();
  EXPECT_EQ(stack_->query("SELECT team || '/' || points FROM ledger_entries "
                          "ORDER BY seq DESC LIMIT 1"),
            std::string(AuthzStack::kOwnTeam) + "/50");

  // ListTasks tells the client who grades each item.
  auto stub = v1::ScoringService::NewStub(stack_->channel());
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", stack_->bearer(Who::instructor));
  v1::ListTasksRequest list;
  list.set_exercise_id(AuthzStack::kExercise);
  list.set_team(AuthzStack::kOwnTeam);
  v1::ListTasksResponse tasks;
  ASSERT_TRUE(stub->ListTasks(&ctx, list, &tasks).ok());
  std::string graders;
  for (const auto& task : tasks.tasks()) {
    for (const auto& item : task.rubric()) {
      graders += item.id() + "=" + v1::RubricGrader_Name(item.graded_by()) + " ";
      if (item.id() == "measures") {
        EXPECT_TRUE(item.met());
      }
    }
  }
  EXPECT_EQ(graders,
            "timeline=RUBRIC_GRADER_INSTRUCTOR scope=RUBRIC_GRADER_INSTRUCTOR "
            "measures=RUBRIC_GRADER_SELF ");
}

TEST_F(AuthzMatrixTest, RefusedRecordingsAndTerminalsStoreNothing) {
  const auto events = [] { return stack_->query("SELECT count(*) FROM recorder_events"); };
  const auto terminals = [] { return stack_->query("SELECT count(*) FROM terminal_sessions"); };
  const std::string events_before = events(), terminals_before = terminals();
  EXPECT_EQ(call("RecorderService.Record", Who::trainee, team_id, true).status.error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(call("RecorderService.Record", Who::trainee, exercise, true).status.error_code(),
            grpc::StatusCode::NOT_FOUND);  // another run than the trainee's (#17, 4)
  EXPECT_EQ(call("RecorderService.Record", Who::instructor, exercise, false).status.error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(events(), events_before);
  EXPECT_EQ(call("RangeService.Terminal", Who::trainee, team, true).status.error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(call("RangeService.Terminal", Who::designer, team, false).status.error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(terminals(), terminals_before);

  // Allowed, both are stored: the event under the trainee's own team.
  ASSERT_TRUE(call("RecorderService.Record", Who::trainee, exercise, false).status.ok());
  EXPECT_EQ(std::stoll(events()), std::stoll(events_before) + 1);
  EXPECT_EQ(stack_->query("SELECT DISTINCT team_id FROM recorder_events"),
            std::to_string(stack_->team_id(AuthzStack::kOwnTeam)));
  ASSERT_TRUE(call("RangeService.Terminal", Who::trainee, team, false).status.ok());
  EXPECT_EQ(std::stoll(terminals()), std::stoll(terminals_before) + 1);
}

}  // namespace
}  // namespace cyrange::security
