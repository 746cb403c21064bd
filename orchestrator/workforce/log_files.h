#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/workforce/event.h>
#include <orchestrator/workforce/generator.h>
#include <orchestrator/workforce/render.h>

namespace cyrange::workforce {

/// File name of each log in the output folder, indexed by LogKind.
inline constexpr std::array<const char*, 4> kLogFileNames = {"access.log", "mail.log",
                                                             "dnsmasq.log", "auth.log"};

/// What was written, per log (indexed by LogKind).
struct LogCounts {
  std::array<long long, 4> events{};
  std::array<long long, 4> lines{};
  long long bytes = 0;
  long long total_events() const { return events[0] + events[1] + events[2] + events[3]; }
  long long total_lines() const { return lines[0] + lines[1] + lines[2] + lines[3]; }
};

/// Renders the day (with injected attack events) into the four log files of `dir`,
/// creating the folder; existing files are replaced.
Expected<LogCounts> write_day_logs(const DayGenerator& generator, std::vector<Event> injected,
                                   const RenderContext& context, const std::filesystem::path& dir);

/// Renders events into four in-memory logs (for tests), indexed by LogKind.
std::array<std::string, 4> render_logs(const std::vector<Event>& events,
                                       const RenderContext& context);

}  // namespace cyrange::workforce
