#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <client-core/call.h>
#include <client-core/connection.h>
#include <client-core/localized_text.h>
#include <client-core/subscription.h>
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
Call<std::vector<TeamRangeView>> list_ranges_async(const Connection& connection,
                                                   const std::string& exercise = {});
/// Blocking form of list_ranges_async.
Expected<std::vector<TeamRangeView>> list_ranges(const Connection& connection,
                                                 const std::string& exercise = {});

/// One provisioning step of a host (host empty: the team range as a whole).
struct ProvisioningStep {
  std::string team, host, state, message;
  int percent = 0;
};

/// Streams an exercise's provisioning (subscription.h): the current state of every host,
/// then each change, until every team is ready or failed (instructors and admins). After
/// a lost link the current states come again (apply them by team and host).
Subscription watch_provisioning_async(const Connection& connection, const std::string& exercise,
                                      std::function<void(const ProvisioningStep&)> on_step,
                                      std::function<void(const StreamEnd&)> on_end = {});
/// Blocking form: returns when provisioning has finished, or why the stream failed.
Status watch_provisioning(const Connection& connection, const std::string& exercise,
                          const std::function<void(const ProvisioningStep&)>& on_step);

/// Which terminal to open; a trainee may leave team empty.
struct TerminalTarget {
  std::string exercise, team, host;
  int cols = 80, rows = 24;
};

/// Receives terminal output; runs on the connection's executor, in order, never
/// concurrently with the terminal's other callbacks.
using TerminalOutputFn = std::function<void(std::string_view bytes)>;
/// Called once when the terminal ends: success when closed normally, else why
/// (ErrorCode::unavailable: the connection was lost; open a new terminal to go on).
using TerminalEndFn = std::function<void(const Status& why)>;

/// What the server confirms when a terminal opens.
struct TerminalInfo {
  std::string team, host;
  std::int64_t session_id = 0;  ///< recording id; 0 when not recorded
  bool recorded = false;
  LocalizedText notice;  ///< why it is not recorded; empty when it is
};

/// The callbacks of an asynchronous terminal; all run on one strand of the executor.
struct TerminalCallbacks {
  std::function<void(const TerminalInfo&)> on_opened;
  TerminalOutputFn on_output;
  TerminalEndFn on_end;
};

/// An interactive terminal to a range host (RangeService.Terminal), Qt-free.
class TerminalClient {
 public:
  /// Starts opening the stream and returns at once; `on_opened` or `on_end` says how it
  /// went. Keys sent before the server confirms are queued. Destroying the client (or
  /// close()) from inside a callback is safe; no callback starts after the destructor.
  static std::unique_ptr<TerminalClient> open_async(const Connection& connection,
                                                    const TerminalTarget& target,
                                                    TerminalCallbacks callbacks);
  /// Blocking form: opens the stream and waits (up to the connection's timeout) until
  /// the server confirms; permission_denied / not_found as the server decides.
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
  /// Asks the server to end the stream (it flushes the recording); never blocks.
  void close_async();
  /// Ends the stream and waits until it is done (up to 5 s, then cancels); safe to
  /// call twice. Blocking: not for a GUI thread.
  void close();
  /// The server's recording id (exportable as asciicast v2); 0 when not recorded.
  std::int64_t session_id() const;
  /// False when the server records nothing of this terminal (no scoring consent).
  bool recorded() const;
  /// Why it is not recorded; empty when it is.
  LocalizedText notice() const;
  /// The team and host the terminal reaches.
  std::string team() const;
  std::string host() const;

  struct Impl;  ///< grpc-side state, defined in range_client.cpp

 private:
  explicit TerminalClient(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace cyrange::client
