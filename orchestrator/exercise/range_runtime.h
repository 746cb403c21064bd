#pragma once

#include <memory>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/exercise/range_registry.h>
#include <orchestrator/exercise/reconcile.h>
#include <orchestrator/exercise/terminal.h>
#include <orchestrator/range/host_pool.h>
#include <orchestrator/range/hypervisor.h>

namespace cyrange::exercise {

/// What cyranged keeps for ranges: the hypervisor hosts, the registry and the terminal broker.
struct RangeRuntime {
  std::shared_ptr<range::HostPool> hosts;  ///< every configured host and what is placed on it
  std::shared_ptr<range::Hypervisor> hypervisor;  ///< routes each team's objects to its host
  std::shared_ptr<RangeRegistry> registry;
  std::shared_ptr<TerminalBroker> terminals;  ///< references *hypervisor; declared after it
  ReconcileReport reconciled;                 ///< what the start-up reconciliation did (all hosts)
};

/// Connects to every hypervisor host and PostgreSQL, reconciles each host with the database
/// (logging every object adopted, removed or left alone), counts the live team ranges recorded
/// in PostgreSQL on their hosts (so a restart never overbooks) and prepares the terminal broker.
Expected<RangeRuntime> start_range_runtime(const std::vector<range::HostConfig>& hosts,
                                           const std::string& database_uri);

/// start_range_runtime() on one host with capacity from what it reports.
Expected<RangeRuntime> start_range_runtime(const std::string& libvirt_uri,
                                           const std::string& database_uri);

}  // namespace cyrange::exercise
