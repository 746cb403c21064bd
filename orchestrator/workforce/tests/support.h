#pragma once

#include <array>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <orchestrator/scenario/parser.h>
#include <orchestrator/workforce/attack.h>
#include <orchestrator/workforce/generator.h>
#include <orchestrator/workforce/log_files.h>
#include <orchestrator/workforce/population.h>
#include <orchestrator/workforce/profile.h>

namespace cyrange::workforce::testing {

/// The shipped Kakuu City scenario, loaded once.
inline const scenario::Scenario& kakuu() {
  static const scenario::Scenario s = [] {
    auto loaded =
        scenario::load_scenario(CYRANGE_SOURCE_DIR "/scenarios/targeted-email/scenario.yaml");
    if (!loaded) throw std::runtime_error(loaded.error().message);
    return std::move(*loaded);
  }();
  return s;
}

/// A population of `n` for (seed, team); fails the test on error.
inline Population make_population(int n, std::uint64_t seed = 7,
                                  const std::string& team = "team-1") {
  auto p = build_population(kakuu(), default_activity_profile(), {seed, team, n});
  if (!p) throw std::runtime_error(p.error().message);
  return std::move(*p);
}

/// Day options for 2025-04-14 (a Monday) in JST.
inline DayOptions day_options(std::uint64_t seed, const std::string& team, int from = 0,
                              int to = 24 * 60) {
  DayOptions o;
  o.day_start_ms = *local_midnight_ms("2025-04-14", default_activity_profile().utc_offset_minutes);
  o.from_minute = from;
  o.to_minute = to;
  o.root = stream_root(seed, team);
  return o;
}

/// Renders a day (optionally with the scenario's attack starting at `attack_minute`) into four
/// logs.
inline std::array<std::string, 4> day_logs(const Population& pop, std::uint64_t seed,
                                           const std::string& team, int from = 0, int to = 24 * 60,
                                           int attack_minute = -1) {
  const auto options = day_options(seed, team, from, to);
  DayGenerator gen(pop, default_activity_profile(), options);
  std::vector<Event> injected;
  if (attack_minute >= 0) {
    injected = timeline_events(kakuu(), pop, options.day_start_ms + attack_minute * 60'000LL,
                               options.day_start_ms + to * 60'000LL, seed);
  }
  return render_logs(gen.collect(std::move(injected)),
                     render_context(pop, default_activity_profile().utc_offset_minutes));
}

/// Splits a log into lines (without the newlines).
inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1) {
    out.push_back(text.substr(start, nl - start));
  }
  return out;
}

}  // namespace cyrange::workforce::testing
