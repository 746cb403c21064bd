#include <client-core/exercise_client.h>

#include <utility>

#include <cyrange/v1/exercise.grpc.pb.h>

#include <client-core/internal/unary_call.h>

namespace cyrange::client {
namespace {

namespace v1 = cyrange::v1;
using ExerciseAsync = v1::ExerciseService::StubInterface::async_interface;

ExerciseSummary summary_from(const v1::Exercise& e) {
  ExerciseSummary out;
  out.id = e.exercise_id();
  out.scenario_id = e.scenario_id();
  out.title = {e.title().ja(), e.title().en()};
  out.state = parse_exercise_state(e.state());
  out.detail = e.detail();
  out.teams.assign(e.teams().begin(), e.teams().end());
  out.seed = e.seed();
  out.scenario_yaml = e.scenario_yaml();
  out.scenario_file = e.scenario_file();
  return out;
}

}  // namespace

ExerciseState parse_exercise_state(std::string_view name) {
  if (name == "provisioning") return ExerciseState::provisioning;
  if (name == "ready") return ExerciseState::ready;
  if (name == "failed") return ExerciseState::failed;
  if (name == "ended") return ExerciseState::ended;
  return ExerciseState::unknown;
}

ExerciseClient::ExerciseClient(Connection connection) : connection_(std::move(connection)) {}

Call<ExerciseSummary> ExerciseClient::create_async(const NewExercise& request) const {
  v1::CreateExerciseRequest r;
  r.set_exercise_id(request.id);
  r.set_scenario_yaml(request.scenario_yaml);
  r.set_scenario_file(request.scenario_file);
  for (const auto& t : request.teams) r.add_teams(t);
  r.set_seed(request.seed);
  return start_call<ExerciseSummary, v1::ExerciseService>(
      connection_, &ExerciseAsync::CreateExercise, std::move(r), summary_from);
}

Call<ExerciseSummary> ExerciseClient::get_async(const std::string& id) const {
  v1::GetExerciseRequest r;
  r.set_exercise_id(id);
  return start_call<ExerciseSummary, v1::ExerciseService>(connection_, &ExerciseAsync::GetExercise,
                                                          std::move(r), summary_from);
}

Call<std::vector<ExerciseSummary>> ExerciseClient::list_async(bool include_ended) const {
  v1::ListExercisesRequest r;
  r.set_include_ended(include_ended);
  return start_call<std::vector<ExerciseSummary>, v1::ExerciseService>(
      connection_, &ExerciseAsync::ListExercises, std::move(r),
      [](const v1::ListExercisesResponse& l) {
        std::vector<ExerciseSummary> out;
        for (const auto& e : l.exercises()) out.push_back(summary_from(e));
        return out;
      });
}

Call<ExerciseSummary> ExerciseClient::end_async(const std::string& id) const {
  v1::EndExerciseRequest r;
  r.set_exercise_id(id);
  return start_call<ExerciseSummary, v1::ExerciseService>(connection_, &ExerciseAsync::EndExercise,
                                                          std::move(r), summary_from);
}

Call<Unit> ExerciseClient::reset_team_async(const std::string& id, const std::string& team) const {
  v1::ResetTeamRangeRequest r;
  r.set_exercise_id(id);
  r.set_team(team);
  return start_call<Unit, v1::ExerciseService>(connection_, &ExerciseAsync::ResetTeamRange,
                                               std::move(r), ToUnit{});
}

Call<std::vector<CheckRun>> ExerciseClient::run_checks_async(const std::string& id,
                                                             const std::string& team,
                                                             const std::string& objective) const {
  v1::RunChecksRequest r;
  r.set_exercise_id(id);
  r.set_team(team);
  r.set_objective(objective);
  return start_call<std::vector<CheckRun>, v1::ExerciseService>(
      connection_, &ExerciseAsync::RunChecks, std::move(r), [](const v1::RunChecksResponse& ran) {
        std::vector<CheckRun> out;
        for (const auto& c : ran.checks())
          out.push_back({c.team(), c.objective(), c.part(), c.host(), c.passed(), c.detail()});
        return out;
      });
}

Call<std::vector<JoinCodeInfo>> ExerciseClient::create_join_codes_async(
    const std::string& id, std::chrono::seconds ttl) const {
  v1::CreateJoinCodesRequest r;
  r.set_exercise_id(id);
  r.set_ttl_seconds(ttl.count());
  return start_call<std::vector<JoinCodeInfo>, v1::ExerciseService>(
      connection_, &ExerciseAsync::CreateJoinCodes, std::move(r),
      [](const v1::CreateJoinCodesResponse& created) {
        std::vector<JoinCodeInfo> out;
        for (const auto& c : created.codes())
          out.push_back({c.team(), c.code(), c.expires_at_ms()});
        return out;
      });
}

Expected<std::vector<JoinCodeInfo>> ExerciseClient::create_join_codes(
    const std::string& id, std::chrono::seconds ttl) const {
  return create_join_codes_async(id, ttl).wait();
}

Expected<ExerciseSummary> ExerciseClient::create(const NewExercise& request) const {
  return create_async(request).wait();
}

Expected<ExerciseSummary> ExerciseClient::get(const std::string& id) const {
  return get_async(id).wait();
}

Expected<std::vector<ExerciseSummary>> ExerciseClient::list(bool include_ended) const {
  return list_async(include_ended).wait();
}

Expected<ExerciseSummary> ExerciseClient::end(const std::string& id) const {
  return end_async(id).wait();
}

Expected<std::vector<CheckRun>> ExerciseClient::run_checks(const std::string& id,
                                                           const std::string& team,
                                                           const std::string& objective) const {
  return run_checks_async(id, team, objective).wait();
}

}  // namespace cyrange::client
