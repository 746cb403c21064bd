#include <orchestrator/rpc/system_service.h>

namespace cyrange::rpc {

namespace v1 = cyrange::v1;

void to_proto(const identity::Identity& in, v1::Identity& out) {
  out.set_user_id(in.user_id);
  out.set_name(in.name);
  switch (in.role) {
    case identity::Role::admin:
      out.set_role(v1::ROLE_ADMIN);
      break;
    case identity::Role::instructor:
      out.set_role(v1::ROLE_INSTRUCTOR);
      break;
    case identity::Role::designer:
      out.set_role(v1::ROLE_DESIGNER);
      break;
    case identity::Role::trainee:
      out.set_role(v1::ROLE_TRAINEE);
      break;
  }
  if (in.team_id) out.set_team_id(*in.team_id);
  if (in.exercise_id) out.set_exercise_id(*in.exercise_id);
}

std::int64_t unix_ms(std::chrono::system_clock::time_point when) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(when.time_since_epoch()).count();
}

SystemService::SystemService(const CallGate& gate, const SystemHandler& handler,
                             std::shared_ptr<identity::JoinDesk> join)
    : gate_(gate), handler_(handler), join_(std::move(join)) {}

grpc::ServerUnaryReactor* SystemService::Health(grpc::CallbackServerContext* ctx,
                                                const v1::HealthRequest* /*request*/,
                                                v1::HealthResponse* response) {
  // Public: load balancers and `cyrange version --server` probe it
  // before anyone has a token.
  return gate_.public_unary(ctx, [&] {
    HealthReport report = handler_.health();
    response->set_status(report.serving ? v1::HealthResponse::STATUS_SERVING
                                        : v1::HealthResponse::STATUS_NOT_SERVING);
    for (const auto& [name, state] : report.components)
      (*response->mutable_components())[name] = state;
    return Status::success();
  });
}

grpc::ServerUnaryReactor* SystemService::Join(grpc::CallbackServerContext* ctx,
                                              const v1::JoinRequest* request,
                                              v1::JoinResponse* response) {
  // The second public call: a trainee has no token before joining. The desk limits wrong
  // codes per address, so guessing codes through here is as slow as the limit says.
  return gate_.public_unary(ctx, [&]() -> Status {
    if (request->code().empty()) {
      return make_error(ErrorCode::invalid_argument,
                        "Type the join code your instructor gave you (e.g. ABCD-EFGH).",
                        "講師から受け取った参加コードを入力してください（例: ABCD-EFGH）。");
    }
    if (!join_) {
      return make_error(
          ErrorCode::unavailable,
          "This server does not accept join codes; it runs without a database.",
          "このサーバーはデータベースなしで動いているため、参加コードを受け付けません。");
    }
    auto grant = join_->join(request->code(), peer_address(ctx->peer()));
    if (!grant) return grant.error();
    response->set_token(grant->token);
    response->set_exercise_id(grant->exercise_id);
    response->set_team(grant->team);
    response->set_user_name(grant->user_name);
    response->set_expires_at_ms(unix_ms(grant->expires_at));
    response->set_course_id(grant->course);
    return Status::success();
  });
}

grpc::ServerUnaryReactor* SystemService::Version(grpc::CallbackServerContext* ctx,
                                                 const v1::VersionRequest* /*request*/,
                                                 v1::VersionResponse* response) {
  return gate_.unary(ctx, "SystemService.Version", [&](const identity::Identity& caller) {
    VersionInfo info = handler_.version(caller);
    response->set_server_version(info.server_version);
    response->set_api_revision(info.api_revision);
    response->set_schema_version(info.schema_version);
    return Status::success();
  });
}

grpc::ServerUnaryReactor* SystemService::WhoAmI(grpc::CallbackServerContext* ctx,
                                                const v1::WhoAmIRequest* /*request*/,
                                                v1::WhoAmIResponse* response) {
  return gate_.unary(ctx, "SystemService.WhoAmI", [&](const identity::Identity& caller) {
    to_proto(handler_.whoami(caller), *response->mutable_identity());
    return Status::success();
  });
}

}  // namespace cyrange::rpc
