#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/exercise/range_registry.h>
#include <orchestrator/exercise/secret_input.h>
#include <orchestrator/exercise/typed_lines.h>
#include <orchestrator/identity/identity.h>
#include <orchestrator/range/hypervisor.h>

namespace cyrange::exercise {

/// Which terminal a caller asks for. Trainees may leave team empty (their own is used).
struct TerminalRequest {
  std::string exercise;
  std::string team;
  std::string host;
  int cols = 80;
  int rows = 24;
};

/// One host of a team range as ListRanges reports it.
struct RangeHostInfo {
  std::string name, role;
  std::vector<std::string> addresses;
  bool trainee_terminal = false;
};

/// One team range of a live exercise.
struct RangeInfo {
  std::string exercise, state, team;
  std::vector<RangeHostInfo> hosts;
};

class TerminalRecorder;
struct UserTerminals;

/// What keeps one terminal user from exhausting cyranged (a guest printing without end
/// to a client that stopped reading, a flood of keys, many terminals).
struct TerminalLimits {
  int max_per_user = 8;  ///< terminals one user may have open at once
  std::size_t max_recorded_bytes = std::size_t{16} << 20;  ///< per session; then "truncated"
  std::size_t max_queued_output = std::size_t{256} << 10;  ///< bytes waiting for a slow client
};

/// What the terminals' flow control has done since the broker started (for tests and
/// operators); the transport (rpc/range_terminal_reactor) counts its own part.
struct TerminalFlow {
  std::atomic<std::uint64_t> pauses{0};                ///< consoles paused for a slow client
  std::atomic<std::uint64_t> dropped_output_bytes{0};  ///< output a client behind never got
  std::atomic<std::uint64_t> peak_queued_output{0};    ///< most bytes queued for one client
  std::atomic<std::uint64_t> truncated_recordings{0};  ///< sessions that hit the recording cap
  std::atomic<std::uint64_t> refused_over_limit{0};    ///< opens refused by max_per_user
  /// Raises peak_queued_output to `bytes` if it is lower.
  void saw_queued(std::uint64_t bytes) {
    auto peak = peak_queued_output.load();
    while (bytes > peak && !peak_queued_output.compare_exchange_weak(peak, bytes)) {
    }
  }
};

/// Told each command line typed in a terminal: (exercise, team, host, line). Lines typed
/// at a password prompt arrive as "[redacted]". Runs on the terminal's input path.
using TypedLineSink = std::function<void(const std::string& exercise, const std::string& team,
                                         const std::string& host, const std::string& line)>;

/// Whether the actions of trainee `user_id` in `exercise` may be recorded (an
/// active scoring consent); an error when that cannot be told.
using RecordingConsent =
    std::function<Expected<bool>(std::int64_t user_id, const std::string& exercise)>;

/// An open terminal: keystrokes go to the guest's serial console and everything in
/// both directions is recorded with its offset from the start.
class TerminalSession {
 public:
  ~TerminalSession();
  TerminalSession(const TerminalSession&) = delete;
  TerminalSession& operator=(const TerminalSession&) = delete;

  /// Sends keystrokes and records them, except a line typed at a password prompt
  /// (SecretInputFilter); never blocks.
  Status write(std::string_view bytes);
  /// Records a new window size (the serial console itself has no size to set).
  void resize(int cols, int rows);
  /// Stops or resumes reading the guest's output (the client fell behind / caught up);
  /// may be called from inside on_output.
  void set_output_paused(bool paused);
  /// Closes the console and marks the recording ended; safe to call twice.
  void close();
  /// The recording's id (terminal_sessions.id), for export_asciicast(); 0 when
  /// the terminal is not recorded.
  std::int64_t id() const { return id_; }
  /// False for a trainee without scoring consent: nothing of it is stored.
  bool recorded() const { return id_ != 0; }
  /// The team whose host this terminal reaches (a trainee's own team if they named none).
  const std::string& team() const { return team_; }
  /// The host this terminal reaches.
  const std::string& host() const { return host_; }

 private:
  friend class TerminalBroker;
  TerminalSession(std::int64_t id, std::shared_ptr<TerminalRecorder> recorder);
  void record(char direction, std::string_view data);

  std::int64_t id_;
  std::string exercise_, team_, host_;
  std::shared_ptr<TerminalRecorder> recorder_;
  std::shared_ptr<const TypedLineSink> typed_sink_;
  TypedLines typed_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::unique_ptr<range::ConsoleStream> console_;
  std::shared_ptr<SecretInputFilter> secrets_ = std::make_shared<SecretInputFilter>();
  std::shared_ptr<UserTerminals> counted_;  // released once, in close()
  std::int64_t user_id_ = 0;
  std::atomic<bool> closed_{false};
};

/// Decides who may open which terminal, opens it and records it; transport-free.
/// Trainees reach hosts marked trainee_terminal in their OWN team only; instructors
/// and admins reach those of any team.
class TerminalBroker {
 public:
  /// `hv` and `registry` must outlive the broker (and every session it opened).
  TerminalBroker(range::Hypervisor& hv, std::shared_ptr<RangeRegistry> registry);
  ~TerminalBroker();

  /// Opens a recorded terminal; permission_denied for another team or a designer,
  /// not_found for an unknown exercise, team or host, or a host without trainee terminal.
  /// A trainee without scoring consent gets a terminal that records nothing
  /// (recorded() false, no terminal_sessions row); a withdrawal while it is open
  /// stops its recording at the next flush.
  /// on_output gets the guest's bytes (already recorded) on the hypervisor's event thread.
  Expected<std::unique_ptr<TerminalSession>> open(const identity::Identity& caller,
                                                  const TerminalRequest& request,
                                                  range::ConsoleOutput on_output,
                                                  range::ConsoleClosed on_closed);
  /// Live exercises' team ranges the caller may see. A trainee gets their own team only,
  /// and of it only the hosts with a trainee terminal, without roles.
  Expected<std::vector<RangeInfo>> list_ranges(const identity::Identity& caller);

  /// From now on a trainee's terminal is recorded only with consent (see open()).
  /// Call before serving; without it every terminal is recorded.
  void require_consent(RecordingConsent consent);
  /// The consent rule given to require_consent() (empty without one), which also decides
  /// which recordings may be served (TerminalArchive).
  const RecordingConsent& recording_consent() const { return consent_; }
  /// Tells `sink` every line typed in terminals opened from now on (command triggers).
  void on_typed_line(TypedLineSink sink);
  /// Replaces the limits (call before serving).
  void set_limits(const TerminalLimits& limits);
  /// The limits in force.
  const TerminalLimits& limits() const { return limits_; }
  /// What flow control has done so far; the transport adds its pauses and drops.
  TerminalFlow& flow() { return *flow_; }

 private:
  range::Hypervisor& hv_;
  std::shared_ptr<RangeRegistry> registry_;
  std::shared_ptr<TerminalFlow> flow_ = std::make_shared<TerminalFlow>();  // before recorder_
  std::shared_ptr<TerminalRecorder> recorder_;
  RecordingConsent consent_;
  std::mutex typed_mutex_;
  std::shared_ptr<const TypedLineSink> typed_sink_;
  TerminalLimits limits_;
  std::shared_ptr<UserTerminals> open_by_user_;
};

/// The recorded session as asciicast v2: a header line, then one JSON array per event
/// [seconds, "o"|"i"|"r", data]. Bytes that are not UTF-8 are replaced (U+FFFD).
Expected<std::string> export_asciicast(RangeRegistry& registry, std::int64_t session_id);

}  // namespace cyrange::exercise
