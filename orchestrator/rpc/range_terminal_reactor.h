#pragma once

#include <memory>

#include <cyrange/v1/range.grpc.pb.h>

#include <orchestrator/exercise/terminal.h>
#include <orchestrator/identity/identity.h>
#include <orchestrator/rpc/stream_lease.h>

namespace cyrange::rpc {

/// The reactor type of RangeService.Terminal.
using TerminalReactor =
    grpc::ServerBidiReactor<cyrange::v1::TerminalInput, cyrange::v1::TerminalOutput>;

/// A Terminal stream that ends at once with `status` (e.g. no valid token).
TerminalReactor* reject_terminal(grpc::Status status);

/// A Terminal stream for an authenticated caller: waits for `open`, opens the
/// recorded console through `broker` on a helper thread, then relays bytes. It keeps
/// `lease` (the token re-check) until it is done.
TerminalReactor* make_terminal_reactor(identity::Identity caller,
                                       std::shared_ptr<exercise::TerminalBroker> broker,
                                       StreamLease lease = {});

}  // namespace cyrange::rpc
