// From submission to stream on the real stack: PostgreSQL (throw-away database),
// PgIdentityStore tokens, rpc::Server on 127.0.0.1:0, ScoringClient over gRPC.
#include <condition_variable>
#include <mutex>

#include <gtest/gtest.h>

#include <client-core/scoring_client.h>
#include <orchestrator/config/config.h>
#include <orchestrator/identity/identity_store.h>
#include <orchestrator/rpc/server.h>
#include <orchestrator/scoring/pg_ledger_store.h>
#include <orchestrator/store/testing/temp_database.h>

namespace cyrange::client {
namespace {

using namespace std::chrono_literals;

// Collects the messages of one watch and lets the test wait for them.
struct Inbox {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<ScoreboardMessage> messages;

  void add(const ScoreboardMessage& m) {
    std::lock_guard lock(mutex);
    messages.push_back(m);
    changed.notify_all();
  }
  // Waits until `count` messages arrived; returns them.
  std::vector<ScoreboardMessage> wait_for(std::size_t count, std::chrono::milliseconds limit = 5s) {
    std::unique_lock lock(mutex);
    changed.wait_for(lock, limit, [&] { return messages.size() >= count; });
    return messages;
  }
  std::size_t size() {
    std::lock_guard lock(mutex);
    return messages.size();
  }
};

class ScoringStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ids = identity::PgIdentityStore::open(db_.uri());
    ASSERT_TRUE(ids) << ids.error().message;
    identities_ = std::move(ids).value();
    ASSERT_TRUE(identities_->add_user({"ida", identity::Role::instructor, {}, "", ""}));
    ASSERT_TRUE(identities_->add_user({"rin", identity::Role::trainee, "red", "", ""}));
    ASSERT_TRUE(identities_->add_user({"ben", identity::Role::trainee, "blue", "", ""}));

    auto ledger = scoring::PgLedgerStore::open(db_.uri());
    ASSERT_TRUE(ledger) << ledger.error().message;
    hub_ = std::make_shared<scoring::ScoreHub>(std::move(ledger).value());
    scoring::ScoringRules rules;
    rules.objectives["flag"] =
        scoring::ObjectiveRules::single(scoring::AnswerRule::normalized("kakuu"), 100);
    scoring::ExerciseScoring setup{
        "ex-live", {"red", "blue"}, {{"red", rules}, {"blue", rules}}, {{"red", {}}, {"blue", {}}}};
    ASSERT_TRUE(hub_->open(setup));

    config::Config config;
    config.listen_address = "127.0.0.1:0";
    config.plaintext = true;
    rpc::ServerDeps deps;
    deps.scoring = hub_;
    auto server = rpc::Server::start(config, identities_, std::move(deps));
    ASSERT_TRUE(server) << server.error().message;
    server_ = std::move(server).value();
  }

  void TearDown() override {
    if (server_) server_->shutdown(200ms);
  }

  ScoringClient client_for(const std::string& user) {
    auto token = identities_->issue_token(user, std::chrono::hours(1));
    EXPECT_TRUE(token);
    ClientOptions options;
    options.target = server_->address();
    options.plaintext = true;
    options.token = token->token;
    options.timeout = 5s;
    return ScoringClient(Connection::open(options).value());
  }

  Subscription watch(ScoringClient& client, Inbox& inbox, const std::string& team = {}) {
    return client.watch(
        "ex-live", team, [&inbox](const ScoreboardMessage& m) { inbox.add(m); }, nullptr);
  }

  store::testing::TempDatabase db_;
  std::shared_ptr<identity::PgIdentityStore> identities_;
  std::shared_ptr<scoring::ScoreHub> hub_;
  std::unique_ptr<rpc::Server> server_;
};

TEST_F(ScoringStreamTest, SubmissionReachesEveryAudienceAsItMaySeeIt) {
  auto instructor = client_for("ida");
  auto red = client_for("rin");
  auto blue = client_for("ben");
  Inbox staff_in, red_in, blue_in;
  auto staff_watch = watch(instructor, staff_in);
  auto red_watch = watch(red, red_in);
  auto blue_watch = watch(blue, blue_in, "blue");
  for (Inbox* inbox : {&staff_in, &red_in, &blue_in}) {
    auto first = inbox->wait_for(1);
    ASSERT_EQ(first.size(), 1u);
    EXPECT_TRUE(first[0].snapshot);
  }

  auto reply = red.submit_answer("ex-live", "flag", "", "ＫＡＫＵＵ");
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->verdict, Verdict::correct);

  auto staff = staff_in.wait_for(2);
  ASSERT_EQ(staff.size(), 2u);
  ASSERT_EQ(staff[1].entries.size(), 1u);
  EXPECT_EQ(staff[1].entries[0].team, "red");
  EXPECT_EQ(staff[1].entries[0].kind, EntryKind::solve);
  EXPECT_EQ(staff[1].entries[0].actor, "rin");
  ASSERT_EQ(staff[1].standings.size(), 1u);
  EXPECT_EQ(staff[1].standings[0].objectives.at(0).status, ObjectiveStatus::solved);

  auto own = red_in.wait_for(2);
  ASSERT_EQ(own.size(), 2u);
  ASSERT_TRUE(own[1].own);
  EXPECT_EQ(own[1].own->total, 100);
  EXPECT_EQ(own[1].entries.size(), 1u);

  auto other = blue_in.wait_for(2);
  ASSERT_EQ(other.size(), 2u);
  EXPECT_TRUE(other[1].entries.empty());  // only totals of another team
  EXPECT_FALSE(other[1].own);
  EXPECT_TRUE(other[1].standings.empty());
  ASSERT_FALSE(other[1].board.empty());
  EXPECT_EQ(other[1].board[0].team, "red");
  EXPECT_EQ(other[1].board[0].total, 100);

  // Hidden: the other team hears nothing more; reconnecting starts with a snapshot.
  ASSERT_TRUE(instructor.set_mode("ex-live", BoardMode::hidden));
  auto hidden = blue_in.wait_for(3);
  ASSERT_EQ(hidden.size(), 3u);
  EXPECT_TRUE(hidden[2].snapshot);
  EXPECT_TRUE(hidden[2].board.empty());
  EXPECT_EQ(hidden[2].mode, BoardMode::hidden);
  staff_in.wait_for(3);
  EXPECT_FALSE(red.adjust("ex-live", "red", "", 5, "x"));  // trainees may not
  ASSERT_TRUE(instructor.adjust("ex-live", "red", "", 5, "Clear incident report."));
  EXPECT_EQ(staff_in.wait_for(4).size(), 4u);
  EXPECT_EQ(red_in.wait_for(4).size(), 4u);  // snapshot on mode change, then the delta
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(blue_in.size(), 3u);

  blue_watch.cancel_and_wait();
  Inbox again;
  auto reconnected = watch(blue, again);
  auto first = again.wait_for(1);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_TRUE(first[0].snapshot);
  ASSERT_TRUE(first[0].own);
  EXPECT_EQ(first[0].own->team, "blue");
  EXPECT_EQ(first[0].mode, BoardMode::hidden);
}

TEST_F(ScoringStreamTest, WrongRolesAndTeamsArePermissionDenied) {
  auto instructor = client_for("ida");
  auto red = client_for("rin");
  auto expect_denied = [](const Error& e, const char* what) {
    EXPECT_EQ(e.code, ErrorCode::permission_denied) << what << ": " << e.message;
  };
  expect_denied(instructor.submit_answer("ex-live", "flag", "", "kakuu").error(),
                "instructor submits");
  expect_denied(instructor.take_hint("ex-live", "flag", "hint-1").error(), "instructor takes hint");
  expect_denied(red.push_hint("ex-live", "blue", "flag", "hint-1").error(), "trainee pushes hint");
  expect_denied(red.adjust("ex-live", "red", "", 50, "I deserve it").error(), "trainee adjusts");
  expect_denied(red.set_mode("ex-live", BoardMode::hidden).error(), "trainee hides the board");
  expect_denied(red.scoreboard("ex-live", "blue").error(), "trainee reads another team");
  Inbox inbox;
  std::mutex mutex;
  std::condition_variable ended_cv;
  std::optional<Error> ended;
  auto refused = red.watch(
      "ex-live", "blue", [&](const ScoreboardMessage& m) { inbox.add(m); },
      [&](const StreamEnd& e) {
        std::lock_guard lock(mutex);
        ended = e.error;
        ended_cv.notify_all();
      });
  std::unique_lock lock(mutex);
  ASSERT_TRUE(ended_cv.wait_for(lock, 5s, [&] { return ended.has_value(); }));
  expect_denied(*ended, "trainee watches another team");
  EXPECT_EQ(inbox.size(), 0u);
  // The trainee's own board holds no details of other teams.
  auto own = red.scoreboard("ex-live");
  ASSERT_TRUE(own) << own.error().message;
  EXPECT_TRUE(own->standings.empty());
  ASSERT_TRUE(own->own);
  EXPECT_EQ(own->own->team, "red");
}

}  // namespace
}  // namespace cyrange::client
