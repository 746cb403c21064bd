#pragma once

#include <memory>
#include <string>
#include <vector>

#include <orchestrator/exercise/range_registry.h>
#include <orchestrator/range/host_pool.h>
#include <orchestrator/range/hypervisor.h>

namespace cyrange::exercise {

/// One Hypervisor over every host of a HostPool, for code that knows object names but not
/// hosts (terminals, attack steps, checks, teardown). A call about "cyr-<exercise>-<team>-..."
/// goes to the host that team lives on (the pool's placement, else the URI recorded in
/// PostgreSQL, else the primary host). Removals go to every host, so nothing a crash left on
/// another host survives; list() is the union of all hosts. domain_type() is the primary's:
/// provisioning uses each host's own connection instead.
class RoutedHypervisor final : public range::Hypervisor {
 public:
  /// `registry` may be null (then unplaced teams go to the primary host).
  RoutedHypervisor(std::shared_ptr<range::HostPool> pool, std::shared_ptr<RangeRegistry> registry);

  /// The host a team's objects live on; failed_precondition if its recorded URI left the pool.
  Expected<range::Hypervisor*> host_for(const std::string& exercise, const std::string& team);

  range::DomainTypeChoice domain_type() override;
  Status create_network(const std::string& name, const std::string& xml) override;
  Status remove_network(const std::string& name) override;
  Status create_pool(const std::string& name, const std::string& xml) override;
  Status remove_pool(const std::string& name) override;
  Expected<std::string> create_volume(const std::string& pool, const std::string& xml) override;
  Status create_domain(const std::string& name, const std::string& xml) override;
  /// True when every host of the pool can.
  bool can_restore_templates() override;
  Expected<std::string> copy_volume(const std::string& pool, const std::string& name,
                                    const std::string& source_file) override;
  Status restore_domain(const std::string& name, const std::string& xml,
                        const std::string& snapshot) override;
  Status remove_domain(const std::string& name) override;
  Status suspend_domain(const std::string& name) override;
  Status resume_domain(const std::string& name) override;
  Expected<range::DomainRunState> run_state(const std::string& name) override;
  Status create_snapshot(const std::string& domain, const std::string& name) override;
  Status revert_snapshot(const std::string& domain, const std::string& name) override;
  Expected<std::vector<std::string>> list_snapshots(const std::string& domain) override;
  Expected<std::string> network_description(const std::string& name) override;
  Expected<std::string> agent_command(const std::string& domain, const std::string& json,
                                      int timeout_seconds) override;
  Expected<std::vector<range::HvObject>> list(range::ObjectKind kind,
                                              const std::string& prefix) override;
  Expected<std::unique_ptr<range::ConsoleStream>> open_console(
      const std::string& domain, range::ConsoleOutput on_output,
      range::ConsoleClosed on_closed) override;

 private:
  Expected<range::Hypervisor*> owner_host(const std::string& object_name);
  Status on_every_host(const std::function<Status(range::Hypervisor&)>& action);

  std::shared_ptr<range::HostPool> pool_;
  std::shared_ptr<RangeRegistry> registry_;
};

}  // namespace cyrange::exercise
