#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/range/hypervisor.h>
#include <orchestrator/range/range_spec.h>

namespace cyrange::range {

/// What a hypervisor host can carry, or what a team range needs of one.
struct HostCapacity {
  int vcpus = 0;
  std::int64_t memory_mib = 0;
  int guests = 0;
};

/// The summed guest vCPUs, memory and guest count of one team range.
HostCapacity demand_of(const RangeSpec& spec);

/// One host as placement sees it: what it can carry and what is placed on it already.
struct HostLoad {
  std::string name;
  std::string uri;
  HostCapacity capacity;
  HostCapacity used;
};

/// "N vCPUs, M MiB, G guests", for logs and error messages.
std::string describe(const HostCapacity& c);

/// Pure placement: the host that fits `need` and keeps the most memory free (then the most
/// vCPUs, then the first listed); otherwise a bilingual error naming the need and every host's
/// free capacity. `what` names the range ("team 't1' of exercise 'ex'").
Expected<std::size_t> choose_host(const std::vector<HostLoad>& hosts, const HostCapacity& need,
                                  const std::string& what);

/// One hypervisor host as the operator configured it; unset capacities come from the host.
struct HostConfig {
  std::string uri;
  std::string name;                        ///< empty: the URI
  std::optional<int> vcpus;                ///< default: host CPUs x vcpus_per_cpu
  std::optional<std::int64_t> memory_mib;  ///< default: host memory - reserve_memory_mib
  std::optional<int> max_guests;           ///< default: the vCPU capacity (a guest has >= 1 vCPU)
  int vcpus_per_cpu = 16;                  ///< overcommit for the default; range guests idle a lot
  std::int64_t reserve_memory_mib = 1024;  ///< kept for the host itself and QEMU overhead
};

/// CPUs and memory a host reports (virNodeGetInfo).
struct NodeResources {
  int cpus = 0;
  std::int64_t memory_mib = 0;
};

/// Capacity from the configuration, filling unset values from what the host reports.
HostCapacity effective_capacity(const HostConfig& config, const NodeResources& node);

/// A connected host of the pool.
struct PoolHost {
  std::string name;
  std::string uri;
  std::shared_ptr<Hypervisor> hypervisor;
  HostCapacity capacity;
  DomainTypeChoice domain_type;
};

/// One team range already living on a host (recorded in PostgreSQL or placed by this pool).
struct PlacedRange {
  RangeSpec spec;
  std::string uri;
};

/// Several hypervisor hosts and the team ranges placed on them. Each team's whole range
/// goes to one host (its segments are host-local bridges). Thread-safe.
class HostPool {
 public:
  /// Opens a hypervisor connection; LibvirtHypervisor in production, fakes in unit tests.
  using Connector = std::function<Expected<std::shared_ptr<Hypervisor>>(const std::string& uri)>;
  /// Reads a host's CPUs and memory; libvirt's virNodeGetInfo in production.
  using NodeReader = std::function<Expected<NodeResources>(Hypervisor& hv, const std::string& uri)>;

  /// Connects to every host (in order; the first is the primary) and works out its capacity.
  /// Fails naming the host that cannot be reached, or when a URI is listed twice.
  static Expected<std::shared_ptr<HostPool>> connect(const std::vector<HostConfig>& hosts,
                                                     Connector connector, NodeReader node_reader);
  /// connect() over libvirt (LibvirtHypervisor and virNodeGetInfo).
  static Expected<std::shared_ptr<HostPool>> connect_libvirt(const std::vector<HostConfig>& hosts);

  /// Every host, in configuration order.
  const std::vector<PoolHost>& hosts() const { return hosts_; }
  /// The first configured host (ranges of unknown placement, single-host set-ups).
  const PoolHost& primary() const { return hosts_.front(); }
  /// The host with this URI, or nullptr.
  const PoolHost* find(const std::string& uri) const;

  /// Forgets every placement and counts these instead (e.g. every live range in PostgreSQL);
  /// ranges on URIs outside the pool are ignored and returned.
  std::vector<PlacedRange> replace_placements(const std::vector<PlacedRange>& ranges);
  /// Chooses a host for one team range and counts it there.
  Expected<const PoolHost*> place(const RangeSpec& spec);
  /// Forgets the placements of an exercise (every team), after its ranges were removed.
  void release(const std::string& exercise);
  /// URI of the host a team range was placed on; empty if unknown.
  std::string host_of(const std::string& exercise, const std::string& team) const;
  /// Capacity and current use of every host, in configuration order.
  std::vector<HostLoad> loads() const;

  /// One line per host for the start-up log: name, URI, capacity, domain type.
  std::vector<std::string> report() const;

 private:
  struct Placement {
    std::string uri;
    HostCapacity demand;
  };
  std::vector<HostLoad> loads_locked() const;

  std::vector<PoolHost> hosts_;
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, Placement> placed_;  // (exercise, team)
};

}  // namespace cyrange::range
