// Recorded terminals served over RangeService.ListTerminalSessions and ReadTerminalSession:
// the real cyranged over TLS on a throw-away PostgreSQL database, recordings written
// through the real store. Who sees what, consent, paging of a large recording.
#include <condition_variable>
#include <mutex>

#include <gtest/gtest.h>

#include <client-core/terminal_recordings.h>
#include <client-core/terminal_watches.h>
#include <client-core/testing/recorded_terminals.h>

namespace cyrange::client {
namespace {

using exercise::TerminalChunk;
using testing::RecordedTerminals;
using namespace std::chrono_literals;

// The updates of one FollowWatches stream, for the test to wait on.
class WatchUpdates {
 public:
  void add(const TerminalWatchesView& update) {
    std::lock_guard lock(mutex_);
    updates_.push_back(update);
    changed_.notify_all();
  }
  // The `n`th update (from 1), waiting up to 10 s for it; none when it never came.
  std::optional<TerminalWatchesView> nth(std::size_t n) {
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, 10s, [&] { return updates_.size() >= n; })) return std::nullopt;
    return updates_[n - 1];
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<TerminalWatchesView> updates_;
};

class TerminalRecordingsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_ = new RecordedTerminals;
    const Status started =
        stack_->start(std::filesystem::path(CYRANGE_BINARY_DIR) / "orchestrator/daemon/cyranged");
    if (!started) start_error_ = started.error().message;
  }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }
  void SetUp() override { ASSERT_EQ(start_error_, ""); }

  static Connection as(const std::string& user) {
    auto connection = Connection::open(stack_->options(user));
    EXPECT_TRUE(connection) << connection.error().message;
    return *connection;
  }

  static std::vector<std::int64_t> ids(const Expected<std::vector<TerminalRecordingInfo>>& list) {
    std::vector<std::int64_t> out;
    if (list)
      for (const auto& s : *list) out.push_back(s.session_id);
    return out;
  }

  static RecordedTerminals* stack_;
  static std::string start_error_;
};

RecordedTerminals* TerminalRecordingsTest::stack_ = nullptr;
std::string TerminalRecordingsTest::start_error_;

TEST_F(TerminalRecordingsTest, EachRoleSeesWhatItMayAndNothingRecordedWithoutConsent) {
  const std::vector<TerminalChunk> shell = {
      {0, 'o', "alice@ws01:~$ "}, {400000, 'i', "id\r"}, {410000, 'o', "id\r\nuid=1000\r\n"}};
  auto alices = stack_->record("t1", "ws01", "alice", shell);
  auto ivys = stack_->record("t2", "ws01", "ivy", shell);
  auto bobs = stack_->record("t2", "ws01", "bob", shell);  // bob never agreed
  ASSERT_TRUE(alices && ivys && bobs);

  auto staff = list_terminal_sessions(as("ivy"), RecordedTerminals::kExercise);
  ASSERT_TRUE(staff) << staff.error().message << "\n" << stack_->log();
  EXPECT_EQ(ids(staff), (std::vector<std::int64_t>{*alices, *ivys}));
  const auto& first = staff->front();
  EXPECT_EQ(first.team, "t1");
  EXPECT_EQ(first.host, "ws01");
  EXPECT_EQ(first.user, "alice");
  EXPECT_EQ(first.bytes, 14 + 3 + 14);
  EXPECT_EQ(first.duration_ms, 410);
  EXPECT_FALSE(first.open());
  EXPECT_FALSE(first.truncated);
  EXPECT_EQ(ids(list_terminal_sessions(as("ivy"), RecordedTerminals::kExercise, "t2")),
            (std::vector<std::int64_t>{*ivys}));

  // The trainee: their own team only, whatever they ask for.
  EXPECT_EQ(ids(list_terminal_sessions(as("alice"), RecordedTerminals::kExercise)),
            (std::vector<std::int64_t>{*alices}));
  auto other_team = list_terminal_sessions(as("alice"), RecordedTerminals::kExercise, "t2");
  ASSERT_FALSE(other_team);
  EXPECT_EQ(other_team.error().code, ErrorCode::permission_denied);
  auto other_read = read_terminal_session(as("alice"), {*ivys});
  ASSERT_FALSE(other_read);
  EXPECT_EQ(other_read.error().code, ErrorCode::permission_denied);
  auto designer = list_terminal_sessions(as("dan"), RecordedTerminals::kExercise);
  ASSERT_FALSE(designer);
  EXPECT_EQ(designer.error().code, ErrorCode::permission_denied);

  // What bob typed without consent is stored here (the test wrote it) but never served.
  auto unconsented = read_terminal_session(as("ivy"), {*bobs});
  ASSERT_FALSE(unconsented);
  EXPECT_EQ(unconsented.error().code, ErrorCode::not_found);
  EXPECT_FALSE(unconsented.error().message_ja.empty());

  // The replay gets output and sizes only; the keystrokes on request.
  auto replay = read_terminal_session(as("alice"), {*alices});
  ASSERT_TRUE(replay) << replay.error().message;
  ASSERT_EQ(replay->chunks.size(), 2u);
  EXPECT_EQ(replay->chunks[1].data, "id\r\nuid=1000\r\n");
  EXPECT_EQ(replay->chunks[1].seq, 2);
  EXPECT_TRUE(replay->complete);
  auto with_keys = read_terminal_session(as("ivy"), {*alices, 0, 0, true});
  ASSERT_TRUE(with_keys);
  ASSERT_EQ(with_keys->chunks.size(), 3u);
  EXPECT_EQ(with_keys->chunks[1].direction, 'i');

  // A withdrawal deletes her recording; it is gone from every list.
  ASSERT_TRUE(stack_->withdraw_alice().ok());
  EXPECT_EQ(ids(list_terminal_sessions(as("ivy"), RecordedTerminals::kExercise)),
            (std::vector<std::int64_t>{*ivys}));
  EXPECT_EQ(read_terminal_session(as("ivy"), {*alices}).error().code, ErrorCode::not_found);
}

TEST_F(TerminalRecordingsTest, ALargeRecordingComesInPagesAndALiveOneGrows) {
  // 3 MiB of output in 48 chunks of 64 KiB: more than ten pages of the default 256 KiB.
  std::vector<TerminalChunk> chunks;
  std::string expected;
  for (int i = 0; i < 48; ++i) {
    std::string data(64 << 10, static_cast<char>('a' + i % 26));
    expected += data;
    chunks.push_back({i * 1000, 'o', std::move(data)});
  }
  auto big = stack_->record("t2", "ws01", "ivy", chunks);
  ASSERT_TRUE(big);
  auto page = read_terminal_session(as("ivy"), {*big});
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->chunks.size(), 4u);  // 4 x 64 KiB fill the 256 KiB page
  EXPECT_FALSE(page->complete);
  EXPECT_EQ(page->next_seq, 4);
  auto whole = read_whole_terminal_session(as("ivy"), *big);
  ASSERT_TRUE(whole) << whole.error().message;
  std::string joined;
  for (const auto& c : whole->chunks) joined += c.data;
  EXPECT_EQ(joined, expected);
  EXPECT_TRUE(whole->complete);
  EXPECT_EQ(whole->session.bytes, static_cast<std::int64_t>(expected.size()));

  // A terminal still open: read what is there, then more from next_seq once it is stored.
  // (Its trainee reads it; an instructor needs the team's yes, see the next test.)
  ASSERT_TRUE(stack_->consent_alice().ok());
  auto live = stack_->record("t1", "ws01", "alice", {{0, 'o', "first "}}, /*ended=*/false);
  ASSERT_TRUE(live);
  auto before = read_terminal_session(as("alice"), {*live});
  ASSERT_TRUE(before);
  EXPECT_TRUE(before->session.open());
  EXPECT_TRUE(before->complete);
  ASSERT_TRUE(stack_->append(*live, 1, {{5000, 'o', "second"}}).ok());
  ASSERT_TRUE(stack_->end(*live).ok());
  // Ended, it is a replay: the instructor reads the rest without any watch.
  auto after = read_terminal_session(as("ivy"), {*live, before->next_seq});
  ASSERT_TRUE(after);
  ASSERT_EQ(after->chunks.size(), 1u);
  EXPECT_EQ(after->chunks[0].data, "second");
  EXPECT_FALSE(after->session.open());
}

// A terminal still open is shown to an instructor only while a trainee of its team allows
// it; the team follows every step live; nobody else can answer for the team; each step is
// audited.
TEST_F(TerminalRecordingsTest, ALiveTerminalIsWatchedOnlyWhileATraineeOfItsTeamAllowsIt) {
  ASSERT_TRUE(stack_->consent_alice().ok());
  auto live = stack_->record("t1", "ws01", "alice", {{0, 'o', "alice@ws01:~$ "}}, false);
  ASSERT_TRUE(live);
  auto refused = read_terminal_session(as("ivy"), {*live});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::permission_denied);
  EXPECT_NE(refused.error().message.find("has not accepted a live watch"), std::string::npos);
  EXPECT_FALSE(refused.error().message_ja.empty());

  WatchUpdates alice_sees;
  Subscription follow =
      follow_watches_async(as("alice"), RecordedTerminals::kExercise, "",
                           [&](const TerminalWatchesView& u) { alice_sees.add(u); });
  auto first = alice_sees.nth(1);
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->open.empty());
  EXPECT_FALSE(first->changed);

  EXPECT_EQ(ask_to_watch_async(as("alice"), RecordedTerminals::kExercise, "t1").wait().error().code,
            ErrorCode::permission_denied);
  auto asked = ask_to_watch_async(as("ivy"), RecordedTerminals::kExercise, "t1").wait();
  ASSERT_TRUE(asked) << asked.error().message;
  EXPECT_TRUE(asked->asked());
  EXPECT_EQ(asked->instructor, "ivy");
  auto request = alice_sees.nth(2);
  ASSERT_TRUE(request);
  ASSERT_EQ(request->open.size(), 1u);
  EXPECT_EQ(request->open[0].id, asked->id);
  EXPECT_TRUE(request->open[0].asked());
  ASSERT_TRUE(request->changed);

  // Another team's trainee, the instructor and the designer cannot answer for team t1.
  for (const char* who : {"bob", "ivy", "dan"})
    EXPECT_EQ(answer_watch_async(as(who), asked->id, true).wait().error().code,
              ErrorCode::permission_denied)
        << who;
  EXPECT_EQ(read_terminal_session(as("ivy"), {*live}).error().code, ErrorCode::permission_denied);

  auto yes = answer_watch_async(as("alice"), asked->id, true).wait();
  ASSERT_TRUE(yes) << yes.error().message;
  EXPECT_TRUE(yes->accepted());
  EXPECT_EQ(yes->answered_by, "alice");
  auto allowed = alice_sees.nth(3);
  ASSERT_TRUE(allowed);
  ASSERT_EQ(allowed->open.size(), 1u);
  EXPECT_TRUE(allowed->open[0].accepted());
  auto watched = read_terminal_session(as("ivy"), {*live});
  ASSERT_TRUE(watched) << watched.error().message;
  ASSERT_EQ(watched->chunks.size(), 1u);
  EXPECT_EQ(watched->chunks[0].data, "alice@ws01:~$ ");
  // Asking again is the same request; answering twice is refused.
  auto again = ask_to_watch_async(as("ivy"), RecordedTerminals::kExercise, "t1").wait();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id, asked->id);
  EXPECT_TRUE(again->accepted());
  EXPECT_EQ(answer_watch_async(as("alice"), asked->id, false).wait().error().code,
            ErrorCode::failed_precondition);

  // The trainee stops it: the watch is over at once, for the team and for the instructor.
  auto stopped = end_watch_async(as("alice"), asked->id).wait();
  ASSERT_TRUE(stopped) << stopped.error().message;
  EXPECT_EQ(stopped->state, "ended");
  EXPECT_EQ(stopped->ended_by, "alice");
  auto over = alice_sees.nth(4);
  ASSERT_TRUE(over);
  EXPECT_TRUE(over->open.empty());
  ASSERT_TRUE(over->changed);
  EXPECT_EQ(over->changed->state, "ended");
  EXPECT_EQ(read_terminal_session(as("ivy"), {*live}).error().code, ErrorCode::permission_denied);
  EXPECT_EQ(end_watch_async(as("ivy"), asked->id).wait().error().code, ErrorCode::not_found);

  // A declined request opens nothing either.
  auto second = ask_to_watch_async(as("ivy"), RecordedTerminals::kExercise, "t1").wait();
  ASSERT_TRUE(second);
  EXPECT_NE(second->id, asked->id);
  auto no = answer_watch_async(as("alice"), second->id, false).wait();
  ASSERT_TRUE(no);
  EXPECT_EQ(no->state, "declined");
  EXPECT_EQ(read_terminal_session(as("ivy"), {*live}).error().code, ErrorCode::permission_denied);

  EXPECT_EQ(stack_->query("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE action "
                          "LIKE 'terminal_watch.%'"),
            "terminal_watch.ask,terminal_watch.accept,terminal_watch.end,terminal_watch.ask,"
            "terminal_watch.decline");
}

}  // namespace
}  // namespace cyrange::client
