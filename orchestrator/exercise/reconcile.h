#pragma once

#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/exercise/range_registry.h>
#include <orchestrator/range/hypervisor.h>

namespace cyrange::exercise {

/// What reconcile() found and did, by "kind name".
struct ReconcileReport {
  std::vector<std::string> adopted;  ///< recorded for a live exercise: kept
  std::vector<std::string> removed;  ///< orphans (no row, or their exercise ended): removed
  std::vector<std::string>
      foreign;  ///< cyr- objects of exercises this database never knew: left alone
  std::vector<std::string> missing;  ///< recorded for a live exercise but gone from libvirt
  std::vector<std::string> errors;   ///< removals that failed, as sentences

  /// One line for the log, e.g. "adopted 7, removed 2, foreign 0, missing 0, errors 0".
  std::string summary() const;
};

/// Brings libvirt in line with PostgreSQL on one connection. Objects named cyr-...
/// that are recorded for a live exercise are adopted; objects of an exercise the
/// database knows that are not recorded, or whose exercise ended, are removed
/// (domains first, then networks, then pools with their volumes) and their rows
/// forgotten. Objects of exercises the database has never seen are left alone: on a
/// shared libvirt they may belong to another cyrange database or a test.
Expected<ReconcileReport> reconcile(range::Hypervisor& hv, RangeRegistry& db,
                                    const std::string& libvirt_uri);

}  // namespace cyrange::exercise
