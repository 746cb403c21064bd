#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/workforce/event.h>
#include <orchestrator/workforce/population.h>
#include <orchestrator/workforce/profile.h>

namespace cyrange::workforce {

/// Which part of which day to generate.
struct DayOptions {
  std::int64_t day_start_ms = 0;  ///< local midnight of the exercise day, as Unix ms
  int from_minute = 0;            ///< first minute of the day generated (inclusive)
  int to_minute = 24 * 60;        ///< last minute (exclusive)
  std::uint64_t root = 0;         ///< stream_root(seed, team)
};

/// Local midnight of "YYYY-MM-DD" as Unix milliseconds; fails on a malformed date.
Expected<std::int64_t> local_midnight_ms(const std::string& date, int utc_offset_minutes);

/// The background activity of a population over one day, streamed in time order.
/// The day is produced hour by hour, so memory stays bounded by one hour of events
/// whatever the population; the same options always give the same events.
class DayGenerator {
 public:
  DayGenerator(const Population& population, const ActivityProfile& profile, DayOptions options);

  /// Calls `sink` for every event of the day in time order, with `injected` (the
  /// attack's events, any order) merged in and their DNS lookups derived like the rest.
  void run(std::vector<Event> injected, const std::function<void(const Event&)>& sink) const;

  /// Convenience for tests: every event of the day, in order.
  std::vector<Event> collect(std::vector<Event> injected = {}) const;

  /// One member of staff's day: when they come, go and whether they come at all.
  struct Plan {
    bool present = true;
    bool failed_logon = false;
    std::int64_t arrival_ms = 0, departure_ms = 0;
    int logon_pid = 0;
  };

  /// The plan of staff member `i` (for tests and the attack builders).
  const Plan& plan(std::size_t i) const { return plans_[i]; }

 private:
  void plan_day();
  void generate_window(std::size_t staff_index, int window, std::int64_t w0, std::int64_t w1,
                       std::vector<Event>& out) const;

  const Population& population_;
  const ActivityProfile& profile_;
  DayOptions options_;
  std::vector<Plan> plans_;
  std::vector<double> site_weights_;
  std::vector<std::vector<std::uint32_t>> department_members_;
  std::vector<std::uint32_t> department_of_;
};

}  // namespace cyrange::workforce
