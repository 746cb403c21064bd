#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <client-core/call.h>
#include <client-core/connection.h>
#include <client-core/subscription.h>
#include <orchestrator/common/expected.h>

namespace cyrange::client {

/// A request to watch one team's terminals live, read-only (RangeService.AskToWatch and
/// the calls beside it). Only a trainee of the team can accept it; while it is accepted,
/// instructors may follow the team's open terminals.
struct TerminalWatchView {
  std::int64_t id = 0;
  std::string exercise, team;
  std::string instructor;   ///< who asked
  std::string state;        ///< "asked", "accepted", "declined" or "ended"
  std::string answered_by;  ///< the trainee who accepted or declined
  std::string ended_by;
  std::int64_t changed_at_ms = 0;  ///< Unix time
  bool asked() const { return state == "asked"; }
  bool accepted() const { return state == "accepted"; }
};

/// A team's requests still asked or accepted, and the one that changed (none in the
/// first update of a stream, and after a reconnect: the state as it then is).
struct TerminalWatchesView {
  std::vector<TerminalWatchView> open;
  std::optional<TerminalWatchView> changed;
};

/// An instructor or admin asks `team` of `exercise` to let them watch (asking again
/// returns their open request).
Call<TerminalWatchView> ask_to_watch_async(const Connection& connection,
                                           const std::string& exercise, const std::string& team);
/// A trainee of the team accepts or declines request `id`.
Call<TerminalWatchView> answer_watch_async(const Connection& connection, std::int64_t id,
                                           bool accept);
/// Ends request `id` (the instructor who asked, an admin, or a trainee of the team).
Call<TerminalWatchView> end_watch_async(const Connection& connection, std::int64_t id);
/// Follows a team's requests (subscription.h; a snapshot stream: every update is the
/// whole state). A trainee may leave `team` empty: their own.
Subscription follow_watches_async(const Connection& connection, const std::string& exercise,
                                  const std::string& team,
                                  std::function<void(const TerminalWatchesView&)> on_update,
                                  std::function<void(const StreamEnd&)> on_end = {});

}  // namespace cyrange::client
