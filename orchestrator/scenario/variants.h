#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <orchestrator/scenario/scenario.h>

namespace cyrange::scenario {

/// Every team's value of every variable, as `range up` with the same seed draws them.
struct VariantTable {
  std::string scenario_id;
  std::uint64_t seed = 0;
  std::vector<std::string> teams;                ///< columns, in the order given
  std::vector<std::string> variables;            ///< rows, in declaration order
  std::vector<std::vector<std::string>> values;  ///< values[variable][team]
};

/// Draws the variables of `scenario` for each of `teams` with resolve_variables().
VariantTable draw_variants(const Scenario& scenario, std::uint64_t seed,
                           const std::vector<std::string>& teams);

/// True when not every team got the same value of variable row `row`.
bool varies(const VariantTable& table, std::size_t row);

/// The table as aligned text: a bilingual header, one row per variable, one column per team.
std::string format_variants(const VariantTable& table);

/// The table as JSON: {scenario, seed, variables: [names], teams: [{team, values: {name: value}}]}.
nlohmann::json variants_json(const VariantTable& table);

/// Terminal columns `text` (UTF-8) occupies: East Asian wide characters count two.
std::size_t display_width(std::string_view text);

}  // namespace cyrange::scenario
