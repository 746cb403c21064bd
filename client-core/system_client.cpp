#include <client-core/system_client.h>

#include <utility>

#include <cyrange/v1/system.grpc.pb.h>

#include <client-core/internal/unary_call.h>

namespace cyrange::client {

namespace v1 = cyrange::v1;

namespace {

using SystemAsync = v1::SystemService::StubInterface::async_interface;

Role role_from(v1::Role role) {
  switch (role) {
    case v1::ROLE_ADMIN:
      return Role::admin;
    case v1::ROLE_INSTRUCTOR:
      return Role::instructor;
    case v1::ROLE_DESIGNER:
      return Role::designer;
    case v1::ROLE_TRAINEE:
      return Role::trainee;
    default:
      return Role::unknown;
  }
}

}  // namespace

std::string_view to_string(Role role) {
  switch (role) {
    case Role::admin:
      return "admin";
    case Role::instructor:
      return "instructor";
    case Role::designer:
      return "designer";
    case Role::trainee:
      return "trainee";
    case Role::unknown:
      break;
  }
  return "unknown";
}

SystemClient::SystemClient(Connection connection) : connection_(std::move(connection)) {}

Call<ServerHealth> SystemClient::health_async() const {
  return start_call<ServerHealth, v1::SystemService>(
      connection_, &SystemAsync::Health, v1::HealthRequest(),
      [](const v1::HealthResponse& response) {
        ServerHealth health;
        health.serving = response.status() == v1::HealthResponse::STATUS_SERVING;
        for (const auto& [name, state] : response.components()) health.components[name] = state;
        return health;
      });
}

Call<ServerVersion> SystemClient::version_async() const {
  return start_call<ServerVersion, v1::SystemService>(
      connection_, &SystemAsync::Version, v1::VersionRequest(), [](const v1::VersionResponse& r) {
        return ServerVersion{r.server_version(), r.api_revision(), r.schema_version()};
      });
}

Call<Caller> SystemClient::whoami_async() const {
  return start_call<Caller, v1::SystemService>(
      connection_, &SystemAsync::WhoAmI, v1::WhoAmIRequest(),
      [](const v1::WhoAmIResponse& response) {
        const auto& id = response.identity();
        Caller caller{id.user_id(), id.name(), role_from(id.role()), std::nullopt, std::nullopt};
        if (id.has_team_id()) caller.team_id = id.team_id();
        if (id.has_exercise_id()) caller.exercise_id = id.exercise_id();
        return caller;
      });
}

Call<JoinResult> SystemClient::join_async(const std::string& code) const {
  v1::JoinRequest request;
  request.set_code(code);
  return start_call<JoinResult, v1::SystemService>(
      connection_, &SystemAsync::Join, std::move(request), [](const v1::JoinResponse& r) {
        return JoinResult{r.token(),     r.exercise_id(),   r.team(),
                          r.user_name(), r.expires_at_ms(), r.course_id()};
      });
}

Expected<JoinResult> SystemClient::join(const std::string& code) const {
  return join_async(code).wait();
}

Expected<ServerHealth> SystemClient::health() const { return health_async().wait(); }

Expected<ServerVersion> SystemClient::version() const { return version_async().wait(); }

Expected<Caller> SystemClient::whoami() const { return whoami_async().wait(); }

}  // namespace cyrange::client
