#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>

namespace cyrange::daemon {

/// The cyranged binary: $CYRANGE_DAEMON, else beside the running program (an
/// installed layout) or in the build tree's orchestrator/daemon/, else "cyranged".
std::filesystem::path find_daemon_binary();

/// A cyranged child process whose log goes to a file: started by the training day
/// and by tests that restart or kill the daemon. Killed (SIGKILL) if still running
/// when destroyed.
class DaemonProcess {
 public:
  /// Spawns `binary args...` with stderr into `log_file`; an error names the binary.
  static Expected<DaemonProcess> spawn(const std::filesystem::path& binary,
                                       const std::vector<std::string>& args,
                                       const std::filesystem::path& log_file);
  DaemonProcess(DaemonProcess&& other) noexcept;
  DaemonProcess& operator=(DaemonProcess&& other) noexcept;
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;
  ~DaemonProcess();

  /// The "host:port" cyranged logs once it serves; an error quoting the log's last
  /// lines when it exits first or `timeout` passes.
  Expected<std::string> wait_listening(std::chrono::milliseconds timeout);
  /// The exit status if the process ended within `timeout` (128+N for signal N).
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);
  /// Sends `signal_number` (SIGTERM for a clean stop, SIGKILL for a crash test).
  void signal(int signal_number);
  /// SIGTERM, then SIGKILL after `grace`; the exit status.
  int stop(std::chrono::milliseconds grace);
  /// The whole log so far.
  std::string log() const;
  /// The log file.
  const std::filesystem::path& log_file() const { return log_file_; }
  /// The child's process id (e.g. to read its memory use from /proc).
  pid_t pid() const { return pid_; }

 private:
  DaemonProcess(pid_t pid, std::filesystem::path log_file);
  pid_t pid_ = -1;
  std::filesystem::path log_file_;
  bool exited_ = false;
  int status_ = -1;
};

}  // namespace cyrange::daemon
