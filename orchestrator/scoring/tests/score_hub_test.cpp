// Authorisation, fan-out and recomputation of the live scoreboard on the in-memory
// ledger; the same hub runs on PostgreSQL in pg_ledger_store_test.cpp.
#include <thread>

#include <gtest/gtest.h>

#include <orchestrator/scoring/score_hub.h>

namespace cyrange::scoring {
namespace {

using identity::Identity;
using identity::Role;

ExerciseScoring two_teams() {
  ScoringRules rules;
  rules.objectives["flag"] = ObjectiveRules::single(AnswerRule::normalized("kakuu"), 100);
  rules.objectives["flag"].hints.push_back({"hint-1", 10});
  auto parts = ObjectiveRules{};
  parts.parts.push_back({"a", AnswerRule::variable("secret"), 30});
  parts.parts.push_back({"b", AnswerRule::normalized("bee"), 20});
  rules.objectives["two-part"] = parts;
  auto report = ObjectiveRules{};
  report.parts.push_back({"timeline", AnswerRule::exact(""), 40, /*check_only=*/true});
  report.parts.push_back({"scope", AnswerRule::exact(""), 60, /*check_only=*/true});
  report.parts.push_back({"mine", AnswerRule::exact(""), 25, /*check_only=*/true});
  rules.objectives["report"] = report;
  rules.objectives["flag"].solution_revealed_zeroes = true;
  ExerciseScoring s;
  s.exercise_id = "ex";
  s.teams = {"red", "blue"};
  s.team_rules = {{"red", rules}, {"blue", rules}};
  s.team_variables = {{"red", {{"secret", "r3d"}}}, {"blue", {{"secret", "blu"}}}};
  for (const char* team : {"red", "blue"}) {
    auto& texts = s.team_texts[team];
    texts["flag"].hints["hint-1"] = {"ログを見よ", "Read the log (" + std::string(team) + ")"};
    texts["flag"].solution = {"答えは kakuu", "The answer is kakuu"};
    texts["report"].rubric = {"timeline", "scope", "mine"};
    texts["report"].rubric_items = {
        {"timeline", {"時系列", "Timeline"}, 40, scenario::Grader::instructor},
        {"scope", {"範囲", "Scope"}, 60, scenario::Grader::review},
        {"mine", {"自己", "Own"}, 25, scenario::Grader::self}};
  }
  return s;
}

const Identity kRed{1, "rin", Role::trainee, 11};
const Identity kBlue{2, "ben", Role::trainee, 12};
const Identity kOutsider{3, "olga", Role::trainee, 13};
const Identity kInstructor{4, "ida", Role::instructor, std::nullopt};
const Identity kAdmin{5, "ada", Role::admin, std::nullopt};
const Identity kDesigner{6, "dan", Role::designer, std::nullopt};

class ScoreHubTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_->add_team(11, "red");
    store_->add_team(12, "blue");
    store_->add_team(13, "green");
    ASSERT_TRUE(hub_.open(two_teams()));
  }
  std::shared_ptr<MemoryLedgerStore> store_ = std::make_shared<MemoryLedgerStore>();
  ScoreHub hub_{store_};
};

void expect_denied(const Status& status, const std::string& what) {
  ASSERT_FALSE(status) << what;
  EXPECT_EQ(status.error().code, ErrorCode::permission_denied) << what;
}
template <class T>
void expect_denied(const Expected<T>& result, const std::string& what) {
  ASSERT_FALSE(result) << what;
  EXPECT_EQ(result.error().code, ErrorCode::permission_denied) << what;
}
// A trainee whose team does not play in the exercise: not_found, as for an exercise nobody
// created, so that trainees learn nothing of other runs.
template <class T>
void expect_not_theirs(const Expected<T>& result, const std::string& what,
                       const std::string& exercise = "ex") {
  ASSERT_FALSE(result) << what;
  EXPECT_EQ(result.error().code, ErrorCode::not_found) << what;
  EXPECT_EQ(result.error().message, identity::exercise_not_found(kOutsider, exercise).message)
      << what;
}

TEST_F(ScoreHubTest, EveryWrongRoleOrTeamIsDenied) {
  for (const Identity* who : {&kInstructor, &kAdmin, &kDesigner}) {
    expect_denied(hub_.submit(*who, "ex", "flag", "", "kakuu"), "submit by " + who->name);
    expect_denied(hub_.take_hint(*who, "ex", "flag", "hint-1"), "take_hint by " + who->name);
  }
  expect_not_theirs(hub_.submit(kOutsider, "ex", "flag", "", "kakuu"), "submit by olga");
  expect_not_theirs(hub_.take_hint(kOutsider, "ex", "flag", "hint-1"), "take_hint by olga");
  expect_not_theirs(hub_.submit(kOutsider, "no-such-ex", "flag", "", "kakuu"), "no exercise",
                    "no-such-ex");
  for (const Identity* who : {&kRed, &kBlue, &kDesigner, &kOutsider}) {
    expect_denied(hub_.push_hint(*who, "ex", "red", "flag", "hint-1"), "push_hint by " + who->name);
    expect_denied(hub_.adjust(*who, "ex", "red", "", 5, "why"), "adjust by " + who->name);
    expect_denied(hub_.set_mode(*who, "ex", BoardMode::hidden), "set_mode by " + who->name);
  }
  expect_denied(hub_.board(kRed, "ex", "blue"), "red reads blue's board");
  expect_denied(hub_.watch(kBlue, "ex", "red"), "blue watches red");
  expect_denied(hub_.board(kDesigner, "ex", ""), "designer reads board");
  expect_not_theirs(hub_.watch(kOutsider, "ex", ""), "outsider watches");
  // Nothing of the refused calls reached the ledger.
  EXPECT_TRUE(store_->entries("ex")->empty());
}

TEST_F(ScoreHubTest, TraineeScoresForTheTeamOfItsIdentity) {
  auto outcome = hub_.submit(kBlue, "ex", "two-part", "a", "blu");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome->verdict, Verdict::part_correct);
  ASSERT_EQ(outcome->entries.size(), 1u);
  EXPECT_EQ(outcome->entries[0].team, "blue");
  EXPECT_EQ(outcome->entries[0].actor, "ben");
  // Red's secret is not blue's answer.
  EXPECT_EQ(hub_.submit(kRed, "ex", "two-part", "a", "blu")->verdict, Verdict::wrong);
}

TEST_F(ScoreHubTest, AdjustmentNeedsAReasonAndInstructorsPushHints) {
  auto refused = hub_.adjust(kInstructor, "ex", "red", "", 10, "  ");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_argument);
  ASSERT_TRUE(hub_.adjust(kAdmin, "ex", "red", "", 10, "Good incident report."));
  ASSERT_TRUE(hub_.push_hint(kInstructor, "ex", "blue", "flag", "hint-1"));
  EXPECT_EQ(hub_.take_hint(kBlue, "ex", "flag", "hint-1")->verdict, Verdict::already_given);
  auto board = hub_.board(kInstructor, "ex", "");
  ASSERT_TRUE(board);
  EXPECT_EQ(board->standings.at(0).team, "red");
  EXPECT_EQ(board->standings.at(0).total, 10);
  EXPECT_EQ(board->standings.at(1).total, -10);
}

// Drains what a subscription holds right now.
std::vector<std::shared_ptr<const ScoreUpdate>> drain(Subscription& s) {
  std::vector<std::shared_ptr<const ScoreUpdate>> out;
  while (auto u = s.next()) out.push_back(u);
  return out;
}

TEST_F(ScoreHubTest, StreamsCarryWhatEachAudienceMaySee) {
  auto staff = hub_.watch(kInstructor, "ex", "").value();
  auto red = hub_.watch(kRed, "ex", "").value();
  auto blue = hub_.watch(kBlue, "ex", "blue").value();
  for (auto* s : {&staff, &red, &blue}) {
    auto first = drain(**s);
    ASSERT_EQ(first.size(), 1u);
    EXPECT_TRUE(first[0]->snapshot);
  }
  ASSERT_TRUE(hub_.submit(kRed, "ex", "flag", "", "KAKUU"));

  auto s = drain(*staff);
  ASSERT_EQ(s.size(), 1u);
  ASSERT_EQ(s[0]->entries.size(), 1u);
  EXPECT_EQ(s[0]->entries[0].kind, EntryKind::solve);
  ASSERT_EQ(s[0]->standings.size(), 1u);
  EXPECT_EQ(s[0]->standings[0].objectives.at("flag").status, ObjectiveStatus::solved);

  auto r = drain(*red);
  ASSERT_EQ(r.size(), 1u);
  ASSERT_TRUE(r[0]->own);
  EXPECT_EQ(r[0]->own->total, 100);
  EXPECT_EQ(r[0]->entries.size(), 1u);

  auto b = drain(*blue);  // live board: totals only, no details of red
  ASSERT_EQ(b.size(), 1u);
  EXPECT_TRUE(b[0]->entries.empty());
  EXPECT_FALSE(b[0]->own);
  ASSERT_EQ(b[0]->board.size(), 2u);
  EXPECT_EQ(b[0]->board[0].team, "red");
  EXPECT_EQ(b[0]->board[0].total, 100);

  ASSERT_TRUE(hub_.set_mode(kInstructor, "ex", BoardMode::hidden));
  auto hidden = drain(*blue);
  ASSERT_EQ(hidden.size(), 1u);
  EXPECT_TRUE(hidden[0]->snapshot);
  EXPECT_TRUE(hidden[0]->board.empty());
  drain(*staff);
  drain(*red);
  ASSERT_TRUE(hub_.submit(kRed, "ex", "two-part", "b", "bee"));
  EXPECT_TRUE(drain(*blue).empty());  // hidden: nothing about other teams
  EXPECT_EQ(drain(*red).size(), 1u);
  EXPECT_EQ(drain(*staff).size(), 1u);
}

TEST_F(ScoreHubTest, FrozenBoardShowsOthersAsTheyStoodAtTheFreeze) {
  ASSERT_TRUE(hub_.submit(kRed, "ex", "flag", "", "kakuu"));
  ASSERT_TRUE(hub_.set_mode(kInstructor, "ex", BoardMode::frozen));
  std::this_thread::sleep_for(std::chrono::milliseconds(5));  // entries after the freeze time
  ASSERT_TRUE(hub_.submit(kRed, "ex", "two-part", "a", "r3d"));
  auto blue_view = hub_.board(kBlue, "ex", "").value();
  ASSERT_EQ(blue_view.board.size(), 2u);
  EXPECT_EQ(blue_view.board[0].total, 100);  // not 130
  auto red_view = hub_.board(kRed, "ex", "").value();
  EXPECT_EQ(red_view.own->total, 130);  // own score stays live
  EXPECT_EQ(red_view.own->rank, 0);     // ranks would leak the others' progress
}

TEST_F(ScoreHubTest, SlowSubscriberGetsASnapshotInsteadOfAnUnboundedQueue) {
  auto slow = hub_.watch(kInstructor, "ex", "", /*capacity=*/2).value();
  drain(*slow);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(hub_.submit(kRed, "ex", "flag", "", "no"));
  auto got = drain(*slow);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(got[0]->snapshot);
  EXPECT_EQ(slow->resyncs(), 1u);
  EXPECT_EQ(got[0]->through_seq, store_->entries("ex")->back().seq);
  EXPECT_EQ(got[0]->standings.at(1).objectives.at("flag").state.wrong_attempts, 5);
}

TEST_F(ScoreHubTest, RecomputingTheLedgerGivesTheLiveBoard) {
  ASSERT_TRUE(hub_.submit(kRed, "ex", "flag", "", "nope"));
  ASSERT_TRUE(hub_.submit(kRed, "ex", "flag", "", "kakuu"));
  ASSERT_TRUE(hub_.submit(kBlue, "ex", "two-part", "b", "bee"));
  ASSERT_TRUE(hub_.take_hint(kBlue, "ex", "flag", "hint-1"));
  ASSERT_TRUE(hub_.adjust(kInstructor, "ex", "blue", "two-part", 7, "Partial write-up."));
  ExerciseBoard* board = hub_.find("ex").value();
  auto setup = two_teams();
  DeriveOptions options{&setup.team_rules.at("red"), setup.teams};
  auto recomputed = derive(*store_->entries("ex"), options);
  auto live = board->scoreboard();
  ASSERT_EQ(recomputed.standings.size(), live.standings.size());
  for (std::size_t i = 0; i < live.standings.size(); ++i) {
    EXPECT_EQ(recomputed.standings[i].team, live.standings[i].team);
    EXPECT_EQ(recomputed.standings[i].total, live.standings[i].total);
    EXPECT_EQ(recomputed.standings[i].rank, live.standings[i].rank);
    for (const auto& [id, progress] : live.standings[i].objectives) {
      EXPECT_EQ(recomputed.standings[i].objectives.at(id).state, progress.state) << id;
    }
  }
  // A second hub replaying the same ledger (a daemon restart) agrees as well.
  ScoreHub restarted(store_);
  ASSERT_TRUE(restarted.open(two_teams()));
  EXPECT_EQ(restarted.find("ex").value()->scoreboard().standings.at(0).total,
            live.standings.at(0).total);
}

TEST_F(ScoreHubTest, ConcurrentCorrectAnswersAwardOnce) {
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] { (void)hub_.submit(kRed, "ex", "flag", "", "kakuu"); });
  }
  for (auto& t : threads) t.join();
  int solves = 0;
  // Keep the Expected alive: iterating *temporary() would dangle.
  auto entries = store_->entries("ex");
  ASSERT_TRUE(entries);
  for (const auto& e : *entries) solves += e.kind == EntryKind::solve;
  EXPECT_EQ(solves, 1);
}

TEST_F(ScoreHubTest, HintsCarryTheirTextToTheTeam) {
  auto taken = hub_.take_hint(kRed, "ex", "flag", "hint-1");
  ASSERT_TRUE(taken) << taken.error().message;
  EXPECT_EQ(taken->content.en, "Read the log (red)");
  EXPECT_EQ(taken->content.ja, "ログを見よ");
  // Taking it again costs nothing more and shows the text again.
  auto again = hub_.take_hint(kRed, "ex", "flag", "hint-1");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->verdict, Verdict::already_given);
  EXPECT_EQ(again->content.en, "Read the log (red)");
}

TEST_F(ScoreHubTest, RevealedSolutionsAreReadableByThatTeamOnlyAndEarnNothing) {
  expect_denied(hub_.reveal_solution(kRed, "ex", "red", "flag"), "a trainee reveals");
  expect_denied(hub_.reveal_solution(kDesigner, "ex", "red", "flag"), "a designer reveals");
  auto before = hub_.solution(kRed, "ex", "", "flag");
  ASSERT_FALSE(before);
  EXPECT_EQ(before.error().code, ErrorCode::failed_precondition);

  auto revealed = hub_.reveal_solution(kInstructor, "ex", "red", "flag");
  ASSERT_TRUE(revealed) << revealed.error().message;
  EXPECT_EQ(revealed->content.en, "The answer is kakuu");
  auto read = hub_.solution(kRed, "ex", "", "flag");
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->ja, "答えは kakuu");
  expect_denied(hub_.solution(kRed, "ex", "blue", "flag"), "red reads blue's solution");
  EXPECT_EQ(hub_.solution(kBlue, "ex", "", "flag").error().code, ErrorCode::failed_precondition);
  EXPECT_TRUE(hub_.solution(kInstructor, "ex", "blue", "flag"));

  auto solved = hub_.submit(kRed, "ex", "flag", "", "kakuu");
  ASSERT_TRUE(solved);
  EXPECT_EQ(solved->verdict, Verdict::correct);
  int points = 0;
  for (const auto& e : solved->entries) points += e.points;
  EXPECT_EQ(points, 0) << "a revealed solution must not earn points";
}

TEST_F(ScoreHubTest, OnlyInstructorsGradeRubricItemsWithANoteAndTheEvidenceIsKept) {
  for (const Identity* who : {&kRed, &kDesigner})
    expect_denied(hub_.grade_rubric(*who, "ex", "red", "report", "timeline", "good", "t1"),
                  "grade by " + who->name);
  auto no_note = hub_.grade_rubric(kInstructor, "ex", "red", "report", "timeline", "", "t1");
  ASSERT_FALSE(no_note);
  EXPECT_EQ(no_note.error().code, ErrorCode::invalid_argument);
  auto not_rubric = hub_.grade_rubric(kInstructor, "ex", "red", "flag", "", "good", "");
  ASSERT_FALSE(not_rubric) << "an answer objective is not graded by hand";
  EXPECT_EQ(not_rubric.error().code, ErrorCode::invalid_argument);

  auto graded = hub_.grade_rubric(kInstructor, "ex", "red", "report", "timeline",
                                  "Times match the proxy log", "terminal 7 at 00:41:10");
  ASSERT_TRUE(graded) << graded.error().message;
  ASSERT_EQ(graded->entries.size(), 1u);
  EXPECT_EQ(graded->entries[0].points, 40);
  EXPECT_EQ(graded->entries[0].actor, "ida");
  EXPECT_NE(graded->entries[0].reason.find("terminal 7 at 00:41:10"), std::string::npos);
  EXPECT_NE(graded->entries[0].reason.find("Times match"), std::string::npos);
  auto twice = hub_.grade_rubric(kAdmin, "ex", "red", "report", "timeline", "again", "");
  ASSERT_TRUE(twice);
  EXPECT_EQ(twice->verdict, Verdict::already_solved);
  EXPECT_TRUE(hub_.grade_rubric(kAdmin, "ex", "red", "report", "scope", "ok", ""));
  EXPECT_EQ(hub_.board(kInstructor, "ex", "")->standings.at(0).total +
                hub_.board(kInstructor, "ex", "")->standings.at(1).total,
            100);
}

TEST_F(ScoreHubTest, ATraineeGradesOnlyTheSelfAssessedItemsOfTheirOwnTeam) {
  // Refused: another team's self item, items graded by instructors (now or in review),
  // and anyone outside the exercise; none of it reaches the ledger.
  expect_denied(hub_.grade_rubric(kRed, "ex", "blue", "report", "mine", "", ""), "red for blue");
  expect_denied(hub_.grade_rubric(kRed, "ex", "red", "report", "timeline", "done", ""),
                "an instructor's item");
  expect_denied(hub_.grade_rubric(kRed, "ex", "", "report", "scope", "done", ""),
                "an item for review");
  expect_not_theirs(hub_.grade_rubric(kOutsider, "ex", "", "report", "mine", "", ""), "outsider");
  expect_denied(hub_.grade_rubric(kDesigner, "ex", "red", "report", "mine", "ok", ""), "designer");
  EXPECT_TRUE(store_->entries("ex")->empty());

  // Own team, named or implied; scored as declared, without a note.
  auto own = hub_.grade_rubric(kRed, "ex", "red", "report", "mine", "", "section 2");
  ASSERT_TRUE(own) << own.error().message;
  ASSERT_EQ(own->entries.size(), 1u);
  EXPECT_EQ(own->entries[0].team, "red");
  EXPECT_EQ(own->entries[0].actor, "rin");
  EXPECT_EQ(own->entries[0].points, 25);
  EXPECT_NE(own->entries[0].reason.find("Self-assessed"), std::string::npos);
  EXPECT_NE(own->entries[0].reason.find("section 2"), std::string::npos);
  auto implied = hub_.grade_rubric(kBlue, "ex", "", "report", "mine", "I did it", "");
  ASSERT_TRUE(implied) << implied.error().message;
  EXPECT_EQ(implied->entries.at(0).team, "blue");
  EXPECT_EQ(store_->entries("ex")->size(), 2u);

  // Staff still grade everything, the review items included.
  auto reviewed = hub_.grade_rubric(kInstructor, "ex", "red", "report", "scope", "ok", "");
  ASSERT_TRUE(reviewed) << reviewed.error().message;
  EXPECT_EQ(reviewed->entries.at(0).points, 60);
  auto tasks = hub_.tasks(kRed, "ex", "");
  ASSERT_TRUE(tasks) << tasks.error().message;
  for (const auto& task : tasks->second) {
    if (task.objective != "report") continue;
    ASSERT_EQ(task.rubric.size(), 3u);
    EXPECT_EQ(task.rubric[2].item.graded_by, scenario::Grader::self);
    EXPECT_TRUE(task.rubric[2].met);
    EXPECT_EQ(task.rubric[0].item.graded_by, scenario::Grader::instructor);
  }
}

}  // namespace
}  // namespace cyrange::scoring
