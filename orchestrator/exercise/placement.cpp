#include <orchestrator/exercise/placement.h>

namespace cyrange::exercise {

Expected<std::vector<range::PlacedRange>> sync_placements(
    const std::shared_ptr<range::HostPool>& pool, RangeRegistry& registry) {
  if (!pool) return std::vector<range::PlacedRange>{};
  auto recorded = registry.placed_ranges();
  if (!recorded) return recorded.error();
  return pool->replace_placements(*recorded);
}

Expected<std::vector<std::string>> place_teams(const std::shared_ptr<range::HostPool>& pool,
                                               RangeRegistry& registry,
                                               const std::vector<range::RangeSpec>& specs,
                                               const std::string& default_uri) {
  if (!pool) return std::vector<std::string>(specs.size(), default_uri);
  if (auto synced = sync_placements(pool, registry); !synced) return synced.error();
  std::vector<std::string> uris;
  for (const auto& spec : specs) {
    auto host = pool->place(spec);
    if (!host) {
      (void)sync_placements(pool, registry);  // forget this exercise's partial placement
      return host.error();
    }
    uris.push_back((*host)->uri);
  }
  return uris;
}

PlacedRecorders::PlacedRecorders(const std::shared_ptr<range::HostPool>& pool,
                                 range::Hypervisor& fallback, const std::string& fallback_uri,
                                 RangeRegistry& registry,
                                 const std::vector<range::RangeSpec>& specs) {
  for (const auto& spec : specs) {
    const range::PoolHost* host =
        pool ? pool->find(pool->host_of(spec.exercise, spec.team)) : nullptr;
    if (host)
      recorders_.push_back(
          std::make_unique<RecordingHypervisor>(*host->hypervisor, registry, host->uri));
    else
      recorders_.push_back(std::make_unique<RecordingHypervisor>(fallback, registry, fallback_uri));
  }
}

std::vector<range::Hypervisor*> PlacedRecorders::hypervisors() const {
  std::vector<range::Hypervisor*> out;
  for (const auto& r : recorders_) out.push_back(r.get());
  return out;
}

}  // namespace cyrange::exercise
