#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <orchestrator/scenario/scenario.h>
#include <orchestrator/workforce/event.h>
#include <orchestrator/workforce/population.h>

namespace cyrange::workforce {

// Attack events join the workforce stream (DayGenerator::run) so the evidence sits
// in the same files, in time order, among the noise. Serials of attack events have
// bit 62 set so they never collide with background ones.

/// HTTP beacons through the proxy: GET `url` every `interval_s` seconds, each gap
/// varied by up to +-jitter (0.1 = 10 %), from start_ms until end_ms.
std::vector<Event> beacon_events(const std::string& url, std::uint32_t client,
                                 const std::string& user, std::uint32_t server,
                                 std::int64_t start_ms, std::int64_t end_ms, int interval_s,
                                 double jitter, std::uint64_t seed);

/// One mail from outside to the organisation (a lure or a harmless exchange mail).
Event inbound_mail_event(std::int64_t time_ms, const std::string& from,
                         const std::vector<std::string>& to, const std::string& sender_host,
                         std::uint32_t sender_address, long long size, const std::string& subject,
                         const std::string& attachment, std::uint64_t serial);

/// The events the scenario's timeline leaves in the servers' logs, with exercise
/// time 0 at `exercise_start_ms`: send_mail -> mail log, beacon -> proxy (and DNS),
/// run_commands/smb_copy -> file server audit, upload -> proxy. Only steps whose
/// trigger is a time or a chain of `after` steps can be placed; the others are skipped.
std::vector<Event> timeline_events(const scenario::Scenario& scenario, const Population& population,
                                   std::int64_t exercise_start_ms, std::int64_t day_end_ms,
                                   std::uint64_t seed);

}  // namespace cyrange::workforce
