#pragma once

#include <functional>
#include <memory>

#include <cyrange/v1/range.grpc.pb.h>

#include <orchestrator/exercise/range_registry.h>
#include <orchestrator/exercise/terminal.h>
#include <orchestrator/exercise/terminal_archive.h>
#include <orchestrator/exercise/terminal_watch.h>
#include <orchestrator/rpc/call_gate.h>

namespace cyrange::rpc {

/// What RangeService needs; both null in a server started without libvirt, where
/// every authenticated call answers UNAVAILABLE.
struct RangeServiceDeps {
  std::shared_ptr<exercise::RangeRegistry> registry;
  std::shared_ptr<exercise::TerminalBroker> terminals;
};

/// Thin gRPC adapter of RangeService over exercise::TerminalBroker, exercise::TerminalArchive
/// (recordings, with the broker's consent rule) and the registry.
/// Every call passes the gate first; streams never block inside a reaction (the
/// terminal opens on a helper thread, output arrives from libvirt's event thread).
class RangeService final : public cyrange::v1::RangeService::CallbackService {
 public:
  /// `gate` must outlive the service.
  RangeService(const CallGate& gate, RangeServiceDeps deps);

  grpc::ServerUnaryReactor* ListRanges(grpc::CallbackServerContext* ctx,
                                       const cyrange::v1::ListRangesRequest* request,
                                       cyrange::v1::ListRangesResponse* response) override;
  grpc::ServerWriteReactor<cyrange::v1::ProvisioningEvent>* WatchProvisioning(
      grpc::CallbackServerContext* ctx,
      const cyrange::v1::WatchProvisioningRequest* request) override;
  grpc::ServerBidiReactor<cyrange::v1::TerminalInput, cyrange::v1::TerminalOutput>* Terminal(
      grpc::CallbackServerContext* ctx) override;
  grpc::ServerUnaryReactor* ListTerminalSessions(
      grpc::CallbackServerContext* ctx, const cyrange::v1::ListTerminalSessionsRequest* request,
      cyrange::v1::ListTerminalSessionsResponse* response) override;
  grpc::ServerUnaryReactor* ReadTerminalSession(
      grpc::CallbackServerContext* ctx, const cyrange::v1::ReadTerminalSessionRequest* request,
      cyrange::v1::ReadTerminalSessionResponse* response) override;
  grpc::ServerUnaryReactor* AskToWatch(grpc::CallbackServerContext* ctx,
                                       const cyrange::v1::AskToWatchRequest* request,
                                       cyrange::v1::TerminalWatch* response) override;
  grpc::ServerUnaryReactor* AnswerWatch(grpc::CallbackServerContext* ctx,
                                        const cyrange::v1::AnswerWatchRequest* request,
                                        cyrange::v1::TerminalWatch* response) override;
  grpc::ServerUnaryReactor* EndWatch(grpc::CallbackServerContext* ctx,
                                     const cyrange::v1::EndWatchRequest* request,
                                     cyrange::v1::TerminalWatch* response) override;
  grpc::ServerWriteReactor<cyrange::v1::TerminalWatches>* FollowWatches(
      grpc::CallbackServerContext* ctx, const cyrange::v1::FollowWatchesRequest* request) override;

 private:
  // The recordings, served under the broker's consent rule.
  exercise::TerminalArchive archive() const;

  // Runs one watch step for the caller and answers with the request as it now stands.
  grpc::ServerUnaryReactor* watch_step(
      grpc::CallbackServerContext* ctx, const char* method, cyrange::v1::TerminalWatch* response,
      const std::function<Expected<exercise::TerminalWatch>(const identity::Identity&)>& step);

  const CallGate& gate_;
  RangeServiceDeps deps_;
  // Live watches of this server's life; null without a registry.
  std::shared_ptr<exercise::TerminalWatchDesk> watches_;
};

}  // namespace cyrange::rpc
