#pragma once

#include <memory>
#include <string>

#include <orchestrator/range/host_pool.h>
#include <orchestrator/range/hypervisor.h>

namespace cyrange::range {

/// Hypervisor on a libvirt connection (qemu:///system, qemu+ssh://...), through the C API.
class LibvirtHypervisor : public Hypervisor {
 public:
  /// Opens a connection; fails with a sentence naming the URI if libvirtd is not reachable.
  static Expected<std::unique_ptr<LibvirtHypervisor>> connect(const std::string& uri);
  ~LibvirtHypervisor() override;
  LibvirtHypervisor(const LibvirtHypervisor&) = delete;
  LibvirtHypervisor& operator=(const LibvirtHypervisor&) = delete;

  /// Local qemu:/// URIs probe /dev/kvm here; other hosts are judged by their capabilities.
  DomainTypeChoice domain_type() override;
  /// CPUs and memory of the host behind this connection (virNodeGetInfo).
  Expected<NodeResources> node_resources();
  Status create_network(const std::string& name, const std::string& xml) override;
  Status remove_network(const std::string& name) override;
  Status create_pool(const std::string& name, const std::string& xml) override;
  Status remove_pool(const std::string& name) override;
  Expected<std::string> create_volume(const std::string& pool, const std::string& xml) override;
  Status create_domain(const std::string& name, const std::string& xml) override;
  /// True for qemu:///system and qemu:///session, whose daemon shares this machine's files.
  bool can_restore_templates() override;
  Expected<std::string> copy_volume(const std::string& pool, const std::string& name,
                                    const std::string& source_file) override;
  Status restore_domain(const std::string& name, const std::string& xml,
                        const std::string& snapshot) override;
  Status remove_domain(const std::string& name) override;
  Status suspend_domain(const std::string& name) override;
  Status resume_domain(const std::string& name) override;
  Expected<DomainRunState> run_state(const std::string& name) override;
  Status create_snapshot(const std::string& domain, const std::string& name) override;
  Status revert_snapshot(const std::string& domain, const std::string& name) override;
  Expected<std::vector<std::string>> list_snapshots(const std::string& domain) override;
  Expected<std::string> network_description(const std::string& name) override;
  Expected<std::string> agent_command(const std::string& domain, const std::string& json,
                                      int timeout_seconds) override;
  Expected<std::vector<HvObject>> list(ObjectKind kind, const std::string& prefix) override;
  Expected<std::unique_ptr<ConsoleStream>> open_console(const std::string& domain,
                                                        ConsoleOutput on_output,
                                                        ConsoleClosed on_closed) override;

 private:
  struct Impl;
  explicit LibvirtHypervisor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cyrange::range
