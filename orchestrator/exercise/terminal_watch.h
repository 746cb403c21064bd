#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/exercise/range_registry.h>
#include <orchestrator/identity/identity.h>

namespace cyrange::exercise {

/// Where a request to watch a team's terminals live stands.
enum class WatchState { asked, accepted, declined, ended };
std::string_view to_string(WatchState state);

/// An instructor's request to watch one team's terminals live, read-only.
struct TerminalWatch {
  std::int64_t id = 0;
  std::string exercise, team;
  std::string instructor;   ///< who asked
  std::string answered_by;  ///< the trainee who accepted or declined; empty while asked
  std::string ended_by;     ///< who ended it; empty until then
  WatchState state = WatchState::asked;
  std::int64_t changed_unix_ms = 0;
};

/// What a team's watchers learn at every change: the requests still asked or accepted,
/// and the one that changed (absent in the first message of a stream).
struct TerminalWatchUpdate {
  std::vector<TerminalWatch> open;
  std::optional<TerminalWatch> changed;
};

/// Live watch of a team's terminals only with a trainee's yes. An instructor asks; a
/// trainee of that team accepts or declines; either ends it. While a team has an accepted
/// watch, instructors may read its terminals that are still open (TerminalArchive asks
/// watching()); a recording that has ended is a replay and needs no watch. Requests live
/// in memory only: a restart of cyranged ends every watch, which is the safe side. Every
/// request, answer and end is written to the audit log. Thread-safe.
class TerminalWatchDesk {
 public:
  using Sink = std::function<void(const TerminalWatchUpdate&)>;
  using SubscriptionId = std::uint64_t;

  /// Authorises against `registry` (who plays in which team) and audits into it.
  explicit TerminalWatchDesk(std::shared_ptr<RangeRegistry> registry);

  /// An instructor or admin asks to watch `team` of `exercise`. Asking again while their
  /// earlier request is asked or accepted returns that one.
  Expected<TerminalWatch> ask(const identity::Identity& caller, const std::string& exercise,
                              const std::string& team);
  /// A trainee of the request's team accepts or declines it (only while it is asked).
  Expected<TerminalWatch> answer(const identity::Identity& caller, std::int64_t id, bool accept);
  /// The instructor who asked, an admin, or a trainee of the team ends it.
  Expected<TerminalWatch> end(const identity::Identity& caller, std::int64_t id);
  /// True while `team` of `exercise` has an accepted watch.
  bool watching(const std::string& exercise, const std::string& team) const;

  /// The team whose requests `caller` may follow in `exercise`: `team` for staff, their
  /// own for a trainee (who may leave it empty); permission_denied otherwise.
  Expected<std::string> followable_team(const identity::Identity& caller,
                                        const std::string& exercise, const std::string& team);
  /// Calls `sink` at once with the team's open requests and then after every change,
  /// until unsubscribe(); sinks run under the desk's lock, so they must only copy.
  SubscriptionId subscribe(const std::string& exercise, const std::string& team, Sink sink);
  void unsubscribe(SubscriptionId id);

 private:
  struct Watcher {
    std::string exercise, team;
    Sink sink;
  };
  // The request `id`, or not_found; mutex_ held.
  Expected<TerminalWatch*> find_locked(std::int64_t id);
  TerminalWatchUpdate update_locked(const std::string& exercise, const std::string& team) const;
  // Audits `action` on `watch` by `actor`; nothing changes when that fails.
  Status audit(const TerminalWatch& watch, const std::string& action,
               const identity::Identity& actor);
  // Tells the team's watchers of the change and forgets a request that is over.
  TerminalWatch publish_locked(const TerminalWatch& watch);

  std::shared_ptr<RangeRegistry> registry_;
  mutable std::mutex mutex_;
  std::int64_t next_id_ = 1;
  std::map<std::int64_t, TerminalWatch> watches_;  // asked or accepted
  SubscriptionId next_subscription_ = 1;
  std::map<SubscriptionId, Watcher> watchers_;
};

}  // namespace cyrange::exercise
