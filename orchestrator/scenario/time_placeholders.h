#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <orchestrator/common/expected.h>

namespace cyrange::scenario {

// Planted evidence that matches the guest clock: ${time.start} and ${time.now} stand for
// the wall time at which the exercise clock started and at which the step runs, with an
// offset (${time.now-5m}, ${time.start+1h30m}, ${time.now-2d}) and a format after `|`
// (${time.now-5m|syslog}). Filled in when the step runs, in UTC as the guests' clocks
// run; offsets are guest-clock (wall) time, not exercise time.

/// One format a placeholder may ask for, as the designer guide lists them.
struct TimeFormat {
  std::string name;     ///< what follows `|`
  std::string example;  ///< 2026-12-07 09:30:05 UTC in this format
  std::string use;      ///< where such a time is written, in English
};

/// How a time placeholder is written, for messages: in Japanese or in English.
std::string time_placeholder_usage(bool japanese);

/// Every format, the default (iso) first.
const std::vector<TimeFormat>& time_formats();

/// One ${time.ANCHOR[+-OFFSET][|FORMAT]} placeholder.
struct TimePlaceholder {
  enum class Anchor { start, now };
  Anchor anchor = Anchor::now;
  long long offset_seconds = 0;
  std::string format = "iso";
};

/// Parses what stands between `${` and `}` ("time.now-5m|syslog"); invalid_argument saying
/// what is wrong (English / Japanese; time_placeholder_usage() says what is allowed) for
/// anything else starting with "time.".
Expected<TimePlaceholder> parse_time_placeholder(std::string_view inner);

/// The wall times a step's placeholders are filled from.
struct TimeAnchors {
  std::chrono::system_clock::time_point start;  ///< the exercise clock started
  std::chrono::system_clock::time_point now;    ///< the step runs
};

/// `text` with every valid ${time.…} replaced by its time in UTC; everything else stays.
std::string fill_time_placeholders(std::string_view text, const TimeAnchors& anchors);

/// `at` in one of time_formats() (iso for an unknown name), in UTC.
std::string format_time(std::chrono::system_clock::time_point at, std::string_view format);

}  // namespace cyrange::scenario
