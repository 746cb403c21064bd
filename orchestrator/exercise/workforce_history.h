#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include <orchestrator/common/expected.h>
#include <orchestrator/inject/step_kit.h>
#include <orchestrator/scenario/scenario.h>

namespace cyrange::exercise {

/// How much of the workforce's day goes into the guests before the exercise starts.
/// The tiny guests keep /var/log in their 128 MiB of memory and every 24 KiB costs one
/// guest-agent call at provisioning, so each log gets the newest 256 KiB of the last two
/// hours (about 2,000 proxy lines for Kakuu City's 1,500 staff): enough noise to hide
/// the attack in, at most 1 MiB and a few seconds per team.
struct HistoryBounds {
  int minutes = 120;                           ///< history before exercise start
  std::size_t max_bytes_per_log = 256 * 1024;  ///< newest whole lines kept per log
};

/// One log of the history: which server gets it, where, and its text.
struct HistoryLog {
  std::string host;  ///< the scenario host named by the workforce (proxy, mail, ...)
  std::string path;  ///< the log file inside the guest
  std::string text;  ///< whole lines, oldest first, within the bounds
};

/// The workforce's activity of team `team` in the `bounds.minutes` before `end_unix_ms`,
/// rendered in the servers' real formats (squid access.log, postfix mail.log, dnsmasq
/// log, auth.log) and cut to the newest `bounds.max_bytes_per_log` of each. Deterministic
/// for the same arguments. Empty when the scenario has no workforce.
Expected<std::array<HistoryLog, 4>> workforce_history(const scenario::Scenario& scenario,
                                                      std::uint64_t seed, const std::string& team,
                                                      std::int64_t end_unix_ms,
                                                      const HistoryBounds& bounds = {});

/// Writes the history in front of each server's log in the team's guests through the
/// guest agent, once per guest (a marker under inject::kMarkerDir), so trainees grep
/// real noise around the attack's lines. Logs whose host is not in the range are left
/// out. Returns how many lines were written.
Expected<long long> write_workforce_history(const scenario::Scenario& scenario, std::uint64_t seed,
                                            const std::string& team, inject::TeamTarget& target,
                                            std::int64_t end_unix_ms,
                                            const HistoryBounds& bounds = {});

}  // namespace cyrange::exercise
