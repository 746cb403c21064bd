#include <orchestrator/privacy/anonymity.h>

#include <algorithm>
#include <map>
#include <tuple>

namespace cyrange::privacy {

AttributeKey generalise(const OrganisationAttributes& attributes, const Generalisation& levels) {
  return {generalise_type(attributes.type, levels.type),
          generalise_size(attributes.size_band, levels.size),
          generalise_region(attributes, levels.region)};
}

namespace {

// People in groups smaller than k under `levels`.
std::size_t count_suppressed(const std::vector<OrganisationAttributes>& people, int k,
                             const Generalisation& levels) {
  std::map<AttributeKey, std::size_t> groups;
  for (const auto& p : people) ++groups[generalise(p, levels)];
  std::size_t suppressed = 0;
  for (const auto& [key, size] : groups) {
    if (size < static_cast<std::size_t>(k)) suppressed += size;
  }
  return suppressed;
}

}  // namespace

AnonymityPlan plan_k_anonymity(const std::vector<OrganisationAttributes>& people, int k,
                               std::size_t max_suppressed) {
  // Every node of the 3x3x3 generalisation lattice, least information lost first.
  std::vector<Generalisation> lattice;
  for (int t = 0; t <= kMaxLevel; ++t) {
    for (int s = 0; s <= kMaxLevel; ++s) {
      for (int r = 0; r <= kMaxLevel; ++r) lattice.push_back({t, s, r});
    }
  }
  std::stable_sort(lattice.begin(), lattice.end(),
                   [](const Generalisation& a, const Generalisation& b) {
                     return std::make_tuple(a.height(), a.type, a.size) <
                            std::make_tuple(b.height(), b.type, b.size);
                   });

  const Generalisation* chosen = nullptr;
  const Generalisation* fewest = nullptr;
  std::size_t fewest_suppressed = people.size() + 1;
  for (const auto& node : lattice) {
    const std::size_t suppressed = count_suppressed(people, k, node);
    if (suppressed <= max_suppressed) {
      chosen = &node;
      break;
    }
    if (suppressed < fewest_suppressed) {
      fewest_suppressed = suppressed;
      fewest = &node;
    }
  }

  AnonymityPlan plan;
  plan.within_budget = chosen != nullptr;
  plan.levels = chosen ? *chosen : *fewest;
  std::map<AttributeKey, std::size_t> groups;
  for (const auto& p : people) {
    plan.released.push_back(generalise(p, plan.levels));
    ++groups[plan.released.back()];
  }
  for (const auto& key : plan.released) {
    const bool keep = groups[key] >= static_cast<std::size_t>(k);
    plan.kept.push_back(keep);
    if (!keep) ++plan.suppressed;
  }
  return plan;
}

}  // namespace cyrange::privacy
