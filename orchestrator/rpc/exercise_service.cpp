#include <orchestrator/rpc/exercise_service.h>

#include <algorithm>

#include <orchestrator/common/log.h>
#include <orchestrator/rpc/system_service.h>

namespace cyrange::rpc {
namespace {

namespace v1 = cyrange::v1;
using identity::Role;

Error no_exercises() {
  return make_error(ErrorCode::failed_precondition,
                    "This server cannot run exercises; start cyranged with a database and a "
                    "libvirt URI.");
}

// Instructors and admins, as exercise.proto says. Not designers: with no owner recorded
// per exercise, a designer who could end its playtest could end a running training day.
bool may_manage(const identity::Identity& caller) {
  return caller.role == Role::admin || caller.role == Role::instructor;
}

Error not_staff(const std::string& what) {
  return make_error(ErrorCode::permission_denied,
                    "Only instructors and admins may " + what +
                        "; ask an instructor. 演習の作成と終了は指導者と管理者のみが行えます。");
}

// Staff whose scope covers `exercise` (another organisation's self-paced run is not_found).
Status may_manage(const identity::Identity& caller, const std::string& exercise,
                  const std::string& what) {
  if (!may_manage(caller)) return not_staff(what);
  return identity::check_exercise_scope(caller, exercise);
}

// `staff` false: a trainee's view. The seed with the public scenario file gives every
// team's variables (the answers), and the detail is an internal error text.
void to_proto(const exercise::ExerciseInfo& e, v1::Exercise& out, bool staff) {
  out.set_exercise_id(e.id);
  out.set_scenario_id(e.scenario_id);
  out.mutable_title()->set_ja(e.title_ja);
  out.mutable_title()->set_en(e.title_en);
  out.set_state(e.state);
  if (staff) {
    out.set_detail(e.detail);
    out.set_seed(e.seed);
  }
  for (const auto& t : e.teams) out.add_teams(t);
}

bool plays_in(const exercise::ExerciseInfo& e, const std::string& team) {
  return std::find(e.teams.begin(), e.teams.end(), team) != e.teams.end();
}

}  // namespace

ExerciseService::ExerciseService(const CallGate& gate,
                                 std::shared_ptr<exercise::ExerciseManager> manager,
                                 std::shared_ptr<exercise::RangeRegistry> registry,
                                 std::shared_ptr<identity::JoinDesk> join)
    : gate_(gate),
      manager_(std::move(manager)),
      registry_(std::move(registry)),
      join_(std::move(join)) {}

Expected<std::string> ExerciseService::team_of(const identity::Identity& caller) const {
  if (caller.role != Role::trainee) return std::string();
  if (!caller.team_id)
    return make_error(ErrorCode::permission_denied,
                      "Trainee '" + caller.name + "' belongs to no team; ask an admin to add it.");
  return registry_->team_name(*caller.team_id);
}

grpc::ServerUnaryReactor* ExerciseService::CreateExercise(grpc::CallbackServerContext* ctx,
                                                          const v1::CreateExerciseRequest* request,
                                                          v1::Exercise* response) {
  return gate_.unary(ctx, "CreateExercise", [&](const identity::Identity& caller) -> Status {
    if (!manager_) return no_exercises();
    if (!may_manage(caller)) return not_staff("create exercises");
    exercise::ExerciseRequest r;
    r.id = request->exercise_id();
    r.scenario_yaml = request->scenario_yaml();
    r.scenario_file = request->scenario_file();
    r.teams.assign(request->teams().begin(), request->teams().end());
    r.seed = request->seed();
    auto created = manager_->create(r);
    if (!created) return created.error();
    to_proto(*created, *response, true);
    return Status::success();
  });
}

grpc::ServerUnaryReactor* ExerciseService::ListExercises(grpc::CallbackServerContext* ctx,
                                                         const v1::ListExercisesRequest* request,
                                                         v1::ListExercisesResponse* response) {
  return gate_.unary(ctx, "ListExercises", [&](const identity::Identity& caller) -> Status {
    if (!manager_) return no_exercises();
    auto team = team_of(caller);
    if (!team) return team.error();
    auto all = manager_->list(request->include_ended());
    if (!all) return all.error();
    for (const auto& e : *all) {
      if (!identity::in_exercise_scope(caller, e.id)) continue;  // a joined trainee: its own
      if (team->empty() || plays_in(e, *team))
        to_proto(e, *response->add_exercises(), team->empty());
    }
    return Status::success();
  });
}

grpc::ServerUnaryReactor* ExerciseService::GetExercise(grpc::CallbackServerContext* ctx,
                                                       const v1::GetExerciseRequest* request,
                                                       v1::Exercise* response) {
  return gate_.unary(ctx, "GetExercise", [&](const identity::Identity& caller) -> Status {
    if (!manager_) return no_exercises();
    auto team = team_of(caller);
    if (!team) return team.error();
    auto found = manager_->get(request->exercise_id());
    // A trainee learns nothing about exercises of other teams, not even that they exist.
    if (!found || (!team->empty() && !plays_in(*found, *team)) ||
        !identity::in_exercise_scope(caller, found->id))
      return make_error(ErrorCode::not_found,
                        "No exercise '" + request->exercise_id() + "' is visible to you.");
    to_proto(*found, *response, team->empty());
    if (team->empty() && registry_) {  // staff see which host each team's range lives on
      auto placed = registry_->placed_ranges(found->id);
      if (!placed) return placed.error();
      for (const auto& r : *placed) (*response->mutable_team_hosts())[r.spec.team] = r.uri;
      if (auto setup = registry_->setup(found->id)) {
        response->set_scenario_yaml(setup->scenario_yaml);
        response->set_scenario_file(setup->scenario_file);
      }
    }
    return Status::success();
  });
}

grpc::ServerUnaryReactor* ExerciseService::EndExercise(grpc::CallbackServerContext* ctx,
                                                       const v1::EndExerciseRequest* request,
                                                       v1::Exercise* response) {
  return gate_.slow_unary(
      ctx, "EndExercise", [this, request, response](const identity::Identity& caller) -> Status {
        if (!manager_) return no_exercises();
        if (Status st = may_manage(caller, request->exercise_id(), "end exercises"); !st) return st;
        auto ended = manager_->end(request->exercise_id());
        if (!ended) return ended.error();
        to_proto(*ended, *response, true);
        return Status::success();
      });
}

grpc::ServerUnaryReactor* ExerciseService::RunChecks(grpc::CallbackServerContext* ctx,
                                                     const v1::RunChecksRequest* request,
                                                     v1::RunChecksResponse* response) {
  return gate_.slow_unary(
      ctx, "RunChecks", [this, request, response](const identity::Identity& caller) -> Status {
        if (!manager_) return no_exercises();
        if (Status st = may_manage(caller, request->exercise_id(), "run range checks"); !st)
          return st;
        auto ran =
            manager_->run_checks(request->exercise_id(), request->team(), request->objective());
        if (!ran) return ran.error();
        for (const auto& r : *ran) {
          auto& out = *response->add_checks();
          out.set_team(r.team);
          out.set_objective(r.objective);
          out.set_part(r.part);
          out.set_host(r.host);
          out.set_passed(r.passed);
          out.set_detail(r.detail);
        }
        return Status::success();
      });
}

grpc::ServerUnaryReactor* ExerciseService::ResetTeamRange(grpc::CallbackServerContext* ctx,
                                                          const v1::ResetTeamRangeRequest* request,
                                                          v1::ResetTeamRangeResponse*) {
  return gate_.unary(ctx, "ResetTeamRange", [this, request](const identity::Identity& caller) {
    if (!manager_) return Status(no_exercises());
    if (Status st = may_manage(caller, request->exercise_id(), "reset a team's range"); !st)
      return st;
    if (auto st = manager_->reset_team(request->exercise_id(), request->team()); !st) return st;
    log::get("rpc")->info("{} resets the range of team {} in exercise {}", caller.name,
                          request->team(), request->exercise_id());
    return Status::success();
  });
}

grpc::ServerUnaryReactor* ExerciseService::CreateJoinCodes(
    grpc::CallbackServerContext* ctx, const v1::CreateJoinCodesRequest* request,
    v1::CreateJoinCodesResponse* response) {
  return gate_.unary(ctx, "CreateJoinCodes", [&](const identity::Identity& caller) -> Status {
    if (Status st = may_manage(caller, request->exercise_id(), "create join codes"); !st) return st;
    if (!join_) {
      return make_error(ErrorCode::unavailable,
                        "This server does not hand out join codes; start cyranged with a "
                        "database.",
                        "このサーバーは参加コードを発行できません。データベースを指定して "
                        "cyranged を起動してください。");
    }
    if (request->ttl_seconds() < 0) {
      return make_error(ErrorCode::invalid_argument,
                        "The lifetime of join codes cannot be negative; give 0 for 12 hours.",
                        "参加コードの有効期間に負の値は指定できません（0 で 12 時間）。");
    }
    const std::chrono::seconds ttl = request->ttl_seconds() == 0
                                         ? std::chrono::hours(12)
                                         : std::chrono::seconds(request->ttl_seconds());
    auto codes = join_->create_codes(request->exercise_id(), ttl, caller.user_id);
    if (!codes) return codes.error();
    for (const auto& c : *codes) {
      auto& out = *response->add_codes();
      out.set_team(c.team);
      out.set_code(c.code);
      out.set_expires_at_ms(unix_ms(c.expires_at));
    }
    return Status::success();
  });
}

}  // namespace cyrange::rpc
