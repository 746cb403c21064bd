// Analytics over gRPC from a real PostgreSQL: known events written by the recorder's
// own writer, known ledger entries and clock start; instructors see every team, a
// trainee only their own, and every view is audited.
#include <algorithm>
#include <gtest/gtest.h>

#include <client-core/analytics_client.h>
#include <orchestrator/analytics/analytics_desk.h>
#include <orchestrator/identity/identity_store.h>
#include <orchestrator/privacy/audit.h>
#include <orchestrator/recorder/pg_event_store.h>
#include <orchestrator/rpc/server.h>
#include <orchestrator/store/testing/temp_database.h>

namespace cyrange::analytics {
namespace {

constexpr std::int64_t kStartSeconds = 1714554000;  // 2024-05-01 09:00:00 UTC

template <class T>
T must(Expected<T> value) {
  if (!value) throw std::runtime_error(value.error().message);
  return std::move(value).value();
}

class AnalyticsIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ids = must(identity::PgIdentityStore::open(db.uri()));
    alice = must(ids->add_user({"alice", identity::Role::trainee, "red", "", ""}));
    dave = must(ids->add_user({"dave", identity::Role::trainee, "red", "", ""}));
    bob = must(ids->add_user({"bob", identity::Role::trainee, "blue", "", ""}));
    must(ids->add_user({"ivy", identity::Role::instructor, std::nullopt, "", ""}));
    red = must(ids->ensure_team("red"));
    blue = must(ids->ensure_team("blue"));
    const std::string start = "to_timestamp(" + std::to_string(kStartSeconds) + ")";
    db.query_one(
        "INSERT INTO exercises (id, scenario_id, scenario_hash, state) VALUES "
        "('day', 's', 'h', 'running');"
        "INSERT INTO exercise_teams VALUES ('day', " +
        std::to_string(red) + "), ('day', " + std::to_string(blue) +
        ");"
        "INSERT INTO consents (user_id, exercise_id, purpose, version) SELECT id, 'day', "
        "'scoring', 2 FROM users WHERE role = 'trainee';"
        "INSERT INTO timeline_clocks (exercise_id, started_at, segment_started_at) VALUES "
        "('day', " +
        start + ", " + start +
        ");"
        "INSERT INTO score_teams VALUES ('day', 'red'), ('day', 'blue');"
        "INSERT INTO ledger_entries (exercise_id, team, objective, kind, points, actor, reason, "
        "exercise_time_ms, created_at) VALUES "
        "('day', 'red', 'first-victim', 'hint', -20, 'alice', 'hint', 0, " +
        start +
        " + interval '26 s'),"
        "('day', 'red', 'first-victim', 'wrong_answer', 0, 'alice', 'x', 0, " +
        start +
        " + interval '50 s'),"
        "('day', 'red', 'first-victim', 'solve', 100, 'alice', 'ok', 0, " +
        start +
        " + interval '60 s'),"
        "('day', 'red', 'c2-domain', 'solve', 150, 'dave', 'ok', 0, " +
        start +
        " + interval '90 s'),"
        "('day', 'blue', 'first-victim', 'solve', 100, 'bob', 'ok', 0, " +
        start + " + interval '120 s')");
    // The events go through the recorder's own writer, as cyranged stores them.
    auto writer = must(recorder::PgEventStore::open(db.uri()));
    const auto submission = [&](std::int64_t user, std::int64_t team, const char* client,
                                std::vector<std::pair<recorder::EventKind, int>> events) {
      recorder::Submission s{user, team, client, 1, {}};
      for (const auto& [kind, second] : events) {
        recorder::JsonObject data;
        if (kind == recorder::EventKind::idle) data.num("duration_ms", 30000);
        if (kind == recorder::EventKind::command) data.str("host", "ws01").str("line", "ls");
        s.events.push_back({"day", kind, second * 1000000000LL,
                            (kStartSeconds + second) * 1000000LL, std::move(data).done()});
      }
      return s;
    };
    using K = recorder::EventKind;
    const auto from_alice = submission(alice, red, "00000000-0000-4000-8000-00000000000a",
                                       {{K::focus, 5},
                                        {K::command, 10},
                                        {K::command, 20},
                                        {K::hint, 25},
                                        {K::command, 40},
                                        {K::idle, 50},
                                        {K::answer, 55},
                                        {K::command, 70},
                                        {K::report_edit, 200}});
    const auto from_dave = submission(dave, red, "00000000-0000-4000-8000-00000000000d",
                                      {{K::command, 30}, {K::command, 100}});
    const auto from_bob =
        submission(bob, blue, "00000000-0000-4000-8000-00000000000b", {{K::command, 15}});
    for (const auto& r : writer->commit({&from_alice, &from_dave, &from_bob}))
      ASSERT_TRUE(r) << r.error().message;
    alice_pseudonym = must(writer->pseudonym_of(alice, "day"));

    rpc::ServerDeps deps;
    deps.analytics = std::make_shared<AnalyticsDesk>(std::make_shared<PgAnalyticsSource>(db.uri()),
                                                     must(privacy::PgAuditLog::open(db.uri())));
    config::Config config;
    config.listen_address = "127.0.0.1:0";
    config.plaintext = true;
    server = must(rpc::Server::start(config, ids, std::move(deps)));
  }

  client::Connection as(const std::string& user) {
    client::ClientOptions options;
    options.target = server->address();
    options.plaintext = true;
    options.token = must(ids->issue_token(user, std::chrono::hours(1))).token;
    return must(client::Connection::open(options));
  }

  static const client::ActorAnalyticsView& row(const std::vector<client::ActorAnalyticsView>& rows,
                                               const std::string& team,
                                               const std::string& trainee = "") {
    for (const auto& r : rows)
      if (r.team == team && r.trainee == trainee) return r;
    throw std::runtime_error("no row " + team + "/" + trainee);
  }

  store::testing::TempDatabase db;
  std::shared_ptr<identity::PgIdentityStore> ids;
  std::int64_t alice = 0, dave = 0, bob = 0, red = 0, blue = 0;
  std::string alice_pseudonym;
  std::unique_ptr<rpc::Server> server;
};

TEST_F(AnalyticsIntegrationTest, InstructorSeesEveryTeamWithTheNumbersOfTheRecording) {
  auto a = client::get_analytics(as("ivy"), "day");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->start_unix_us, kStartSeconds * 1000000LL);
  ASSERT_EQ(a->teams.size(), 2u);
  ASSERT_EQ(a->trainees.size(), 3u);
  const auto& red_row = row(a->teams, "red");
  ASSERT_TRUE(red_row.first_action_s);
  EXPECT_DOUBLE_EQ(*red_row.first_action_s, 10);
  ASSERT_EQ(red_row.objectives.size(), 2u);
  EXPECT_EQ(red_row.objectives[0].objective, "first-victim");
  EXPECT_DOUBLE_EQ(red_row.objectives[0].solved_after_s, 60);
  EXPECT_EQ(red_row.objectives[0].commands, 4);
  EXPECT_EQ(red_row.objectives[1].objective, "c2-domain");
  EXPECT_DOUBLE_EQ(red_row.objectives[1].solved_after_s, 90);
  EXPECT_EQ(red_row.objectives[1].commands, 1);
  EXPECT_EQ(red_row.commands, 6);
  EXPECT_EQ(red_row.hints, 1);
  EXPECT_DOUBLE_EQ(red_row.idle_s, 30);
  const auto& blue_row = row(a->teams, "blue");
  EXPECT_DOUBLE_EQ(*blue_row.first_action_s, 15);
  ASSERT_EQ(blue_row.objectives.size(), 1u);
  EXPECT_DOUBLE_EQ(blue_row.objectives[0].solved_after_s, 120);
  EXPECT_EQ(blue_row.objectives[0].commands, 1);

  const auto& alice_row = row(a->trainees, "red", alice_pseudonym);
  EXPECT_DOUBLE_EQ(*alice_row.first_action_s, 10);
  EXPECT_EQ(alice_row.objectives[0].commands, 3);
  EXPECT_EQ(alice_row.objectives[1].commands, 1);
  EXPECT_EQ(alice_row.hints, 1);
  EXPECT_DOUBLE_EQ(alice_row.idle_s, 30);
  // Rows name trainees by pseudonym only.
  for (const auto& t : a->trainees) {
    EXPECT_NE(t.trainee, "alice");
    EXPECT_EQ(t.trainee.rfind("p-", 0), 0u) << t.trainee;
  }
  EXPECT_TRUE(std::any_of(a->teams.begin(), a->teams.end(), [](const auto& row) {
    return std::any_of(row.objectives.begin(), row.objectives.end(),
                       [](const auto& o) { return o.objective == "first-victim"; });
  }));
  EXPECT_EQ(db.query_one("SELECT count(*) FROM audit_log WHERE action = 'analytics.view'"), "1");
}

TEST_F(AnalyticsIntegrationTest, TraineeSeesOnlyTheirTeamsRowAndTheirOwn) {
  auto own = client::get_analytics(as("alice"), "day");
  ASSERT_TRUE(own) << own.error().message;
  ASSERT_EQ(own->teams.size(), 1u);
  EXPECT_EQ(own->teams[0].team, "red");
  // Dave plays in red too: his numbers are for instructors and operators only.
  ASSERT_EQ(own->trainees.size(), 1u);
  EXPECT_EQ(own->trainees[0].trainee, alice_pseudonym);
  EXPECT_EQ(own->trainees[0].team, "red");

  auto other = client::get_analytics(as("alice"), "day", "blue");
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::permission_denied);
  EXPECT_NE(other.error().message.find("blue"), std::string::npos);
  auto unknown = client::get_analytics(as("ivy"), "no-such-day");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::not_found);
  EXPECT_EQ(db.query_one("SELECT count(*) FROM audit_log WHERE action = 'analytics.view'"), "1");
}

TEST_F(AnalyticsIntegrationTest, ATeamsActivityInterleavesItsRecordingAndLedgerInOrder) {
  auto red_steps = client::list_activity_async(as("ivy"), "day", "red").wait();
  ASSERT_TRUE(red_steps) << red_steps.error().message;
  EXPECT_EQ(red_steps->start_unix_us, kStartSeconds * 1000000LL);
  EXPECT_FALSE(red_steps->truncated);
  std::string seen;
  for (const auto& e : red_steps->entries)
    seen += std::to_string(static_cast<int>(e.at_s)) + " " + e.kind + " " + e.text + "\n";
  // Focus and key events are not activity; blue's steps are not red's.
  EXPECT_EQ(seen,
            "10 command ls\n20 command ls\n25 hint \n26 ledger:hint first-victim\n"
            "30 command ls\n40 command ls\n50 idle 30000\n50 ledger:wrong_answer first-victim\n"
            "55 answer : \n60 ledger:solve first-victim\n70 command ls\n"
            "90 ledger:solve c2-domain\n100 command ls\n200 report_edit  +0 -0\n");
  const auto& first = red_steps->entries.front();
  EXPECT_EQ(first.host, "ws01");
  EXPECT_EQ(first.trainee, alice_pseudonym);
  EXPECT_FALSE(first.from_ledger());
  const auto solve = std::find_if(red_steps->entries.begin(), red_steps->entries.end(),
                                  [](const auto& e) { return e.kind == "ledger:solve"; });
  ASSERT_NE(solve, red_steps->entries.end());
  EXPECT_EQ(solve->points, 100);
  EXPECT_TRUE(solve->trainee.empty());

  // The latest steps when limited, saying that older ones were left out.
  auto latest = client::list_activity_async(as("ivy"), "day", "red", 2).wait();
  ASSERT_TRUE(latest);
  ASSERT_EQ(latest->entries.size(), 2u);
  EXPECT_TRUE(latest->truncated);
  EXPECT_EQ(latest->entries[0].kind, "command");
  EXPECT_EQ(latest->entries[1].kind, "report_edit");

  // A trainee sees their own team's (naming none), never another's; staff name the team.
  // Of the recorded actions only their own: dave's two command lines are not alice's to read.
  auto own = client::list_activity_async(as("alice"), "day", "").wait();
  ASSERT_TRUE(own) << own.error().message;
  EXPECT_EQ(own->entries.size(), red_steps->entries.size() - 2);
  for (const auto& e : own->entries)
    EXPECT_TRUE(e.trainee.empty() || e.trainee == alice_pseudonym) << e.kind << " " << e.text;
  EXPECT_EQ(client::list_activity_async(as("alice"), "day", "blue").wait().error().code,
            ErrorCode::permission_denied);
  EXPECT_EQ(client::list_activity_async(as("ivy"), "day", "").wait().error().code,
            ErrorCode::invalid_argument);
  EXPECT_EQ(client::list_activity_async(as("ivy"), "day", "green").wait().error().code,
            ErrorCode::not_found);
  EXPECT_EQ(db.query_one("SELECT count(*) FROM audit_log WHERE action = 'analytics.activity'"),
            "3");
}

}  // namespace
}  // namespace cyrange::analytics
