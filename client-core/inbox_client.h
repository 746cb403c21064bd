#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <client-core/connection.h>
#include <orchestrator/common/expected.h>

namespace cyrange::client {

/// One message of a team's inbox (briefing, scenario message or notice).
struct InboxEntry {
  std::int64_t id = 0;  ///< grows with delivery; pass the last one to resume
  std::string exercise, team;
  std::string source;  ///< timeline item id, or "briefing"
  std::string kind;    ///< briefing, message or notice
  std::string sender, subject;
  std::string text_ja, text_en;
  double exercise_time = 0;  ///< exercise seconds at delivery
  std::int64_t delivered_unix_ms = 0;
  bool snapshot = false;  ///< sent as part of a watch's initial state
};

/// A running WatchMessages stream; destroying it cancels the stream.
class InboxWatch {
 public:
  virtual ~InboxWatch() = default;
  /// Cancels the stream and waits until its callbacks have stopped.
  virtual void stop() = 0;
};

/// InboxService calls with domain results. list() blocks; watch() calls back on its own
/// thread.
class InboxClient {
 public:
  /// Uses (and shares) `connection`.
  explicit InboxClient(Connection connection);

  /// Messages of `team` (empty: a trainee's own, every team for staff) after `after_id`.
  Expected<std::vector<InboxEntry>> list(const std::string& exercise, const std::string& team,
                                         std::int64_t after_id = 0) const;
  /// The messages after `after_id` (snapshot), then each new one, to `on_message`; then
  /// `on_end` once with why the stream ended. Both run on the watch's thread.
  std::unique_ptr<InboxWatch> watch(const std::string& exercise, const std::string& team,
                                    std::int64_t after_id,
                                    std::function<void(const InboxEntry&)> on_message,
                                    std::function<void(const Error&)> on_end) const;

 private:
  Connection connection_;
};

}  // namespace cyrange::client
