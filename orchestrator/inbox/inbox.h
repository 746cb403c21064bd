#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/identity/identity.h>
#include <orchestrator/scenario/scenario.h>

namespace cyrange::inbox {

/// One message in a team's inbox: the scenario's briefing, a scenario message or a
/// notice step (ISP, bank, press, CISO), in Japanese and English.
struct InboxMessage {
  std::int64_t id = 0;  ///< assigned when stored; increases with delivery
  std::string exercise;
  std::string team;
  std::string source;  ///< the timeline item id, or "briefing"
  std::string kind;    ///< briefing, message or notice
  std::string sender;
  std::string subject;
  std::string text_ja;
  std::string text_en;
  double exercise_time = 0;            ///< exercise seconds at delivery
  std::int64_t delivered_unix_ms = 0;  ///< wall clock at delivery (set by the store)
};

/// Where delivered messages live; PostgreSQL (migration 0009_inbox) or memory (tests).
/// Implementations are thread-safe.
class InboxStore {
 public:
  virtual ~InboxStore() = default;
  /// Stores `message` once per (exercise, team, source): the stored copy when it is
  /// new, nullopt when that source was delivered to that team before.
  virtual Expected<std::optional<InboxMessage>> add(const InboxMessage& message) = 0;
  /// Messages of `exercise` for `team` (every team when empty) with id > `after_id`, by id.
  virtual Expected<std::vector<InboxMessage>> list(const std::string& exercise,
                                                   const std::string& team,
                                                   std::int64_t after_id) = 0;
  /// The name of the team with identity id `team_id`, if it exists.
  virtual Expected<std::optional<std::string>> team_name(std::int64_t team_id) = 0;
};

/// InboxStore in memory, for unit tests; same semantics as the PostgreSQL one.
class MemoryInboxStore : public InboxStore {
 public:
  Expected<std::optional<InboxMessage>> add(const InboxMessage& message) override;
  Expected<std::vector<InboxMessage>> list(const std::string& exercise, const std::string& team,
                                           std::int64_t after_id) override;
  Expected<std::optional<std::string>> team_name(std::int64_t team_id) override;
  /// Declares team `name` with identity id `team_id`.
  void add_team(std::int64_t team_id, const std::string& name);

 private:
  std::mutex mutex_;
  std::vector<InboxMessage> messages_;
  std::map<std::int64_t, std::string> teams_;
};

/// The trainees' inboxes of one daemon: delivers each message once, durably, then
/// hands it to the watchers of its team. Trainees read only their own team's inbox;
/// instructors and admins any team's (or all, with an empty team); designers none.
/// Thread-safe.
class Inbox {
 public:
  /// Identifies one subscription for unsubscribe().
  using SubscriptionId = std::uint64_t;
  /// Receives each newly delivered message; must not block or call back into the inbox.
  using Sink = std::function<void(const InboxMessage&)>;

  /// `store` must be non-null.
  explicit Inbox(std::shared_ptr<InboxStore> store);

  /// Stores `message` and notifies the watchers of its team; delivering the same source
  /// to the same team again changes nothing (exactly once across restarts).
  Status deliver(const InboxMessage& message);
  /// Delivers the scenario's briefing (variables of each team filled in from `seed`) to
  /// every team at exercise time 0; nothing when the scenario has none.
  Status deliver_briefing(const std::string& exercise, const scenario::Scenario& scenario,
                          const std::vector<std::string>& teams, std::uint64_t seed);
  /// The team whose inbox `caller` may read when asking for `team`: a trainee's own
  /// team ("" or its name), any team (or "" for all) for staff; permission_denied else.
  Expected<std::string> authorize(const identity::Identity& caller, const std::string& exercise,
                                  const std::string& team);
  /// The messages of an authorised team ("" = every team) with id > `after_id`.
  Expected<std::vector<InboxMessage>> list(const std::string& exercise, const std::string& team,
                                           std::int64_t after_id);
  /// Calls `sink` for every message delivered from now on to (`exercise`, `team`);
  /// an empty team watches every team.
  SubscriptionId subscribe(const std::string& exercise, const std::string& team, Sink sink);
  /// Ends a subscription; once it returns, its sink is never called again.
  void unsubscribe(SubscriptionId id);

 private:
  struct Watcher {
    std::string exercise, team;
    Sink sink;
  };
  std::shared_ptr<InboxStore> store_;
  std::mutex mutex_;  // held while sinks run, so unsubscribe() means "never again"
  SubscriptionId next_ = 1;
  std::map<SubscriptionId, Watcher> watchers_;
};

}  // namespace cyrange::inbox
