// Recorded terminals served over RangeService.ListTerminalSessions and ReadTerminalSession:
// the real cyranged over TLS on a throw-away PostgreSQL database, recordings written
// through the real store. Who sees what, consent, paging of a large recording.
#include <gtest/gtest.h>

#include <client-core/terminal_recordings.h>
#include <client-core/testing/recorded_terminals.h>

namespace cyrange::client {
namespace {

using exercise::TerminalChunk;
using testing::RecordedTerminals;

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
  auto live = stack_->record("t2", "ws01", "ivy", {{0, 'o', "first "}}, /*ended=*/false);
  ASSERT_TRUE(live);
  auto before = read_terminal_session(as("ivy"), {*live});
  ASSERT_TRUE(before);
  EXPECT_TRUE(before->session.open());
  EXPECT_TRUE(before->complete);
  ASSERT_TRUE(stack_->append(*live, 1, {{5000, 'o', "second"}}).ok());
  ASSERT_TRUE(stack_->end(*live).ok());
  auto after = read_terminal_session(as("ivy"), {*live, before->next_seq});
  ASSERT_TRUE(after);
  ASSERT_EQ(after->chunks.size(), 1u);
  EXPECT_EQ(after->chunks[0].data, "second");
  EXPECT_FALSE(after->session.open());
}

}  // namespace
}  // namespace cyrange::client
