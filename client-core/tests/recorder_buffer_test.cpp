// EventBuffer: durability across restarts, trimming by acknowledgement, the size
// bound, crash repair and redaction at the source.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include <cyrange/v1/recorder.pb.h>

#include <client-core/recorder_client.h>

namespace cyrange::client {
namespace {

class BufferTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/cyrange-buffer-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<EventBuffer> open(std::size_t max_bytes = 64u << 20) {
    auto buffer = EventBuffer::open({dir_, max_bytes});
    EXPECT_TRUE(buffer) << buffer.error().message;
    return buffer ? std::move(buffer).value() : nullptr;
  }

  static TraineeEvent command(const std::string& line) {
    TraineeEvent e;
    e.kind = TraineeEventKind::command;
    e.exercise_id = "ex";
    e.target = "ws01";
    e.text = line;
    return e;
  }

  static v1::RecorderEvent parse(const std::string& bytes) {
    v1::RecorderEvent event;
    EXPECT_TRUE(event.ParseFromString(bytes));
    return event;
  }

  std::filesystem::path dir_;
};

TEST_F(BufferTest, UnacknowledgedEventsSurviveReopen) {
  std::string client_id;
  {
    auto buffer = open();
    client_id = buffer->client_id();
    for (int i = 1; i <= 5; ++i) {
      auto seq = buffer->append(command("cmd " + std::to_string(i)));
      ASSERT_TRUE(seq);
      EXPECT_EQ(*seq, static_cast<std::uint64_t>(i));
    }
    ASSERT_TRUE(buffer->sync());
  }
  auto reopened = open();
  EXPECT_EQ(reopened->client_id(), client_id);
  EXPECT_EQ(reopened->last_seq(), 5u);
  auto slice = reopened->unacked_after(0, 100);
  ASSERT_EQ(slice.events.size(), 5u);
  EXPECT_EQ(slice.first_seq, 1u);
  EXPECT_EQ(parse(slice.events[4]).command().line(), "cmd 5");
  EXPECT_NE(parse(slice.events[0]).wall_unix_us(), 0);  // clocks stamped by append
}

TEST_F(BufferTest, AcknowledgementTrimsAndPersists) {
  {
    auto buffer = open();
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(buffer->append(command("c")));
    ASSERT_TRUE(buffer->acknowledge(6));
    auto slice = buffer->unacked_after(0, 100);
    EXPECT_EQ(slice.first_seq, 7u);
    EXPECT_EQ(slice.events.size(), 4u);
    EXPECT_EQ(buffer->unacked_after(8, 100).first_seq, 9u);
  }
  auto reopened = open();
  EXPECT_EQ(reopened->acked_seq(), 6u);
  EXPECT_EQ(reopened->unacked_after(0, 100).events.size(), 4u);
  EXPECT_EQ(*reopened->append(command("next")), 11u);
}

TEST_F(BufferTest, CompactionKeepsSequencesMonotonicAcrossRestart) {
  const std::string big(4000, 'x');
  {
    auto buffer = open();
    for (int i = 0; i < 600; ++i) ASSERT_TRUE(buffer->append(command(big)));
    ASSERT_TRUE(buffer->acknowledge(600));
  }
  // Everything acknowledged was dropped from the file, but the counter was not.
  EXPECT_LT(std::filesystem::file_size(dir_ / "events.log"), 4000u);
  auto reopened = open();
  EXPECT_EQ(reopened->last_seq(), 600u);
  EXPECT_TRUE(reopened->unacked_after(0, 10).events.empty());
  EXPECT_EQ(*reopened->append(command("after")), 601u);
}

TEST_F(BufferTest, FullBufferRefusesNewEventsButKeepsOldOnes) {
  auto buffer = open(/*max_bytes=*/2000);
  int accepted = 0;
  Error refusal;
  for (int i = 0; i < 100; ++i) {
    auto seq = buffer->append(command(std::string(100, 'a')));
    if (!seq) {
      refusal = seq.error();
      break;
    }
    ++accepted;
  }
  ASSERT_GT(accepted, 0);
  ASSERT_LT(accepted, 100) << "the bound was not enforced";
  EXPECT_EQ(refusal.code, ErrorCode::failed_precondition);
  EXPECT_NE(refusal.message.find("is full"), std::string::npos) << refusal.message;
  EXPECT_EQ(buffer->unacked_after(0, 1000).events.size(), static_cast<std::size_t>(accepted));
  ASSERT_TRUE(buffer->acknowledge(static_cast<std::uint64_t>(accepted)));
  auto again = buffer->append(command("room again"));
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, static_cast<std::uint64_t>(accepted) + 1);
}

TEST_F(BufferTest, TornTailFromACrashIsCutOff) {
  {
    auto buffer = open();
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(buffer->append(command("ok")));
    ASSERT_TRUE(buffer->sync());
  }
  {
    std::ofstream log(dir_ / "events.log", std::ios::app | std::ios::binary);
    const char torn[] = "\x20\x00\x00\x00garbage";  // a header promising more than was written
    log.write(torn, sizeof torn - 1);
  }
  {
    auto buffer = open();
    EXPECT_EQ(buffer->last_seq(), 3u);
    EXPECT_EQ(*buffer->append(command("four")), 4u);
  }
  auto reopened = open();
  auto slice = reopened->unacked_after(0, 10);
  ASSERT_EQ(slice.events.size(), 4u);
  EXPECT_EQ(parse(slice.events[3]).command().line(), "four");
}

TEST(Redaction, SecretKeysAndCommandsLoseTheirText) {
  TraineeEvent key;
  key.kind = TraineeEventKind::key;
  key.key = "p";
  key.text = "p";
  key.secret = true;
  TraineeEvent redacted = redact(key);
  EXPECT_EQ(redacted.text, "");
  EXPECT_EQ(redacted.key, "*");

  key.key = "Enter";
  key.text = "\n";
  EXPECT_EQ(redact(key).key, "Enter");
  EXPECT_EQ(redact(key).text, "");

  TraineeEvent plain = key;
  plain.secret = false;
  plain.key = "p";
  plain.text = "p";
  EXPECT_EQ(redact(plain).text, "p");

  TraineeEvent line;
  line.kind = TraineeEventKind::command;
  line.text = "hunter2";
  line.secret = true;
  EXPECT_EQ(redact(line).text, "");
}

TEST_F(BufferTest, SecretKeystrokesNeverReachTheDisk) {
  auto buffer = open();
  TraineeEvent key;
  key.kind = TraineeEventKind::key;
  key.exercise_id = "ex";
  key.key = "s";
  key.text = "s3cr3t-typed";
  key.secret = true;
  ASSERT_TRUE(buffer->append(key));
  ASSERT_TRUE(buffer->sync());
  std::ifstream log(dir_ / "events.log", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(log)), {});
  EXPECT_EQ(bytes.find("s3cr3t"), std::string::npos);
  auto event = parse(buffer->unacked_after(0, 1).events.at(0));
  EXPECT_TRUE(event.key().redacted());
  EXPECT_EQ(event.key().text(), "");
}

}  // namespace
}  // namespace cyrange::client
