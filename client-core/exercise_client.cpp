#include <client-core/exercise_client.h>

#include <cyrange/v1/exercise.grpc.pb.h>

#include <client-core/internal/connection_impl.h>

namespace cyrange::client {
namespace {

namespace v1 = cyrange::v1;

ExerciseSummary from_proto(const v1::Exercise& e) {
  ExerciseSummary out;
  out.id = e.exercise_id();
  out.scenario_id = e.scenario_id();
  out.title_ja = e.title().ja();
  out.title_en = e.title().en();
  out.state = e.state();
  out.detail = e.detail();
  out.teams.assign(e.teams().begin(), e.teams().end());
  out.seed = e.seed();
  return out;
}

/// One unary call of ExerciseService with the connection's deadline and token.
template <class Request, class Response, class Method>
Expected<Response> call(const Connection& connection, Method method, const Request& request) {
  const auto& impl = *connection.impl();
  auto stub = v1::ExerciseService::NewStub(impl.channel);
  grpc::ClientContext ctx;
  impl.prepare(ctx);
  Response response;
  grpc::Status st = ((*stub).*method)(&ctx, request, &response);
  if (!st.ok()) return to_error(st, impl.options);
  return response;
}

}  // namespace

ExerciseClient::ExerciseClient(Connection connection) : connection_(std::move(connection)) {}

Expected<ExerciseSummary> ExerciseClient::create(const NewExercise& request) const {
  v1::CreateExerciseRequest r;
  r.set_exercise_id(request.id);
  r.set_scenario_yaml(request.scenario_yaml);
  r.set_scenario_file(request.scenario_file);
  for (const auto& t : request.teams) r.add_teams(t);
  r.set_seed(request.seed);
  auto created = call<v1::CreateExerciseRequest, v1::Exercise>(
      connection_, &v1::ExerciseService::Stub::CreateExercise, r);
  if (!created) return created.error();
  return from_proto(*created);
}

Expected<ExerciseSummary> ExerciseClient::get(const std::string& id) const {
  v1::GetExerciseRequest r;
  r.set_exercise_id(id);
  auto found = call<v1::GetExerciseRequest, v1::Exercise>(
      connection_, &v1::ExerciseService::Stub::GetExercise, r);
  if (!found) return found.error();
  return from_proto(*found);
}

Expected<std::vector<ExerciseSummary>> ExerciseClient::list(bool include_ended) const {
  v1::ListExercisesRequest r;
  r.set_include_ended(include_ended);
  auto listed = call<v1::ListExercisesRequest, v1::ListExercisesResponse>(
      connection_, &v1::ExerciseService::Stub::ListExercises, r);
  if (!listed) return listed.error();
  std::vector<ExerciseSummary> out;
  for (const auto& e : listed->exercises()) out.push_back(from_proto(e));
  return out;
}

Expected<ExerciseSummary> ExerciseClient::end(const std::string& id) const {
  v1::EndExerciseRequest r;
  r.set_exercise_id(id);
  auto ended = call<v1::EndExerciseRequest, v1::Exercise>(
      connection_, &v1::ExerciseService::Stub::EndExercise, r);
  if (!ended) return ended.error();
  return from_proto(*ended);
}

Expected<std::vector<CheckRun>> ExerciseClient::run_checks(const std::string& id,
                                                           const std::string& team,
                                                           const std::string& objective) const {
  v1::RunChecksRequest r;
  r.set_exercise_id(id);
  r.set_team(team);
  r.set_objective(objective);
  auto ran = call<v1::RunChecksRequest, v1::RunChecksResponse>(
      connection_, &v1::ExerciseService::Stub::RunChecks, r);
  if (!ran) return ran.error();
  std::vector<CheckRun> out;
  for (const auto& c : ran->checks())
    out.push_back({c.team(), c.objective(), c.part(), c.host(), c.passed(), c.detail()});
  return out;
}

}  // namespace cyrange::client
