#pragma once

#include <memory>
#include <string>

#include <orchestrator/common/expected.h>
#include <orchestrator/exercise/range_registry.h>
#include <orchestrator/exercise/reconcile.h>
#include <orchestrator/exercise/terminal.h>
#include <orchestrator/range/hypervisor.h>

namespace cyrange::exercise {

/// What cyranged keeps for ranges: the libvirt connection, the registry and the terminal broker.
struct RangeRuntime {
  std::shared_ptr<range::Hypervisor> hypervisor;
  std::shared_ptr<RangeRegistry> registry;
  std::shared_ptr<TerminalBroker> terminals;  ///< references *hypervisor; declared after it
  ReconcileReport reconciled;                 ///< what the start-up reconciliation did
};

/// Connects to libvirt and PostgreSQL, reconciles them (logging every object adopted,
/// removed or left alone) and prepares the terminal broker.
Expected<RangeRuntime> start_range_runtime(const std::string& libvirt_uri,
                                           const std::string& database_uri);

}  // namespace cyrange::exercise
