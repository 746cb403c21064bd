// The Team tab's activity model under QAbstractItemModelTester: what each kind of step
// reads as, the ledger's rows marked, the time since the start, and a redacted command.
#include <ctime>

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QSignalSpy>

#include <gtest/gtest.h>

#include <console/app/team_activity_model.h>
#include <console/models/model_roles.h>

namespace cyrange::console {
namespace {

struct Case {
  const char* name;
  client::ActivityEntryView entry;
  const char* what;
  const char* detail;
  bool ledger;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class TeamActivityRows : public ::testing::TestWithParam<Case> {};

TEST_P(TeamActivityRows, ReadAsTheInstructorExpects) {
  TeamActivityModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  client::TeamActivityView activity;
  activity.entries.push_back(GetParam().entry);
  model.set(activity);
  ASSERT_EQ(model.rowCount(), 1);
  EXPECT_EQ(model.index(0, TeamActivityModel::What).data().toString(),
            QString::fromUtf8(GetParam().what));
  EXPECT_EQ(model.index(0, TeamActivityModel::Detail).data().toString(),
            QString::fromUtf8(GetParam().detail));
  EXPECT_EQ(model.index(0, 0).data(TeamActivityModel::LedgerRole).toBool(), GetParam().ledger);
  EXPECT_EQ(model.index(0, TeamActivityModel::Time).data().toString(), QStringLiteral("00:01:05"));
}

INSTANTIATE_TEST_SUITE_P(
    Kinds, TeamActivityRows,
    ::testing::Values(Case{"Command",
                           {65, "p-1", "command", "ws01", "cat /var/log/mail.log", false, 0},
                           "Command",
                           "cat /var/log/mail.log",
                           false},
                      Case{"RedactedCommand",
                           {65.4, "p-1", "command", "ws01", "", true, 0},
                           "Command",
                           "(not recorded: typed at a password prompt)",
                           false},
                      Case{"Answer",
                           {65, "p-1", "answer", "", "recipient: soumu@city.example", false, 0},
                           "Answer sent",
                           "recipient: soumu@city.example",
                           false},
                      Case{"Idle",
                           {65, "p-2", "idle", "", "125000", false, 0},
                           "Idle",
                           "125 s without input",
                           false},
                      Case{"Solve",
                           {65, "", "ledger:solve", "", "recipient", false, 100},
                           "Solved",
                           "recipient",
                           true},
                      Case{"WrongAnswer",
                           {65, "", "ledger:wrong_answer", "", "recipient", false, 0},
                           "Wrong answer",
                           "recipient",
                           true},
                      Case{"Adjustment",
                           {65, "", "ledger:adjustment", "", "", false, -10},
                           "Score adjusted",
                           "",
                           true}),
    [](const ::testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

TEST(TeamActivityModel, KeepsOrderShowsPointsOnlyForTheLedgerAndClears) {
  TeamActivityModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  client::TeamActivityView activity;
  activity.entries = {{10, "p-1", "command", "ws01", "ls", false, 0},
                      {12, "", "ledger:solve", "", "first", false, 100}};
  activity.truncated = true;
  model.set(activity);
  ASSERT_EQ(model.rowCount(), 2);
  EXPECT_EQ(model.index(0, TeamActivityModel::Host).data().toString(), QStringLiteral("ws01"));
  EXPECT_FALSE(model.index(0, TeamActivityModel::Points).data().isValid());
  EXPECT_EQ(model.index(1, TeamActivityModel::Points).data().toLongLong(), 100);
  EXPECT_TRUE(model.truncated());
  model.clear();
  EXPECT_EQ(model.rowCount(), 0);
  EXPECT_FALSE(model.truncated());
}

// The activity is timed by the wall clock (the objectives beside it by the exercise clock):
// a row reads as the local time of day, its tooltip as the time since the start.
TEST(TeamActivityModel, TimeIsTheWallClockOnceTheStartIsKnown) {
  qputenv("TZ", "Asia/Tokyo");
  tzset();
  TeamActivityModel model;
  client::TeamActivityView activity;
  activity.entries = {{3725, "p-1", "command", "ws01", "ls", false, 0}};
  model.set(activity);
  EXPECT_EQ(model.index(0, TeamActivityModel::Time).data().toString(), QStringLiteral("01:02:05"))
      << "without a start only the time since it is known";
  activity.start_unix_us = 1'796'601'600'000'000;  // 2026-12-07 00:00:00 UTC, 09:00 in Tokyo
  model.set(activity);
  EXPECT_EQ(model.index(0, TeamActivityModel::Time).data().toString(), QStringLiteral("10:02:05"));
  EXPECT_EQ(model.index(0, TeamActivityModel::Time).data(Qt::ToolTipRole).toString(),
            QStringLiteral("01:02:05 after the start"));
  EXPECT_EQ(model.headerData(TeamActivityModel::Time, Qt::Horizontal).toString(),
            QStringLiteral("Wall clock"));
}

// A typed command leads to its moment in the recorded session of its host, a grade to the
// moment its evidence names; other rows, and commands no session holds, lead nowhere.
TEST(TeamActivityModel, RowsThatNameARecordedMomentCarryItsLink) {
  TeamActivityModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  constexpr std::int64_t kStartMs = 1'800'000'000'000;
  client::TeamActivityView activity;
  activity.start_unix_us = kStartMs * 1000;
  activity.entries = {
      {65, "p-1", "command", "ws01", "cat /var/log/mail.log", false, 0},
      {70, "p-1", "command", "mail", "ls", false, 0},
      {200, "p-1", "command", "ws01", "whoami", false, 0},
      {90, "", "ledger:adjustment", "", "timeline complete recording:7@12", false, 20},
      {95, "p-1", "answer", "", "recipient: soumu@city.example", false, 0}};
  model.set(activity);
  const auto link = [&](int row) { return model.index(row, 0).data(EvidenceRole).toString(); };
  EXPECT_EQ(link(0), QString()) << "no session known yet";
  EXPECT_EQ(link(3), QStringLiteral("recording:7@12"));

  client::TerminalRecordingInfo ws01;
  ws01.session_id = 5;
  ws01.host = "ws01";
  ws01.started_at_ms = kStartMs + 60'000;
  ws01.ended_at_ms = kStartMs + 120'000;
  client::TerminalRecordingInfo mail_later;  // opened after "ls" was typed
  mail_later.session_id = 6;
  mail_later.host = "mail";
  mail_later.started_at_ms = kStartMs + 80'000;
  mail_later.duration_ms = 5'000;  // still open
  QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
  model.setSessions({ws01, mail_later});
  EXPECT_EQ(changed.count(), 1);
  EXPECT_EQ(link(0), QStringLiteral("recording:5@4"));  // 5 s in, shown from a second before
  EXPECT_EQ(link(1), QString());
  EXPECT_EQ(link(2), QString()) << "typed after that session ended";
  EXPECT_EQ(link(3), QStringLiteral("recording:7@12"));
  EXPECT_EQ(link(4), QString());
  model.clear();
  model.set(activity);
  EXPECT_EQ(link(0), QString()) << "clear() forgets the sessions of the previous team";
}

}  // namespace
}  // namespace cyrange::console
