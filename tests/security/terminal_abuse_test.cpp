// One trainee must not take cyranged down through a terminal: a guest printing without end
// (`yes` in the in-memory guest, as `cat /dev/urandom` in a real one) to a client that
// stopped reading, and more terminals than one person needs. Asserted on the broker's flow
// counters and the stored recording, on cyranged's real server and PostgreSQL.
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include <cyrange/v1/range.grpc.pb.h>

#include <tests/security/authz_stack.h>

namespace cyrange::security {
namespace {

namespace v1 = cyrange::v1;
using Clock = std::chrono::steady_clock;

// A terminal stream of one caller, read only when the test says so.
struct OpenTerminal {
  std::unique_ptr<v1::RangeService::Stub> stub;
  std::unique_ptr<grpc::ClientContext> ctx = std::make_unique<grpc::ClientContext>();
  std::unique_ptr<grpc::ClientReaderWriter<v1::TerminalInput, v1::TerminalOutput>> stream;
  v1::TerminalOutput first;
  bool opened = false;

  OpenTerminal(AuthzStack& stack, Who who, const std::string& team, const std::string& host)
      : stub(v1::RangeService::NewStub(stack.channel())) {
    ctx->AddMetadata("authorization", stack.bearer(who));
    stream = stub->Terminal(ctx.get());
    v1::TerminalInput open;
    open.mutable_open()->set_exercise_id(AuthzStack::kExercise);
    open.mutable_open()->set_team(team);
    open.mutable_open()->set_host(host);
    opened = stream->Write(open) && stream->Read(&first) && first.has_opened();
  }
  bool type(const std::string& keys) {
    v1::TerminalInput in;
    in.set_keys(keys);
    return stream->Write(in);
  }
  // Reads until `needle` shows up in the output (false when the stream ends first).
  bool read_until(const std::string& needle) {
    std::string seen;
    v1::TerminalOutput out;
    while (stream->Read(&out)) {
      seen += out.data();
      if (seen.find(needle) != std::string::npos) return true;
    }
    return false;
  }
  grpc::Status finish() {
    ctx->TryCancel();
    return stream->Finish();
  }
};

class TerminalAbuseTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { stack_ = start_stack(start_error_); }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }
  void SetUp() override { ASSERT_EQ(start_error_, ""); }

  static AuthzStack* stack_;
  static std::string start_error_;
};

AuthzStack* TerminalAbuseTest::stack_ = nullptr;
std::string TerminalAbuseTest::start_error_;

TEST_F(TerminalAbuseTest, AFloodToAStalledReaderIsBoundedAndOthersKeepWorking) {
  exercise::TerminalLimits limits;
  limits.max_queued_output = 64 * 1024;
  limits.max_recorded_bytes = 256 * 1024;
  stack_->terminals().set_limits(limits);
  auto& flow = stack_->terminals().flow();
  const auto pauses_before = flow.pauses.load();

  OpenTerminal flood(*stack_, Who::trainee, AuthzStack::kOwnTeam, AuthzStack::kTerminalHost);
  ASSERT_TRUE(flood.opened);
  ASSERT_TRUE(flood.type("yes\r"));  // and never read again

  // The console is paused once the client is behind by the limit.
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (flow.pauses.load() == pauses_before && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_GT(flow.pauses.load(), pauses_before) << "the console was never paused";
  // What waits for the client never passes twice the limit (plus one console read).
  EXPECT_LE(flow.peak_queued_output.load(), 2 * limits.max_queued_output + 4096);

  // Meanwhile an instructor's terminal in the other team answers as before.
  OpenTerminal other(*stack_, Who::instructor, AuthzStack::kOtherTeam, AuthzStack::kTerminalHost);
  ASSERT_TRUE(other.opened);
  ASSERT_TRUE(other.type("hostname\r"));
  EXPECT_TRUE(other.read_until(std::string(AuthzStack::kTerminalHost) + "\r\n"));
  (void)other.finish();

  // The recording of the flooded session stopped at its cap with one marker.
  const std::string session = std::to_string(flood.first.opened().session_id());
  ASSERT_NE(session, "0") << "the trainee's terminal should be recorded";
  (void)flood.finish();
  const auto stored = [&] {
    return std::stoll(stack_->query(
        "SELECT coalesce(sum(length(data)), 0) FROM terminal_chunks WHERE session_id = " + session +
        " AND position('recording truncated' in convert_from(data, 'UTF8')) = 0"));
  };
  EXPECT_LE(stored(), static_cast<long long>(limits.max_recorded_bytes));
  const auto marker_deadline = Clock::now() + std::chrono::seconds(10);
  std::string markers = "0";
  while (markers == "0" && Clock::now() < marker_deadline) {
    markers =
        stack_->query("SELECT count(*) FROM terminal_chunks WHERE session_id = " + session +
                      " AND position('recording truncated' in convert_from(data, 'UTF8')) > 0");
    if (markers == "0") std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(markers, "1") << "the truncated recording has no marker";
}

TEST_F(TerminalAbuseTest, ATraineeOpensNoMoreTerminalsThanTheLimit) {
  exercise::TerminalLimits limits;
  limits.max_per_user = 2;
  stack_->terminals().set_limits(limits);
  const auto refused_before = stack_->terminals().flow().refused_over_limit.load();

  OpenTerminal first(*stack_, Who::trainee, "", AuthzStack::kTerminalHost);
  OpenTerminal second(*stack_, Who::trainee, "", "mail");
  ASSERT_TRUE(first.opened);
  ASSERT_TRUE(second.opened);
  OpenTerminal third(*stack_, Who::trainee, "", "proxy");
  EXPECT_FALSE(third.opened);
  const grpc::Status refused = third.stream->Finish();
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << refused.error_message();
  EXPECT_NE(refused.error_message().find("close one"), std::string::npos)
      << refused.error_message();
  EXPECT_NE(japanese_of(refused).find("端末"), std::string::npos) << japanese_of(refused);
  EXPECT_EQ(stack_->terminals().flow().refused_over_limit.load(), refused_before + 1);

  // A closed terminal gives its place back (once the server has seen it go).
  (void)first.finish();
  bool reopened = false;
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (!reopened && Clock::now() < deadline) {
    OpenTerminal again(*stack_, Who::trainee, "", "proxy");
    reopened = again.opened;
    (void)again.finish();
    if (!reopened) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(reopened) << "closing a terminal did not free its place";
  (void)second.finish();
  stack_->terminals().set_limits({});
}

}  // namespace
}  // namespace cyrange::security
