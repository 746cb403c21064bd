#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include <orchestrator/range/hypervisor.h>

namespace cyrange::range {

/// In-memory hypervisor for unit tests: records objects and answers agent commands.
class FakeHypervisor : public Hypervisor {
 public:
  /// Domains whose agent never answers (to test readiness failures).
  std::set<std::string> silent_agents;
  /// Domains whose service checks exit non-zero.
  std::set<std::string> failing_services;
  /// Domains whose agent stops answering after a snapshot revert (to test reset failures).
  std::set<std::string> silent_after_revert;
  /// Exit code, stdout returned by guest-exec in every other domain.
  int exec_exit_code = 0;
  std::string exec_stdout;

  DomainTypeChoice domain_type() override { return {"qemu", "fake hypervisor"}; }
  Status create_network(const std::string& name, const std::string& xml) override;
  Status remove_network(const std::string& name) override;
  Status create_pool(const std::string& name, const std::string& xml) override;
  Status remove_pool(const std::string& name) override;
  Expected<std::string> create_volume(const std::string& pool, const std::string& xml) override;
  Status create_domain(const std::string& name, const std::string& xml) override;
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
  /// A line-echoing shell that answers `hostname` with the domain's host part.
  Expected<std::unique_ptr<ConsoleStream>> open_console(const std::string& domain,
                                                        ConsoleOutput on_output,
                                                        ConsoleClosed on_closed) override;

  /// Number of objects of every kind currently held (volumes included).
  std::size_t object_count() const;
  /// Largest number of domains that were being created at the same time.
  int max_concurrent_creates() const { return max_concurrent_; }
  /// Snapshots held over all domains.
  std::size_t snapshot_count() const;
  /// How often any domain was reverted to a snapshot.
  int revert_count() const { return reverts_; }
  /// Largest number of snapshot reverts that ran at the same time.
  int max_concurrent_reverts() const { return max_reverting_; }
  /// XML a domain was defined with ("" if unknown).
  std::string domain_definition(const std::string& name) const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::string> domains_, networks_;
  std::map<std::string, std::set<std::string>> pools_;      // pool -> volume names
  std::map<std::string, std::set<std::string>> snapshots_;  // domain -> snapshot names
  std::set<std::string> reverted_;
  std::set<std::string> saved_;  // domains stopped by suspend_domain()
  std::atomic<int> creating_{0};
  std::atomic<int> reverts_{0};
  std::atomic<int> reverting_{0};
  std::atomic<int> max_reverting_{0};
  std::atomic<int> max_concurrent_{0};
};

}  // namespace cyrange::range
