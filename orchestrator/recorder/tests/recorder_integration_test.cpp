// The recording path end to end against the real PostgreSQL: client library ->
// gRPC (127.0.0.1) -> RecorderService -> IngestPipeline -> recorder_events.
#include <unistd.h>

#include <filesystem>
#include <thread>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <cyrange/v1/recorder.grpc.pb.h>

#include <client-core/recorder_client.h>
#include <orchestrator/recorder/tests/recorder_test_env.h>

namespace cyrange::recorder {
namespace {

namespace v1 = cyrange::v1;
using testing::query_one;

constexpr const char* kClientId = "3f2b8c1e-5d4a-4c3b-9e2f-1a2b3c4d5e6f";

using testing::TempDir;

client::TraineeEvent command_event(int i) {
  client::TraineeEvent e;
  e.kind = client::TraineeEventKind::command;
  e.exercise_id = "ex-red";
  e.target = "ws01";
  e.text = "grep -c beacon /var/log/squid/access.log # " + std::to_string(i);
  return e;
}

// A raw stream: sends `batches`, half-closes, collects acks and the final status.
struct RawResult {
  grpc::Status status;
  std::uint64_t last_ack = 0;
};

RawResult raw_record(const std::string& address, const std::string& token,
                     const std::vector<v1::RecordBatch>& batches) {
  auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  auto stub = v1::RecorderService::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
  auto stream = stub->Record(&ctx);
  for (const auto& batch : batches) {
    if (!stream->Write(batch)) break;
  }
  stream->WritesDone();
  RawResult result;
  v1::RecordAck ack;
  while (stream->Read(&ack)) result.last_ack = ack.committed_seq();
  result.status = stream->Finish();
  return result;
}

v1::RecordBatch batch_of(std::uint64_t first, int count, const std::string& exercise = "ex-red",
                         std::optional<std::int64_t> team = std::nullopt) {
  v1::RecordBatch batch;
  batch.set_client_id(kClientId);
  batch.set_first_seq(first);
  for (int i = 0; i < count; ++i) {
    auto* e = batch.add_events();
    e->set_exercise_id(exercise);
    if (team) e->set_team_id(*team);
    e->set_monotonic_ns(1000 + i);
    e->set_wall_unix_us(1714555800000000 + i);
    e->mutable_click()->set_x(i);
    e->mutable_click()->set_button(1);
  }
  return batch;
}

TEST(RecorderIntegration, TenThousandEventsSurviveAServerRestartExactlyOnce) {
  testing::RecordingStack stack;
  TempDir dir;
  client::ClientOptions options;
  options.target = stack.server->address();
  options.plaintext = true;
  options.token = stack.alice_token;
  auto connection = client::Connection::open(options);
  ASSERT_TRUE(connection);
  auto buffer = client::EventBuffer::open({dir.path});
  ASSERT_TRUE(buffer) << buffer.error().message;
  client::RecorderOptions tuning;
  tuning.max_batch_events = 100;
  client::RecorderClient recorder(*connection, std::move(buffer).value(), tuning);

  for (int i = 1; i <= 5000; ++i) ASSERT_TRUE(recorder.record(command_event(i)));
  // Restart while the stream is busy: after some, but not all, acknowledgements.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (recorder.buffer().acked_seq() < 500 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const std::uint64_t acked_before = recorder.buffer().acked_seq();
  ASSERT_GE(acked_before, 500u);
  stack.stop();
  for (int i = 5001; i <= 8000; ++i) ASSERT_TRUE(recorder.record(command_event(i)));  // offline
  stack.start();
  for (int i = 8001; i <= 10000; ++i) ASSERT_TRUE(recorder.record(command_event(i)));

  ASSERT_TRUE(recorder.wait_until_acked(std::chrono::seconds(60)))
      << "acked " << recorder.buffer().acked_seq() << " of " << recorder.buffer().last_seq()
      << "; last error: " << recorder.last_error().message;
  EXPECT_LT(acked_before, 10000u);
  EXPECT_GE(recorder.connections(), 2u);
  EXPECT_EQ(recorder.buffer().acked_seq(), 10000u);

  const std::string& uri = stack.db.uri();
  EXPECT_EQ(query_one(uri, "SELECT count(*) FROM recorder_events"), "10000");
  EXPECT_EQ(query_one(uri, "SELECT count(DISTINCT seq) FROM recorder_events"), "10000");
  EXPECT_EQ(query_one(uri, "SELECT min(seq) || '-' || max(seq) FROM recorder_events"), "1-10000");
  EXPECT_EQ(query_one(uri, "SELECT data->>'line' FROM recorder_events WHERE seq = 7777"),
            "grep -c beacon /var/log/squid/access.log # 7777");
  EXPECT_EQ(query_one(uri, "SELECT highest_committed_seq FROM recorder_clients"), "10000");
  // Pseudonymous: the stored trainee is alice's pseudonym, never her id or name.
  const std::string pseudonym =
      query_one(uri, "SELECT pseudonym FROM trainee_pseudonyms WHERE user_id = " +
                         std::to_string(stack.alice_id));
  ASSERT_FALSE(pseudonym.empty());
  EXPECT_EQ(query_one(uri, "SELECT string_agg(DISTINCT trainee, ',') FROM recorder_events"),
            pseudonym);
  EXPECT_EQ(query_one(uri, "SELECT count(*) FROM recorder_events WHERE trainee IN ('alice', '" +
                               std::to_string(stack.alice_id) + "')"),
            "0");
  EXPECT_EQ(query_one(uri, "SELECT DISTINCT team_id FROM recorder_events"),
            std::to_string(stack.red_team));
  // The exercise got its own partition.
  EXPECT_EQ(query_one(uri, "SELECT count(*) FROM recorder_partitions WHERE exercise_id = 'ex-red'"),
            "1");
}

TEST(RecorderIntegration, ReplayAfterALostAckIsStoredOnce) {
  testing::RecordingStack stack;
  auto first = raw_record(stack.server->address(), stack.alice_token, {batch_of(1, 100)});
  ASSERT_TRUE(first.status.ok()) << first.status.error_message();
  EXPECT_EQ(first.last_ack, 100u);
  // The client never saw that ack (say) and resends 51..150 on a new stream.
  auto second = raw_record(stack.server->address(), stack.alice_token, {batch_of(51, 100)});
  ASSERT_TRUE(second.status.ok()) << second.status.error_message();
  EXPECT_EQ(second.last_ack, 150u);
  EXPECT_EQ(query_one(stack.db.uri(),
                      "SELECT count(*) || '/' || count(DISTINCT seq) FROM recorder_events"),
            "150/150");
}

TEST(RecorderIntegration, TraineeCannotWriteAnotherTeamsData) {
  testing::RecordingStack stack;
  const auto address = stack.server->address();
  // Naming the other team explicitly.
  auto named = raw_record(address, stack.alice_token, {batch_of(1, 3, "ex-red", stack.blue_team)});
  EXPECT_EQ(named.status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << named.status.error_message();
  // Writing into the other team's exercise.
  auto foreign = raw_record(address, stack.alice_token, {batch_of(1, 3, "ex-blue")});
  EXPECT_EQ(foreign.status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << foreign.status.error_message();
  EXPECT_NE(foreign.status.error_message().find("ex-blue"), std::string::npos);
  // Staff do not record as trainees.
  auto staff = raw_record(address, stack.carol_token, {batch_of(1, 3)});
  EXPECT_EQ(staff.status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(query_one(stack.db.uri(), "SELECT count(*) FROM recorder_events"), "0");

  // A client id, once used by alice, cannot be taken over by bob.
  ASSERT_TRUE(raw_record(address, stack.alice_token, {batch_of(1, 2)}).status.ok());
  auto hijack = raw_record(address, stack.bob_token, {batch_of(3, 2, "ex-blue")});
  EXPECT_EQ(hijack.status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << hijack.status.error_message();
  EXPECT_EQ(query_one(stack.db.uri(), "SELECT count(*) FROM recorder_events"), "2");
}

TEST(RecorderIntegration, UnauthenticatedStreamsAreRefused) {
  testing::RecordingStack stack;
  auto none = raw_record(stack.server->address(), "", {batch_of(1, 3)});
  EXPECT_EQ(none.status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  auto wrong = raw_record(stack.server->address(), "not-a-real-token", {batch_of(1, 3)});
  EXPECT_EQ(wrong.status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(query_one(stack.db.uri(), "SELECT count(*) FROM recorder_events"), "0");
}

TEST(RecorderIntegration, SecretsAreNotStoredEvenIfAClientSendsThem) {
  testing::RecordingStack stack;
  v1::RecordBatch batch = batch_of(1, 0);
  auto* e = batch.add_events();
  e->set_exercise_id("ex-red");
  e->mutable_key()->set_key("*");
  e->mutable_key()->set_text("hunter2");  // a faulty client: redacted AND text
  e->mutable_key()->set_redacted(true);
  auto* c = batch.add_events();
  c->set_exercise_id("ex-red");
  c->mutable_command()->set_line("s3cret-pass");
  c->mutable_command()->set_redacted(true);
  auto result = raw_record(stack.server->address(), stack.alice_token, {batch});
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  const std::string& uri = stack.db.uri();
  EXPECT_EQ(query_one(uri, "SELECT count(*) FROM recorder_events"), "2");
  EXPECT_EQ(query_one(uri,
                      "SELECT count(*) FROM recorder_events WHERE data::text LIKE '%hunter2%' "
                      "OR data::text LIKE '%s3cret%'"),
            "0");
  EXPECT_EQ(query_one(uri, "SELECT count(*) FROM recorder_events WHERE (data->>'redacted')::bool"),
            "2");
}

}  // namespace
}  // namespace cyrange::recorder
