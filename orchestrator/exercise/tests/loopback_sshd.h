#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>

namespace cyrange::exercise::testing {

/// A throw-away sshd on 127.0.0.1 (a free high port) for qemu+ssh:// tests: its own host key,
/// client key, authorized_keys and known_hosts in a temp folder, no password logins, and an ssh
/// wrapper that verifies the host key against that known_hosts, so ~/.ssh is never written.
/// Test-only: failures throw std::runtime_error with a sentence saying what to do.
class LoopbackSshd {
 public:
  /// Generates the keys, starts `sshd -D` as a child and waits until it accepts connections.
  LoopbackSshd();
  /// Stops the sshd (by its pid) and removes the temp folder.
  ~LoopbackSshd();
  LoopbackSshd(const LoopbackSshd&) = delete;
  LoopbackSshd& operator=(const LoopbackSshd&) = delete;

  /// qemu+ssh://root@127.0.0.1:PORT/system with the client key and the verifying ssh wrapper.
  std::string libvirt_uri() const;
  /// The port sshd listens on (127.0.0.1 only).
  int port() const { return port_; }
  /// What sshd logged so far (accepted keys, sessions).
  std::string log() const;

 private:
  std::filesystem::path dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace cyrange::exercise::testing
