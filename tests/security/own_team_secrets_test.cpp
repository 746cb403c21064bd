// Own-team secrets: what a trainee of team1 must find in the range, not read from the API.
// The attacker's C2 host and its address, the roles of hosts, the seed (with the public
// scenario file it gives every team's variables: `cyrange scenario variants` prints the
// answer key) and the variables' values. Each check has a control: staff do see them.
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include <cyrange/v1/exercise.grpc.pb.h>
#include <cyrange/v1/range.grpc.pb.h>

#include <orchestrator/exercise/exercise_manager.h>
#include <orchestrator/range/fake_hypervisor.h>
#include <orchestrator/scenario/parser.h>
#include <orchestrator/scenario/variables.h>
#include <tests/security/authz_stack.h>

namespace cyrange::security {
namespace {

namespace v1 = cyrange::v1;

class OwnTeamSecretsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { stack_ = start_stack(start_error_); }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }
  void SetUp() override { ASSERT_EQ(start_error_, ""); }

  static std::unique_ptr<grpc::ClientContext> as(Who who) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("authorization", stack_->bearer(who));
    return ctx;
  }
  static v1::ListRangesResponse ranges(Who who) {
    v1::ListRangesRequest request;
    request.set_exercise_id(AuthzStack::kExercise);
    v1::ListRangesResponse response;
    auto status =
        v1::RangeService::NewStub(stack_->channel())->ListRanges(as(who).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }
  static v1::ListExercisesResponse exercises(Who who) {
    v1::ListExercisesResponse response;
    auto status = v1::ExerciseService::NewStub(stack_->channel())
                      ->ListExercises(as(who).get(), {}, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }
  static v1::Exercise exercise(Who who, const std::string& id) {
    v1::GetExerciseRequest request;
    request.set_exercise_id(id);
    v1::Exercise response;
    auto status = v1::ExerciseService::NewStub(stack_->channel())
                      ->GetExercise(as(who).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }
  // Everything the three calls answer `who` about kExercise, as text.
  static std::string everything(Who who) {
    return ranges(who).DebugString() + exercises(who).DebugString() +
           exercise(who, AuthzStack::kExercise).DebugString();
  }

  static AuthzStack* stack_;
  static std::string start_error_;
};

AuthzStack* OwnTeamSecretsTest::stack_ = nullptr;
std::string OwnTeamSecretsTest::start_error_;

TEST_F(OwnTeamSecretsTest, TheTraineeSeesOnlyTheHostsItMayOpenWithoutRoles) {
  const auto seen = ranges(Who::trainee);
  ASSERT_EQ(seen.ranges_size(), 1);
  const auto& range = seen.ranges(0);
  EXPECT_EQ(range.team(), AuthzStack::kOwnTeam);
  bool terminal_host = false;
  for (const auto& host : range.hosts()) {
    EXPECT_TRUE(host.trainee_terminal()) << "host '" << host.name() << "' cannot be opened";
    EXPECT_EQ(host.role(), "") << "the role of '" << host.name() << "'";
    EXPECT_NE(host.name(), "attacker");
    terminal_host = terminal_host || host.name() == AuthzStack::kTerminalHost;
  }
  EXPECT_TRUE(terminal_host) << "the trainee client needs the hosts it opens: "
                             << seen.DebugString();

  // The control: an instructor sees the whole range, the attacker's C2 with its role.
  bool attacker = false;
  const auto all = ranges(Who::instructor);
  for (const auto& r : all.ranges())
    for (const auto& host : r.hosts())
      attacker = attacker || (host.name() == "attacker" && host.role() == "attacker_c2");
  EXPECT_TRUE(attacker) << "the scenario has no attacker_c2 host any more";
}

TEST_F(OwnTeamSecretsTest, NoSeedAndNoVariableValueReachesTheTrainee) {
  const auto trainee = everything(Who::trainee);
  const auto staff = everything(Who::instructor);
  const auto listed = exercises(Who::trainee);
  for (const auto& e : listed.exercises())
    EXPECT_EQ(e.seed(), 0u) << "the seed of '" << e.exercise_id() << "'";
  EXPECT_EQ(exercise(Who::trainee, AuthzStack::kExercise).seed(), 0u);
  EXPECT_EQ(exercise(Who::instructor, AuthzStack::kExercise).seed(), AuthzStack::kSeed);

  auto scenario = scenario::parse_scenario(stack_->scenario_yaml(), "scenario.yaml");
  ASSERT_TRUE(scenario.has_value()) << scenario.error().message;
  const auto values =
      scenario::resolve_variables(*scenario, AuthzStack::kSeed, AuthzStack::kOwnTeam);
  ASSERT_TRUE(values.contains("c2_address"));
  int probed = 0;
  for (const auto& [name, value] : values) {
    if (value.size() < 4) continue;  // "60" would match by chance
    ++probed;
    EXPECT_EQ(trainee.find(value), std::string::npos)
        << "variable " << name << " = '" << value << "' was shown to the trainee";
  }
  EXPECT_GE(probed, 4);
  // The control: the C2 address is in the instructor's view of the range.
  EXPECT_NE(staff.find(values.at("c2_address")), std::string::npos) << staff;
}

// A seed not given is drawn at random and recorded: staff read it back, the trainee
// does not, nor the detail of why provisioning failed (here: no image in an empty cache).
TEST_F(OwnTeamSecretsTest, ASeedNotGivenIsDrawnAtRandomAndShownToStaffOnly) {
  const auto cache = std::filesystem::temp_directory_path() /
                     ("cyrange-secrets-cache-" + std::to_string(::getpid()));
  std::filesystem::create_directories(cache);
  {
    auto registry = exercise::RangeRegistry::open(stack_->database_uri());
    ASSERT_TRUE(registry.has_value()) << registry.error().message;
    exercise::ExerciseManagerDeps deps;
    deps.hypervisor = std::make_shared<range::FakeHypervisor>();
    deps.libvirt_uri = "test:///secrets";
    deps.registry = std::move(registry).value();
    deps.image_cache = cache.string();  // empty, and no --build-images: provisioning fails
    exercise::ExerciseManager manager(std::move(deps));
    for (const char* id : {"seeded_a", "seeded_b"}) {
      auto created = manager.create(
          {id, stack_->scenario_yaml(), "scenario.yaml", {AuthzStack::kOwnTeam}, /*seed=*/0});
      ASSERT_TRUE(created.has_value()) << created.error().message;
    }
  }  // waits for both provisionings to end
  std::filesystem::remove_all(cache);

  const auto a = exercise(Who::instructor, "seeded_a");
  const auto b = exercise(Who::instructor, "seeded_b");
  EXPECT_NE(a.seed(), 0u);
  EXPECT_NE(b.seed(), 0u);
  EXPECT_NE(a.seed(), b.seed()) << "two exercises without a seed got the same one";
  EXPECT_EQ(stack_->query("SELECT seed FROM exercises WHERE id = 'seeded_a'"),
            std::to_string(static_cast<std::int64_t>(a.seed())));
  EXPECT_NE(a.detail(), "") << "the control: staff read why provisioning failed";

  // A trainee of seeded_a (the matrix trainee plays in another run only, #17, 4).
  auto viewer = stack_->run_trainee("seeded-a-trainee", "seeded_a");
  ASSERT_TRUE(viewer) << viewer.error().message;
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + *viewer);
  v1::GetExerciseRequest request;
  request.set_exercise_id("seeded_a");
  v1::Exercise seen;
  const auto status =
      v1::ExerciseService::NewStub(stack_->channel())->GetExercise(&ctx, request, &seen);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(seen.seed(), 0u);
  EXPECT_EQ(seen.detail(), "");
  EXPECT_EQ(seen.state(), a.state());
}

}  // namespace
}  // namespace cyrange::security
