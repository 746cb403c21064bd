#pragma once

#include <memory>

#include <cyrange/v1/system.grpc.pb.h>

#include <orchestrator/identity/join_desk.h>
#include <orchestrator/rpc/call_gate.h>
#include <orchestrator/rpc/system_handler.h>

namespace cyrange::rpc {

/// Thin gRPC adapter of SystemService: authenticate via the gate, call the handler,
/// map domain types to messages.
class SystemService final : public cyrange::v1::SystemService::CallbackService {
 public:
  /// Both must outlive the service; `join` may be null (then Join answers UNAVAILABLE).
  SystemService(const CallGate& gate, const SystemHandler& handler,
                std::shared_ptr<identity::JoinDesk> join = nullptr);

  grpc::ServerUnaryReactor* Health(grpc::CallbackServerContext* ctx,
                                   const cyrange::v1::HealthRequest* request,
                                   cyrange::v1::HealthResponse* response) override;
  grpc::ServerUnaryReactor* Join(grpc::CallbackServerContext* ctx,
                                 const cyrange::v1::JoinRequest* request,
                                 cyrange::v1::JoinResponse* response) override;
  grpc::ServerUnaryReactor* Version(grpc::CallbackServerContext* ctx,
                                    const cyrange::v1::VersionRequest* request,
                                    cyrange::v1::VersionResponse* response) override;
  grpc::ServerUnaryReactor* WhoAmI(grpc::CallbackServerContext* ctx,
                                   const cyrange::v1::WhoAmIRequest* request,
                                   cyrange::v1::WhoAmIResponse* response) override;

 private:
  const CallGate& gate_;
  const SystemHandler& handler_;
  std::shared_ptr<identity::JoinDesk> join_;
};

/// Unix milliseconds of `when`, the form of every *_ms time on the wire.
std::int64_t unix_ms(std::chrono::system_clock::time_point when);

/// Copies a domain identity into its wire form.
void to_proto(const identity::Identity& in, cyrange::v1::Identity& out);

}  // namespace cyrange::rpc
