#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <client-core/connection.h>
#include <orchestrator/common/expected.h>

namespace cyrange::client {

/// One host of a team range, as the server lists it.
struct RangeHostView {
  std::string name, role;
  std::vector<std::string> addresses;  ///< "segment:address/prefix"
  bool trainee_terminal = false;
};

/// One team range of a live exercise.
struct TeamRangeView {
  std::string exercise, team, state;
  std::vector<RangeHostView> hosts;
};

/// Team ranges the caller may see (a trainee: their own team); exercise empty: all live ones.
Expected<std::vector<TeamRangeView>> list_ranges(const Connection& connection,
                                                 const std::string& exercise = {});

/// One provisioning step of a host (host empty: the team range as a whole).
struct ProvisioningStep {
  std::string team, host, state, message;
  int percent = 0;
};

/// Streams an exercise's provisioning to on_step until every team is ready or failed
/// (blocking; instructors and admins only). No deadline: provisioning takes minutes.
Status watch_provisioning(const Connection& connection, const std::string& exercise,
                          const std::function<void(const ProvisioningStep&)>& on_step);

/// Which terminal to open; a trainee may leave team empty.
struct TerminalTarget {
  std::string exercise, team, host;
  int cols = 80, rows = 24;
};

/// Receives terminal output; called on a gRPC thread, never concurrently.
using TerminalOutputFn = std::function<void(std::string_view bytes)>;
/// Called once when the terminal ends: success when closed normally, else why.
using TerminalEndFn = std::function<void(const Status& why)>;

/// An interactive terminal to a range host (RangeService.Terminal), Qt-free.
class TerminalClient {
 public:
  /// Opens the stream and waits (up to the connection's timeout) until the server
  /// confirms; permission_denied / not_found as the server decides.
  static Expected<std::unique_ptr<TerminalClient>> open(const Connection& connection,
                                                        const TerminalTarget& target,
                                                        TerminalOutputFn on_output,
                                                        TerminalEndFn on_end = {});
  ~TerminalClient();
  TerminalClient(const TerminalClient&) = delete;
  TerminalClient& operator=(const TerminalClient&) = delete;

  /// Sends keystrokes (queued; never blocks).
  Status send_keys(std::string_view bytes);
  /// Tells the server the window size changed.
  Status resize(int cols, int rows);
  /// Ends the stream and waits until it is done; safe to call twice.
  void close();
  /// The server's recording id (exportable as asciicast v2); 0 when not recorded.
  std::int64_t session_id() const;
  /// False when the server records nothing of this terminal (no scoring consent).
  bool recorded() const;
  /// Why it is not recorded, in English and Japanese; empty when it is.
  std::string notice() const;
  /// The team and host the terminal reaches.
  std::string team() const;
  std::string host() const;

  struct Impl;  ///< grpc-side state, defined in range_client.cpp

 private:
  explicit TerminalClient(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace cyrange::client
