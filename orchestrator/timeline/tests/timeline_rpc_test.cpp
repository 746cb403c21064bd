// TimelineService over real gRPC on loopback: authorisation of steering and
// watching, and what each role receives.
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <cyrange/v1/timeline.grpc.pb.h>

#include <orchestrator/config/config.h>
#include <orchestrator/identity/fake_authenticator.h>
#include <orchestrator/rpc/server.h>
#include <orchestrator/timeline/tests/test_items.h>

namespace cyrange::timeline {
namespace {

using namespace testing;
namespace v1 = cyrange::v1;
using identity::Role;

class TimelineRpcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store->add_team(11, "red");
    store->add_team(12, "blue");
    TimelineItem kickoff = at_step("kickoff", 0);
    kickoff.kind = ItemKind::message;
    kickoff.text_en = "The exercise starts.";
    TimelineItem press = manual_step("press-call");
    press.kind = ItemKind::message;
    press.text_ja = "報道機関から問い合わせ";
    TimelineItem lure = at_step("lure", 0);
    lure.params["to"] = "victim@example.org";
    for (const char* team : {"red", "blue"}) {
      ASSERT_TRUE(
          store->add_executions("ex", team, numbered({kickoff, lure, press, manual_step("beacon")}))
              .ok());
    }
    ASSERT_TRUE(hub->resume_all().ok());
    auth->add("instructor", {1, "ina", Role::instructor, std::nullopt});
    auth->add("designer", {2, "dee", Role::designer, std::nullopt});
    auth->add("red", {3, "rei", Role::trainee, 11});

    config::Config config;
    config.listen_address = "127.0.0.1:0";
    config.plaintext = true;
    rpc::ServerDeps deps;
    deps.timeline = hub;
    auto started = rpc::Server::start(config, auth, std::move(deps));
    ASSERT_TRUE(started.has_value()) << started.error().message;
    server = std::move(started).value();
    stub = v1::TimelineService::NewStub(
        grpc::CreateChannel(server->address(), grpc::InsecureChannelCredentials()));
  }
  void TearDown() override {
    if (server) server->shutdown(std::chrono::milliseconds(100));
  }

  static void as(grpc::ClientContext& ctx, const std::string& token) {
    ctx.AddMetadata("authorization", "Bearer " + token);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  }
  grpc::Status clock(const std::string& token, v1::ControlClockRequest::Action action) {
    grpc::ClientContext ctx;
    as(ctx, token);
    v1::ControlClockRequest request;
    request.set_exercise_id("ex");
    request.set_action(action);
    v1::ControlClockResponse response;
    return stub->ControlClock(&ctx, request, &response);
  }
  grpc::Status fire(const std::string& token, const std::string& team, const std::string& item) {
    grpc::ClientContext ctx;
    as(ctx, token);
    v1::FireItemRequest request;
    request.set_exercise_id("ex");
    request.set_team(team);
    request.set_item_id(item);
    v1::FireItemResponse response;
    return stub->FireItem(&ctx, request, &response);
  }

  std::shared_ptr<MemoryTimelineStore> store = std::make_shared<MemoryTimelineStore>();
  std::shared_ptr<RecordingExecutor> executor = std::make_shared<RecordingExecutor>();
  std::shared_ptr<ManualTimeSource> wall = std::make_shared<ManualTimeSource>();
  std::shared_ptr<TimelineHub> hub = std::make_shared<TimelineHub>(store, executor, wall);
  std::shared_ptr<identity::FakeAuthenticator> auth =
      std::make_shared<identity::FakeAuthenticator>();
  std::unique_ptr<rpc::Server> server;
  std::unique_ptr<v1::TimelineService::Stub> stub;
};

TEST_F(TimelineRpcTest, TraineesAndDesignersCannotSteer) {
  EXPECT_EQ(clock("red", v1::ControlClockRequest::ACTION_START).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(clock("designer", v1::ControlClockRequest::ACTION_START).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(executor->calls().empty());
  ASSERT_TRUE(clock("instructor", v1::ControlClockRequest::ACTION_START).ok());
  EXPECT_EQ(fire("red", "red", "press-call").error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(fire("designer", "red", "press-call").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(fire("nobody", "red", "press-call").error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(executor->fired("red"), (std::vector<std::string>{"kickoff", "lure"}));
  EXPECT_EQ(fire("red", "red", "beacon").error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(fire("instructor", "red", "press-call").ok());
  EXPECT_EQ(fire("instructor", "red", "press-call").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(executor->fired("red").back(), "press-call");
}

TEST_F(TimelineRpcTest, TraineeListsOnlyDeliveredMessagesOfOwnTeam) {
  ASSERT_TRUE(clock("instructor", v1::ControlClockRequest::ACTION_START).ok());
  v1::ListTimelineRequest request;
  request.set_exercise_id("ex");
  request.set_team("blue");
  v1::ListTimelineResponse response;
  {
    grpc::ClientContext ctx;
    as(ctx, "red");
    EXPECT_EQ(stub->ListTimeline(&ctx, request, &response).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  request.set_team("red");
  {
    grpc::ClientContext ctx;
    as(ctx, "red");
    ASSERT_TRUE(stub->ListTimeline(&ctx, request, &response).ok());
  }
  ASSERT_EQ(response.executions_size(), 1);
  EXPECT_EQ(response.executions(0).item_id(), "kickoff");
  EXPECT_TRUE(response.executions(0).params().empty());
  EXPECT_TRUE(response.clock().started());
  {
    grpc::ClientContext ctx;
    as(ctx, "instructor");
    response.Clear();
    ASSERT_TRUE(stub->ListTimeline(&ctx, request, &response).ok());
  }
  ASSERT_EQ(response.executions_size(), 4);
  EXPECT_EQ(response.executions(1).params().at("to"), "victim@example.org");
  EXPECT_EQ(response.executions(2).trigger(), "manual");
}

TEST_F(TimelineRpcTest, TraineeWatchesOwnTeamAndSeesNoAttackSteps) {
  ASSERT_TRUE(clock("instructor", v1::ControlClockRequest::ACTION_START).ok());
  {
    grpc::ClientContext ctx;
    as(ctx, "red");
    v1::WatchTimelineRequest request;
    request.set_exercise_id("ex");
    request.set_team("blue");
    auto reader = stub->WatchTimeline(&ctx, request);
    v1::TimelineEvent event;
    EXPECT_FALSE(reader->Read(&event));
    EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
  }
  grpc::ClientContext ctx;
  as(ctx, "red");
  v1::WatchTimelineRequest request;
  request.set_exercise_id("ex");
  request.set_team("red");
  auto reader = stub->WatchTimeline(&ctx, request);
  v1::TimelineEvent event;
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_TRUE(event.snapshot());
  EXPECT_EQ(event.execution().item_id(), "kickoff");
  // Live: team blue's message and red's hidden attack step must not reach this
  // trainee; red's own message must.
  ASSERT_TRUE(fire("instructor", "red", "beacon").ok());
  ASSERT_TRUE(fire("instructor", "blue", "press-call").ok());
  ASSERT_TRUE(fire("instructor", "red", "press-call").ok());
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_FALSE(event.snapshot());
  EXPECT_EQ(event.team(), "red");
  EXPECT_EQ(event.execution().item_id(), "press-call");
  EXPECT_EQ(event.execution().state(), v1::EXECUTION_STATE_DONE);
  EXPECT_EQ(event.execution().text().ja(), "報道機関から問い合わせ");
  EXPECT_TRUE(event.execution().detail().empty());
  ctx.TryCancel();
  while (reader->Read(&event)) {
    ADD_FAILURE() << "unexpected event for a trainee: " << event.team() << "/"
                  << event.execution().item_id();
  }
  (void)reader->Finish();
}

TEST_F(TimelineRpcTest, InstructorWatchSeesAttackSteps) {
  grpc::ClientContext ctx;
  as(ctx, "instructor");
  v1::WatchTimelineRequest request;
  request.set_exercise_id("ex");
  auto reader = stub->WatchTimeline(&ctx, request);
  v1::TimelineEvent event;
  int snapshot = 0;
  for (; snapshot < 8 && reader->Read(&event); ++snapshot) EXPECT_TRUE(event.snapshot());
  ASSERT_EQ(snapshot, 8) << "both teams' four items";
  std::thread starter(
      [this] { EXPECT_TRUE(clock("instructor", v1::ControlClockRequest::ACTION_START).ok()); });
  bool saw_lure_done = false;
  while (!saw_lure_done && reader->Read(&event)) {
    saw_lure_done = event.execution().item_id() == "lure" &&
                    event.execution().state() == v1::EXECUTION_STATE_DONE;
  }
  starter.join();
  EXPECT_TRUE(saw_lure_done);
  ctx.TryCancel();
  (void)reader->Finish();
}

}  // namespace
}  // namespace cyrange::timeline
