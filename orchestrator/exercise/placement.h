#pragma once

#include <memory>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/exercise/range_registry.h>
#include <orchestrator/exercise/recording_hypervisor.h>
#include <orchestrator/range/host_pool.h>

namespace cyrange::exercise {

/// Makes the pool count exactly the live team ranges recorded in PostgreSQL, so a restarted
/// cyranged (or one that lost a race) never overbooks a host. Returns the recorded ranges on
/// URIs outside the pool. A null pool does nothing.
Expected<std::vector<range::PlacedRange>> sync_placements(
    const std::shared_ptr<range::HostPool>& pool, RangeRegistry& registry);

/// Chooses a host for every team range (counting every live range recorded in PostgreSQL)
/// and returns their URIs in the order of `specs`; on failure nothing new stays placed.
/// A null pool puts every team on `default_uri`.
Expected<std::vector<std::string>> place_teams(const std::shared_ptr<range::HostPool>& pool,
                                               RangeRegistry& registry,
                                               const std::vector<range::RangeSpec>& specs,
                                               const std::string& default_uri);

/// One RecordingHypervisor per team range, on the host the pool placed it on (or on
/// `fallback` / `fallback_uri` without a pool), for RangeSet's per-team constructor.
class PlacedRecorders {
 public:
  /// `fallback`, `registry` and the pool's hosts must outlive this.
  PlacedRecorders(const std::shared_ptr<range::HostPool>& pool, range::Hypervisor& fallback,
                  const std::string& fallback_uri, RangeRegistry& registry,
                  const std::vector<range::RangeSpec>& specs);
  /// hypervisors()[i] builds specs[i].
  std::vector<range::Hypervisor*> hypervisors() const;

 private:
  std::vector<std::unique_ptr<RecordingHypervisor>> recorders_;
};

}  // namespace cyrange::exercise
