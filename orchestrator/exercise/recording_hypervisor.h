#pragma once

#include <string>

#include <orchestrator/exercise/range_registry.h>
#include <orchestrator/range/hypervisor.h>

namespace cyrange::exercise {

/// A Hypervisor that records every object in the registry BEFORE asking the real one
/// to create it, so a process killed half-way leaves rows that reconcile() can act on.
/// Everything else passes through unchanged.
class RecordingHypervisor final : public range::Hypervisor {
 public:
  /// `inner` and `registry` must outlive this; `libvirt_uri` names inner's connection.
  RecordingHypervisor(range::Hypervisor& inner, RangeRegistry& registry, std::string libvirt_uri);

  range::DomainTypeChoice domain_type() override { return inner_.domain_type(); }
  Status create_network(const std::string& name, const std::string& xml) override;
  Status remove_network(const std::string& name) override { return inner_.remove_network(name); }
  Status create_pool(const std::string& name, const std::string& xml) override;
  Status remove_pool(const std::string& name) override { return inner_.remove_pool(name); }
  Expected<std::string> create_volume(const std::string& pool, const std::string& xml) override;
  Status create_domain(const std::string& name, const std::string& xml) override;
  bool can_restore_templates() override { return inner_.can_restore_templates(); }
  Expected<std::string> copy_volume(const std::string& pool, const std::string& name,
                                    const std::string& source_file) override;
  Status restore_domain(const std::string& name, const std::string& xml,
                        const std::string& snapshot) override;
  Status remove_domain(const std::string& name) override { return inner_.remove_domain(name); }
  Status suspend_domain(const std::string& name) override { return inner_.suspend_domain(name); }
  Status resume_domain(const std::string& name) override { return inner_.resume_domain(name); }
  Expected<range::DomainRunState> run_state(const std::string& name) override {
    return inner_.run_state(name);
  }
  Status create_snapshot(const std::string& d, const std::string& n) override {
    return inner_.create_snapshot(d, n);
  }
  Status revert_snapshot(const std::string& d, const std::string& n) override {
    return inner_.revert_snapshot(d, n);
  }
  Expected<std::vector<std::string>> list_snapshots(const std::string& d) override {
    return inner_.list_snapshots(d);
  }
  Expected<std::string> network_description(const std::string& n) override {
    return inner_.network_description(n);
  }
  Expected<std::string> agent_command(const std::string& d, const std::string& json,
                                      int timeout) override {
    return inner_.agent_command(d, json, timeout);
  }
  Expected<std::vector<range::HvObject>> list(range::ObjectKind kind,
                                              const std::string& prefix) override {
    return inner_.list(kind, prefix);
  }
  Expected<std::unique_ptr<range::ConsoleStream>> open_console(
      const std::string& domain, range::ConsoleOutput out, range::ConsoleClosed closed) override {
    return inner_.open_console(domain, std::move(out), std::move(closed));
  }

 private:
  Status record(const std::string& kind, const std::string& name);

  range::Hypervisor& inner_;
  RangeRegistry& registry_;
  std::string uri_;
};

/// Exercise and team of a "cyr-<exercise>-<team>-..." name; empty strings if it is not one.
std::pair<std::string, std::string> owner_of(const std::string& object_name);

}  // namespace cyrange::exercise
