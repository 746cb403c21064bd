#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include <orchestrator/privacy/organisation.h>

namespace cyrange::privacy {

/// How far each organisation attribute is generalised (0..kMaxLevel each).
struct Generalisation {
  int type = 0;
  int size = 0;
  int region = 0;

  /// Sum of the levels: how much information the generalisation gives up.
  int height() const { return type + size + region; }
};

/// The released (type, size band, region) of one person.
using AttributeKey = std::array<std::string, 3>;

/// `attributes` under `levels`.
AttributeKey generalise(const OrganisationAttributes& attributes, const Generalisation& levels);

/// The outcome of k-anonymisation: one generalisation for everyone (full-domain),
/// and the people left out because they would still be in a group smaller than k.
struct AnonymityPlan {
  Generalisation levels;
  std::vector<AttributeKey> released;  ///< per person, generalised
  std::vector<bool> kept;              ///< per person: false = suppressed
  std::size_t suppressed = 0;
  bool within_budget = true;  ///< false: more than max_suppressed had to be left out
};

/// Chooses the least generalisation (lowest height; ties keep the type, then the
/// size, most exact) under which every released combination is shared by at least
/// `k` people once at most `max_suppressed` people of smaller groups are left out.
/// When no generalisation stays within that budget, the one suppressing the fewest
/// people is used and within_budget is false. The released data is always
/// k-anonymous: each kept person shares their combination with k-1 others at least.
AnonymityPlan plan_k_anonymity(const std::vector<OrganisationAttributes>& people, int k,
                               std::size_t max_suppressed);

}  // namespace cyrange::privacy
