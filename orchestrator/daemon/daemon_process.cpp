#include <orchestrator/daemon/daemon_process.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <regex>
#include <thread>

#include <orchestrator/common/secrets.h>

namespace cyrange::daemon {
namespace fs = std::filesystem;

fs::path find_daemon_binary() {
  if (const char* env = std::getenv("CYRANGE_DAEMON"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (const fs::path& candidate :
         {self.parent_path() / "cyranged", self.parent_path().parent_path() / "daemon/cyranged"}) {
      if (fs::exists(candidate, ec)) return candidate;
    }
  }
  return "cyranged";
}

Expected<DaemonProcess> DaemonProcess::spawn(const fs::path& binary,
                                             const std::vector<std::string>& args,
                                             const fs::path& log_file) {
  std::vector<std::string> strings = {binary.string()};
  strings.insert(strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log_file.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  // Without the caller's secrets: cyranged needs no token, and its recipes inherit from it.
  auto environment = child_environment();
  auto envp = environment_pointers(environment);
  const int rc = posix_spawnp(&pid, binary.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0)
    return make_error(ErrorCode::unavailable,
                      "Cannot start '" + binary.string() + "': " + std::strerror(rc) +
                          "; build it (`./cyrange.sh build`) or set CYRANGE_DAEMON to its path.");
  return DaemonProcess(pid, log_file);
}

DaemonProcess::DaemonProcess(pid_t pid, fs::path log_file)
    : pid_(pid), log_file_(std::move(log_file)) {}

DaemonProcess::DaemonProcess(DaemonProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      log_file_(std::move(other.log_file_)),
      exited_(other.exited_),
      status_(other.status_) {}

DaemonProcess& DaemonProcess::operator=(DaemonProcess&& other) noexcept {
  if (this != &other) {
    this->~DaemonProcess();
    pid_ = std::exchange(other.pid_, -1);
    log_file_ = std::move(other.log_file_);
    exited_ = other.exited_;
    status_ = other.status_;
  }
  return *this;
}

DaemonProcess::~DaemonProcess() {
  if (pid_ > 0 && !exited_) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    exited_ = true;
  }
}

std::string DaemonProcess::log() const {
  std::ifstream in(log_file_);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

Expected<std::string> DaemonProcess::wait_listening(std::chrono::milliseconds timeout) {
  static const std::regex kListening(R"(cyranged listening on (\S+))");
  const auto end = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const std::string text = log();
    std::smatch m;
    if (std::regex_search(text, m, kListening)) return m[1].str();
    const bool ended = wait_exit(std::chrono::milliseconds(0)).has_value();
    if (ended || std::chrono::steady_clock::now() >= end) {
      const auto tail_from = text.size() > 1500 ? text.size() - 1500 : 0;
      return make_error(ErrorCode::unavailable, std::string("cyranged ") +
                                                    (ended ? "exited" : "did not start serving") +
                                                    "; the end of its log " + log_file_.string() +
                                                    ":\n" + text.substr(tail_from));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::optional<int> DaemonProcess::wait_exit(std::chrono::milliseconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (!exited_ && pid_ > 0) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
    }
    if (exited_) return status_;
    if (std::chrono::steady_clock::now() >= end) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void DaemonProcess::signal(int signal_number) {
  if (pid_ > 0 && !exited_) ::kill(pid_, signal_number);
}

int DaemonProcess::stop(std::chrono::milliseconds grace) {
  signal(SIGTERM);
  if (auto status = wait_exit(grace)) return *status;
  signal(SIGKILL);
  return wait_exit(std::chrono::seconds(10)).value_or(-1);
}

}  // namespace cyrange::daemon
