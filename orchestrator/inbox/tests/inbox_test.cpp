// The trainees' inbox on the real stack: a throw-away PostgreSQL database, the timeline
// engine delivering messages and notice steps through InboxExecutor, InboxService on
// 127.0.0.1:0 and client-core's InboxClient. A due message reaches a watching trainee;
// a reconnecting watcher gets each message exactly once in its snapshot.
#include <condition_variable>
#include <future>
#include <mutex>
#include <set>

#include <gtest/gtest.h>

#include <client-core/inbox_client.h>
#include <orchestrator/config/config.h>
#include <orchestrator/identity/identity_store.h>
#include <orchestrator/inbox/inbox_executor.h>
#include <orchestrator/inbox/pg_inbox_store.h>
#include <orchestrator/rpc/server.h>
#include <orchestrator/scenario/parser.h>
#include <orchestrator/store/testing/temp_database.h>
#include <orchestrator/timeline/pg_store.h>

namespace cyrange::inbox {
namespace {

using namespace std::chrono_literals;

constexpr const char* kExercise = "inbox_ex";

constexpr const char* kScenario = R"(apiVersion: cyrange/v1
metadata:
  id: inbox-test
  version: "1.0.0"
  title: {ja: 受信箱, en: Inbox}
  summary: {ja: 受信箱の試験, en: Inbox test}
variables:
  - {name: isp, type: choice, choices: [Kakuu-Net]}
topology:
  segments: [{name: lan, cidr: 10.0.0.0/24}]
  hosts: []
timeline:
  - id: ciso-notice
    category: inject
    type: trainee_notice
    trigger: {at: 2m}
    params:
      sender: CISO / 最高情報セキュリティ責任者
      subject: 報告の依頼 / Report requested
      text_ja: 30分以内に状況を報告してください。
      text_en: Report the situation within 30 minutes.
briefing:
  ja: あなたは架空市のCSIRTです。
  en: You are the CSIRT of Kakuu City.
messages:
  - id: kickoff
    trigger: {at: 0}
    text: {ja: 演習を開始します。, en: The exercise starts.}
  - id: isp-notice
    trigger: {at: 1m}
    text: {ja: "${vars.isp}：不審な通信を検知しました。", en: "${vars.isp}: we saw suspicious traffic."}
)";

// Collects what one watch delivers and lets the test wait for it.
struct Received {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<client::InboxEntry> entries;

  void add(const client::InboxEntry& e) {
    std::lock_guard lock(mutex);
    entries.push_back(e);
    changed.notify_all();
  }
  std::vector<client::InboxEntry> wait_for(std::size_t count) {
    std::unique_lock lock(mutex);
    changed.wait_for(lock, 10s, [&] { return entries.size() >= count; });
    return entries;
  }
};

class InboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ids = identity::PgIdentityStore::open(db_.uri());
    ASSERT_TRUE(ids) << ids.error().message;
    identities_ = std::move(ids).value();
    ASSERT_TRUE(identities_->add_user({"ida", identity::Role::instructor, {}, "", ""}));
    ASSERT_TRUE(identities_->add_user({"rin", identity::Role::trainee, "red", "", ""}));
    ASSERT_TRUE(identities_->add_user({"ben", identity::Role::trainee, "blue", "", ""}));
    ASSERT_TRUE(identities_->add_user({"dee", identity::Role::designer, {}, "", ""}));

    auto store = PgInboxStore::open(db_.uri());
    ASSERT_TRUE(store) << store.error().message;
    inbox_ = std::make_shared<Inbox>(std::shared_ptr<InboxStore>(std::move(store).value()));
    auto timelines = timeline::PgTimelineStore::open(db_.uri());
    ASSERT_TRUE(timelines) << timelines.error().message;
    auto routes =
        std::make_shared<timeline::RoutingExecutor>(std::make_shared<timeline::MessageExecutor>());
    hub_ = std::make_shared<timeline::TimelineHub>(
        std::shared_ptr<timeline::TimelineStore>(std::move(timelines).value()),
        std::make_shared<InboxExecutor>(routes, inbox_), time_);
    auto parsed = scenario::parse_scenario(kScenario, "inbox.yaml");
    ASSERT_TRUE(parsed) << parsed.error().message;
    ASSERT_TRUE(hub_->arm(kExercise, *parsed, {"red", "blue"}, 7));
    ASSERT_TRUE(inbox_->deliver_briefing(kExercise, *parsed, {"red", "blue"}, 7));

    config::Config config;
    config.listen_address = "127.0.0.1:0";
    config.plaintext = true;
    rpc::ServerDeps deps;
    deps.inbox = inbox_;
    auto server = rpc::Server::start(config, identities_, std::move(deps));
    ASSERT_TRUE(server) << server.error().message;
    server_ = std::move(server).value();
  }

  void TearDown() override {
    if (server_) server_->shutdown(200ms);
  }

  client::InboxClient client_for(const std::string& user) {
    auto token = identities_->issue_token(user, std::chrono::hours(1));
    EXPECT_TRUE(token);
    client::ClientOptions options;
    options.target = server_->address();
    options.plaintext = true;
    options.token = token->token;
    options.timeout = 5s;
    return client::InboxClient(client::Connection::open(options).value());
  }

  timeline::ExerciseTimeline& timeline() { return *hub_->find(kExercise).value(); }
  // Moves exercise time on by `seconds` and runs what fell due.
  void advance(double seconds) {
    time_->advance(seconds);
    ASSERT_TRUE(timeline().tick());
  }

  store::testing::TempDatabase db_;
  std::shared_ptr<timeline::ManualTimeSource> time_ =
      std::make_shared<timeline::ManualTimeSource>();
  std::shared_ptr<identity::PgIdentityStore> identities_;
  std::shared_ptr<Inbox> inbox_;
  std::shared_ptr<timeline::TimelineHub> hub_;
  std::unique_ptr<rpc::Server> server_;
};

TEST_F(InboxTest, DueMessagesReachTheWatchingTraineeAndAReconnectSeesEachOnce) {
  auto rin = client_for("rin");
  Received live;
  auto watch = rin.watch(
      kExercise, "", 0, [&](const client::InboxEntry& e) { live.add(e); }, nullptr);
  auto first = live.wait_for(1);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].kind, client::InboxKind::briefing);
  EXPECT_TRUE(first[0].snapshot);
  EXPECT_EQ(first[0].team, "red");
  EXPECT_EQ(first[0].text.en, "You are the CSIRT of Kakuu City.");

  ASSERT_TRUE(timeline().start());  // kickoff is due at 0
  auto kickoff = live.wait_for(2);
  ASSERT_EQ(kickoff.size(), 2u);
  EXPECT_EQ(kickoff[1].source, "kickoff");
  EXPECT_FALSE(kickoff[1].snapshot);
  EXPECT_EQ(kickoff[1].text.ja, "演習を開始します。");

  advance(60);
  auto isp = live.wait_for(3);
  ASSERT_EQ(isp.size(), 3u);
  EXPECT_EQ(isp[2].source, "isp-notice");
  EXPECT_EQ(isp[2].text.en, "Kakuu-Net: we saw suspicious traffic.");  // variables filled in
  EXPECT_DOUBLE_EQ(isp[2].exercise_time, 60);

  advance(60);
  auto ciso = live.wait_for(4);
  ASSERT_EQ(ciso.size(), 4u);
  EXPECT_EQ(ciso[3].kind, client::InboxKind::notice);
  EXPECT_EQ(ciso[3].sender, "CISO / 最高情報セキュリティ責任者");
  EXPECT_EQ(ciso[3].subject, "報告の依頼 / Report requested");
  EXPECT_EQ(ciso[3].text.en, "Report the situation within 30 minutes.");
  watch.cancel_and_wait();

  // A message delivered while nobody watched, and a re-run of a delivered item.
  timeline::TimelineItem again;
  again.id = "kickoff";
  again.kind = timeline::ItemKind::message;
  again.text_ja = "二度目";
  again.text_en = "second time";
  EXPECT_TRUE(inbox_->deliver(message_of({1, 2, kExercise, "red", &again, 125})));
  ASSERT_TRUE(inbox_->deliver({0, kExercise, "red", "press", "notice", "Press / 報道", "",
                               "取材の申し込み", "An interview request", 130, 0}));

  Received reconnected;
  auto rewatch = rin.watch(
      kExercise, "", 0, [&](const client::InboxEntry& e) { reconnected.add(e); }, nullptr);
  auto snapshot = reconnected.wait_for(5);
  ASSERT_EQ(snapshot.size(), 5u);
  std::set<std::int64_t> ids;
  for (const auto& e : snapshot) {
    EXPECT_TRUE(e.snapshot) << e.source;
    EXPECT_EQ(e.team, "red");
    ids.insert(e.id);
  }
  EXPECT_EQ(ids.size(), 5u) << "each message once";
  EXPECT_EQ(snapshot[1].text.en, "The exercise starts.") << "the first delivery stays";
  EXPECT_EQ(snapshot[4].source, "press");
  rewatch.cancel_and_wait();

  // Resuming after the last id seen: only what came later.
  Received resumed;
  auto tail = rin.watch(
      kExercise, "", snapshot[2].id, [&](const client::InboxEntry& e) { resumed.add(e); }, nullptr);
  auto later = resumed.wait_for(2);
  tail.cancel_and_wait();
  ASSERT_EQ(later.size(), 2u);
  EXPECT_EQ(later[0].source, "ciso-notice");
  EXPECT_EQ(later[1].source, "press");
}

TEST_F(InboxTest, TraineesReadOnlyTheirOwnTeamAndStaffReadAny) {
  ASSERT_TRUE(timeline().start());
  auto rin = client_for("rin");
  auto own = rin.list(kExercise, "");
  ASSERT_TRUE(own) << own.error().message;
  ASSERT_EQ(own->size(), 2u);  // briefing, kickoff
  for (const auto& e : *own) EXPECT_EQ(e.team, "red");

  auto other = rin.list(kExercise, "blue");
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::permission_denied);
  Received refused;
  std::promise<Error> ended;
  auto watch = rin.watch(
      kExercise, "blue", 0, [&](const client::InboxEntry& e) { refused.add(e); },
      [&](const client::StreamEnd& e) { ended.set_value(e.error); });
  auto end = ended.get_future();
  ASSERT_EQ(end.wait_for(10s), std::future_status::ready);
  watch.cancel_and_wait();
  EXPECT_EQ(end.get().code, ErrorCode::permission_denied);
  EXPECT_TRUE(refused.entries.empty());

  auto designer = client_for("dee").list(kExercise, "red");
  ASSERT_FALSE(designer);
  EXPECT_EQ(designer.error().code, ErrorCode::permission_denied);

  auto staff = client_for("ida");
  auto everyone = staff.list(kExercise, "");
  ASSERT_TRUE(everyone) << everyone.error().message;
  EXPECT_EQ(everyone->size(), 4u);
  auto blue = staff.list(kExercise, "blue");
  ASSERT_TRUE(blue);
  ASSERT_EQ(blue->size(), 2u);
  EXPECT_EQ(blue->at(0).team, "blue");
}

TEST_F(InboxTest, DeliveriesSurviveARestartOfTheInbox) {
  ASSERT_TRUE(timeline().start());
  advance(120);
  auto store = PgInboxStore::open(db_.uri());
  ASSERT_TRUE(store) << store.error().message;
  Inbox reopened(std::shared_ptr<InboxStore>(std::move(store).value()));
  auto red = reopened.list(kExercise, "red", 0);
  ASSERT_TRUE(red) << red.error().message;
  std::vector<std::string> sources;
  for (const auto& m : *red) sources.push_back(m.source);
  EXPECT_EQ(sources,
            (std::vector<std::string>{"briefing", "kickoff", "isp-notice", "ciso-notice"}));
}

}  // namespace
}  // namespace cyrange::inbox
