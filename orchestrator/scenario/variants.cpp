#include <orchestrator/scenario/variants.h>

#include <algorithm>
#include <functional>

#include <orchestrator/scenario/variables.h>

namespace cyrange::scenario {
namespace {

/// East Asian Wide and Fullwidth ranges that occur in scenario text (kana, kanji,
/// Hangul, full-width forms); a terminal draws each of these two columns wide.
bool is_wide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
         (c >= 0x3041 && c <= 0x33FF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
         (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
}

/// `text` followed by spaces up to `width` columns.
std::string pad(const std::string& text, std::size_t width) {
  const std::size_t used = display_width(text);
  return text + std::string(width > used ? width - used : 0, ' ');
}

constexpr const char* kHeader = "variable / 変数";

}  // namespace

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    // Sequence length from the lead byte; a stray continuation byte counts as one column.
    const std::size_t length = lead < 0x80    ? 1
                               : lead >= 0xF0 ? 4
                               : lead >= 0xE0 ? 3
                               : lead >= 0xC0 ? 2
                                              : 1;
    char32_t c = length == 1 ? lead : lead & (0x7F >> length);
    for (std::size_t k = 1; k < length && i + k < text.size(); ++k)
      c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    width += is_wide(c) ? 2 : 1;
    i += length;
  }
  return width;
}

VariantTable draw_variants(const Scenario& scenario, std::uint64_t seed,
                           const std::vector<std::string>& teams) {
  VariantTable table;
  table.scenario_id = scenario.metadata.id;
  table.seed = seed;
  table.teams = teams;
  for (const auto& v : scenario.variables) table.variables.push_back(v.name);
  table.values.assign(table.variables.size(), std::vector<std::string>(teams.size()));
  for (std::size_t t = 0; t < teams.size(); ++t) {
    const auto values = resolve_variables(scenario, seed, teams[t]);
    for (std::size_t row = 0; row < table.variables.size(); ++row) {
      auto it = values.find(table.variables[row]);
      if (it != values.end()) table.values[row][t] = it->second;
    }
  }
  return table;
}

bool varies(const VariantTable& table, std::size_t row) {
  const auto& values = table.values.at(row);
  return std::adjacent_find(values.begin(), values.end(), std::not_equal_to<>()) != values.end();
}

std::string format_variants(const VariantTable& table) {
  std::vector<std::size_t> widths(table.teams.size() + 1);
  widths[0] = display_width(kHeader);
  for (const auto& name : table.variables) widths[0] = std::max(widths[0], display_width(name));
  for (std::size_t t = 0; t < table.teams.size(); ++t) {
    widths[t + 1] = display_width(table.teams[t]);
    for (const auto& row : table.values)
      widths[t + 1] = std::max(widths[t + 1], display_width(row[t]));
  }
  auto line = [&](const std::string& first, const auto& cell) {
    std::string out = pad(first, widths[0]);
    for (std::size_t t = 0; t < table.teams.size(); ++t) {
      out += "  ";
      out += t + 1 == table.teams.size() ? cell(t) : pad(cell(t), widths[t + 1]);
    }
    return out + "\n";
  };
  std::string out = line(kHeader, [&](std::size_t t) { return table.teams[t]; });
  std::size_t varying = 0;
  for (std::size_t row = 0; row < table.variables.size(); ++row) {
    out += line(table.variables[row], [&](std::size_t t) { return table.values[row][t]; });
    if (varies(table, row)) ++varying;
  }
  out += std::to_string(varying) + " of " + std::to_string(table.variables.size()) +
         " variable(s) differ between teams (seed " + std::to_string(table.seed) +
         ") / チームごとに異なる変数 " + std::to_string(varying) + " / " +
         std::to_string(table.variables.size()) + " 件 (シード " + std::to_string(table.seed) +
         ")\n";
  return out;
}

nlohmann::json variants_json(const VariantTable& table) {
  nlohmann::json teams = nlohmann::json::array();
  for (std::size_t t = 0; t < table.teams.size(); ++t) {
    nlohmann::json values = nlohmann::json::object();
    for (std::size_t row = 0; row < table.variables.size(); ++row)
      values[table.variables[row]] = table.values[row][t];
    teams.push_back({{"team", table.teams[t]}, {"values", std::move(values)}});
  }
  return {{"scenario", table.scenario_id},
          {"seed", table.seed},
          {"variables", table.variables},
          {"teams", std::move(teams)}};
}

}  // namespace cyrange::scenario
