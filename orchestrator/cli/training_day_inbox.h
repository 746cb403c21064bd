#pragma once

#include <memory>
#include <mutex>
#include <ostream>
#include <set>
#include <string>

#include <client-core/connection.h>
#include <client-core/inbox_client.h>

namespace cyrange::cli {

/// Prints each message of a trainee's inbox as it arrives, one short line
/// ("[inbox] T+00:20:00  team1  Help desk: ..."), read over gRPC with the trainee's own
/// token as the trainee client reads it: the briefing and what came before the watch
/// started first, then every new delivery.
class InboxTicker {
 public:
  /// Starts watching the own team's inbox of `exercise`; lines go to `out`.
  InboxTicker(const client::Connection& trainee, const std::string& exercise, std::ostream& out);
  /// Stops the watch.
  ~InboxTicker();
  InboxTicker(const InboxTicker&) = delete;
  InboxTicker& operator=(const InboxTicker&) = delete;

  /// How many distinct messages arrived so far.
  std::size_t received() const;

 private:
  void show(const client::InboxEntry& entry);

  std::ostream& out_;
  mutable std::mutex mutex_;
  std::set<std::int64_t> seen_;
  client::Subscription watch_;
};

}  // namespace cyrange::cli
