#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <client-core/call.h>
#include <client-core/connection.h>
#include <client-core/localized_text.h>
#include <client-core/subscription.h>
#include <orchestrator/common/expected.h>

namespace cyrange::client {

/// What an inbox message is.
enum class InboxKind { briefing, message, notice, other };

/// One message of a team's inbox (briefing, scenario message or notice).
struct InboxEntry {
  std::int64_t id = 0;  ///< grows with delivery; pass the last one to resume
  std::string exercise, team;
  std::string source;  ///< timeline item id, or "briefing"
  InboxKind kind = InboxKind::other;
  std::string sender, subject;
  LocalizedText text;
  double exercise_time = 0;  ///< exercise seconds at delivery
  std::int64_t delivered_unix_ms = 0;
  bool snapshot = false;  ///< sent as part of a watch's initial state
};

/// InboxService, Qt-free; asynchronous calls follow call.h, streams subscription.h.
class InboxClient {
 public:
  /// Uses (and shares) `connection`.
  explicit InboxClient(Connection connection);

  /// Messages of `team` (empty: a trainee's own, every team for staff) after `after_id`.
  Call<std::vector<InboxEntry>> list_async(const std::string& exercise, const std::string& team,
                                           std::int64_t after_id = 0) const;
  /// Blocking form of list_async.
  Expected<std::vector<InboxEntry>> list(const std::string& exercise, const std::string& team,
                                         std::int64_t after_id = 0) const;
  /// The messages after `after_id` (snapshot), then each new one; after a lost link it
  /// resumes after the last message delivered, so none arrives twice.
  Subscription watch(const std::string& exercise, const std::string& team, std::int64_t after_id,
                     std::function<void(const InboxEntry&)> on_message,
                     std::function<void(const StreamEnd&)> on_end = {}) const;

 private:
  Connection connection_;
};

}  // namespace cyrange::client
