// Expected commands and service availability, decided on the fake guest runner and the
// in-memory ledger with a clock the test moves.
#include <filesystem>

#include <gtest/gtest.h>

#include <orchestrator/exercise/state_checks.h>
#include <orchestrator/inject/guest_runner.h>
#include <orchestrator/scenario/parser.h>
#include <orchestrator/scenario/variables.h>
#include <orchestrator/scoring/ledger_store.h>

namespace cyrange::exercise {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

scoring::ExerciseScoring rules_for(const std::string& team) {
  scoring::ScoringRules rules;
  scoring::ObjectiveRules logons;
  logons.parts.push_back({"", scoring::AnswerRule::exact(""), 50, /*check_only=*/true});
  rules.objectives["logons"] = logons;
  scoring::ObjectiveRules two;
  two.parts.push_back({"a", scoring::AnswerRule::exact(""), 10, true});
  two.parts.push_back({"b", scoring::AnswerRule::exact(""), 20, true});
  rules.objectives["two"] = two;
  rules.services["city-mail"] = scoring::ServiceRule{2};
  scoring::ExerciseScoring s;
  s.exercise_id = "ex";
  s.teams = {team, "other"};
  s.team_rules = {{team, rules}, {"other", rules}};
  s.team_variables = {{team, {}}, {"other", {}}};
  return s;
}

class ChecksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto board = scoring::ExerciseBoard::open(rules_for("red"), store_, [this] { return now_; });
    ASSERT_TRUE(board) << board.error().message;
    board_ = std::move(board).value();
  }
  int total(const std::string& team) {
    int sum = 0;
    for (const auto& e : board_->entries())
      if (e.team == team) sum += e.points;
    return sum;
  }

  std::shared_ptr<scoring::MemoryLedgerStore> store_ =
      std::make_shared<scoring::MemoryLedgerStore>();
  milliseconds now_{0};
  std::unique_ptr<scoring::ExerciseBoard> board_;
};

TEST_F(ChecksTest, ATypedLineSolvesOnlyItsTeamsOpenObjectiveOnItsHost) {
  std::vector<TeamCommand> commands{{"red", "logons", "", "files", R"(auth\.log)"},
                                    {"red", "two", "a", "", "^ps\\b"},
                                    {"red", "two", "a", "", "^top\\b"},
                                    {"other", "logons", "", "files", R"(auth\.log)"}};
  bool open = false;
  auto opened = [&](const std::string&, const std::string&) { return open; };

  EXPECT_EQ(match_typed_line("red", "files", "grep x /var/log/auth.log", commands, opened, *board_),
            0)
      << "typed before the objective opened";
  open = true;
  EXPECT_EQ(match_typed_line("red", "ws01", "grep x /var/log/auth.log", commands, opened, *board_),
            0)
      << "the right command on the wrong host";
  EXPECT_EQ(match_typed_line("red", "files", "cat /var/log/auth-log", commands, opened, *board_), 0)
      << "the pattern's dot is literal";
  EXPECT_EQ(match_typed_line("red", "files", "grep 10.30.0.5 /var/log/auth.log", commands, opened,
                             *board_),
            1);
  EXPECT_EQ(total("red"), 50);
  EXPECT_EQ(total("other"), 0) << "another team's identical command stays unsolved";
  // A part solved by one of its patterns drops the others: nothing is awarded twice.
  EXPECT_EQ(match_typed_line("red", "ws01", "ps -ef", commands, opened, *board_), 1);
  EXPECT_EQ(match_typed_line("red", "ws01", "top -b -n1", commands, opened, *board_), 0);
  EXPECT_EQ(total("red"), 60);
  ASSERT_EQ(commands.size(), 1u);
  EXPECT_EQ(commands[0].team, "other");
  const auto entries = board_->entries();
  EXPECT_EQ(entries.front().actor, "command-check");
  // The evidence names the host and the pattern that matched, never the typed line.
  EXPECT_EQ(entries.front().reason,
            "A command typed on files matched the expected pattern `auth\\.log`.");
  for (const auto& e : entries) EXPECT_EQ(e.reason.find("10.30.0.5"), std::string::npos);
}

TEST_F(ChecksTest, DowntimeIsChargedPerMinuteFromTheFirstFailedProbe) {
  inject::FakeGuestRunner guests;
  bool up = true;
  guests.set_handler([&](const std::string&, const std::vector<std::string>&) {
    return inject::GuestResult{up ? 0 : 1, "", ""};
  });
  const TeamService mail{"red", "city-mail", "mail", "smtp", minutes(5)};
  ServiceWatch watch;
  auto probe_at = [&](milliseconds at) {
    now_ = at;
    probe_service(mail, watch, guests, *board_);
  };

  up = false;
  probe_at(minutes(1));
  EXPECT_TRUE(guests.calls().empty()) << "not watched before `from`";
  probe_at(minutes(10));
  EXPECT_FALSE(watch.down) << "one failed probe is not an outage yet";
  up = true;
  probe_at(minutes(10) + seconds(5));
  EXPECT_EQ(total("red"), 0) << "a single failed probe costs nothing";

  up = false;
  probe_at(minutes(20));
  probe_at(minutes(20) + seconds(5));
  EXPECT_TRUE(watch.down);
  EXPECT_EQ(total("red"), 0);
  probe_at(minutes(21));
  EXPECT_EQ(total("red"), -2) << "one minute down at 2 points a minute";
  probe_at(minutes(21) + seconds(30));
  EXPECT_EQ(total("red"), -2) << "charged once a minute while down";
  up = true;
  probe_at(minutes(22) + seconds(30));
  EXPECT_EQ(total("red"), -5) << "the remaining 1.5 minutes are charged when it is back";
  probe_at(minutes(30));
  EXPECT_EQ(total("red"), -5);
  for (const auto& e : board_->entries()) {
    EXPECT_EQ(e.kind, scoring::EntryKind::service_penalty);
    EXPECT_EQ(e.actor, "availability-check");
  }
}

TEST(ExerciseChecks, TheShippedScenarioYieldsEachTeamsCommandsAndServices) {
  auto s = scenario::load_scenario(std::filesystem::path(CYRANGE_SOURCE_DIR) / "scenarios" /
                                   "targeted-email" / "scenario.yaml");
  ASSERT_TRUE(s) << s.error().message;
  TeamVariableSets vars{{"team1", scenario::resolve_variables(*s, 7, "team1")},
                        {"team2", scenario::resolve_variables(*s, 7, "team2")}};
  const auto checks = exercise_checks(*s, vars);
  ASSERT_EQ(checks.commands.size(), 2u);
  EXPECT_EQ(checks.commands[0].objective, "file-server-logons");
  EXPECT_EQ(checks.commands[0].host, "files");
  ASSERT_EQ(checks.services.size(), 2u);
  EXPECT_EQ(checks.services[1].team, "team2");
  EXPECT_EQ(checks.services[1].service, "smtp");
  EXPECT_EQ(checks.state.size(), 2u);  // block-c2 for each team
}

}  // namespace
}  // namespace cyrange::exercise
