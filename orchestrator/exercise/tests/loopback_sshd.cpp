#include <orchestrator/exercise/tests/loopback_sshd.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace cyrange::exercise::testing {
namespace {

sockaddr_in loopback(int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

// A port the kernel just handed out on 127.0.0.1 (ephemeral, so high and unused).
int free_loopback_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a = loopback(0);
  socklen_t len = sizeof a;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("Cannot bind a TCP socket on 127.0.0.1; check the loopback device.");
  }
  ::close(fd);
  return ntohs(a.sin_port);
}

bool accepts(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a = loopback(port);
  const bool ok = fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  if (fd >= 0) ::close(fd);
  return ok;
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void run(const std::string& command) {
  if (std::system(command.c_str()) != 0)
    throw std::runtime_error("`" + command +
                             "` failed; install openssh-client and openssh-server "
                             "(scripts/install-deps.sh).");
}

}  // namespace

LoopbackSshd::LoopbackSshd() {
  char tmpl[] = "/tmp/cyrange-sshd-XXXXXX";
  if (!::mkdtemp(tmpl)) throw std::runtime_error("Cannot create a temp folder under /tmp.");
  dir_ = tmpl;
  const std::string d = dir_.string();
  run("ssh-keygen -q -t ed25519 -N '' -C cyrange-test-host -f " + d + "/host_key");
  run("ssh-keygen -q -t ed25519 -N '' -C cyrange-test-client -f " + d + "/client_key");
  std::filesystem::copy_file(dir_ / "client_key.pub", dir_ / "authorized_keys");
  port_ = free_loopback_port();

  // Only this folder's key logs in, only on loopback; nothing of the machine's ssh set-up is used.
  std::ofstream(dir_ / "sshd_config") << "ListenAddress 127.0.0.1\n"
                                      << "Port " << port_ << "\n"
                                      << "HostKey " << d << "/host_key\n"
                                      << "AuthorizedKeysFile " << d << "/authorized_keys\n"
                                      << "PubkeyAuthentication yes\n"
                                      << "PasswordAuthentication no\n"
                                      << "KbdInteractiveAuthentication no\n"
                                      << "PermitRootLogin prohibit-password\n"
                                      << "StrictModes no\n"
                                      << "UsePAM no\n"
                                      << "PidFile none\n";
  std::istringstream host_pub(read_text(dir_ / "host_key.pub"));
  std::string type, key;
  host_pub >> type >> key;
  std::ofstream(dir_ / "known_hosts")
      << "[127.0.0.1]:" << port_ << " " << type << " " << key << "\n";
  // libvirt runs `ssh`; this one checks the host key against our known_hosts and never asks.
  std::ofstream(dir_ / "ssh") << "#!/bin/sh\nexec ssh -o UserKnownHostsFile=" << d
                              << "/known_hosts -o GlobalKnownHostsFile=/dev/null "
                                 "-o StrictHostKeyChecking=yes -o BatchMode=yes \"$@\"\n";
  std::filesystem::permissions(dir_ / "ssh", std::filesystem::perms::owner_all);

  ::mkdir("/run/sshd", 0755);  // sshd's privilege separation folder; exists on a normal install
  const std::string config = d + "/sshd_config";
  const std::string log_file = d + "/sshd.log";
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork() failed while starting sshd.");
  if (pid_ == 0) {
    int fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) ::dup2(fd, STDERR_FILENO);
    ::execl("/usr/sbin/sshd", "/usr/sbin/sshd", "-D", "-e", "-f", config.c_str(), nullptr);
    ::_exit(127);
  }
  for (int i = 0; i < 200 && !accepts(port_); ++i) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("sshd exited at start: " + log() +
                               " Install openssh-server (scripts/install-deps.sh).");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (!accepts(port_))
    throw std::runtime_error("sshd did not listen on 127.0.0.1:" + std::to_string(port_) +
                             " within 10 s: " + log());
}

LoopbackSshd::~LoopbackSshd() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string LoopbackSshd::libvirt_uri() const {
  return "qemu+ssh://root@127.0.0.1:" + std::to_string(port_) +
         "/system?keyfile=" + (dir_ / "client_key").string() +
         "&command=" + (dir_ / "ssh").string();
}

std::string LoopbackSshd::log() const { return read_text(dir_ / "sshd.log"); }

}  // namespace cyrange::exercise::testing
