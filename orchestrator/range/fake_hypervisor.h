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
  Expected<std::string> agent_command(const std::string& domain, const std::string& json,
                                      int timeout_seconds) override;
  Expected<std::vector<HvObject>> list(ObjectKind kind, const std::string& prefix) override;

  /// Number of objects of every kind currently held (volumes included).
  std::size_t object_count() const;
  /// Largest number of domains that were being created at the same time.
  int max_concurrent_creates() const { return max_concurrent_; }
  /// XML a domain was defined with ("" if unknown).
  std::string domain_definition(const std::string& name) const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::string> domains_, networks_;
  std::map<std::string, std::set<std::string>> pools_;  // pool -> volume names
  std::atomic<int> creating_{0};
  std::atomic<int> max_concurrent_{0};
};

}  // namespace cyrange::range
