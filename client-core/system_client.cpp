#include <client-core/system_client.h>

#include <cyrange/v1/system.grpc.pb.h>

#include <client-core/internal/connection_impl.h>

namespace cyrange::client {

namespace v1 = cyrange::v1;

namespace {

std::string role_name(v1::Role role) {
  switch (role) {
    case v1::ROLE_ADMIN:
      return "admin";
    case v1::ROLE_INSTRUCTOR:
      return "instructor";
    case v1::ROLE_DESIGNER:
      return "designer";
    case v1::ROLE_TRAINEE:
      return "trainee";
    default:
      return "unknown";
  }
}

}  // namespace

SystemClient::SystemClient(Connection connection) : connection_(std::move(connection)) {}

Expected<ServerHealth> SystemClient::health() const {
  const auto& impl = *connection_.impl();
  auto stub = v1::SystemService::NewStub(impl.channel);
  grpc::ClientContext ctx;
  impl.prepare(ctx);
  v1::HealthResponse response;
  grpc::Status st = stub->Health(&ctx, v1::HealthRequest(), &response);
  if (!st.ok()) return to_error(st, impl.options);
  ServerHealth health;
  health.serving = response.status() == v1::HealthResponse::STATUS_SERVING;
  for (const auto& [name, state] : response.components()) health.components[name] = state;
  return health;
}

Expected<ServerVersion> SystemClient::version() const {
  const auto& impl = *connection_.impl();
  auto stub = v1::SystemService::NewStub(impl.channel);
  grpc::ClientContext ctx;
  impl.prepare(ctx);
  v1::VersionResponse response;
  grpc::Status st = stub->Version(&ctx, v1::VersionRequest(), &response);
  if (!st.ok()) return to_error(st, impl.options);
  return ServerVersion{response.server_version(), response.api_revision(),
                       response.schema_version()};
}

Expected<Caller> SystemClient::whoami() const {
  const auto& impl = *connection_.impl();
  auto stub = v1::SystemService::NewStub(impl.channel);
  grpc::ClientContext ctx;
  impl.prepare(ctx);
  v1::WhoAmIResponse response;
  grpc::Status st = stub->WhoAmI(&ctx, v1::WhoAmIRequest(), &response);
  if (!st.ok()) return to_error(st, impl.options);
  const auto& id = response.identity();
  Caller caller{id.user_id(), id.name(), role_name(id.role()), std::nullopt};
  if (id.has_team_id()) caller.team_id = id.team_id();
  return caller;
}

}  // namespace cyrange::client
