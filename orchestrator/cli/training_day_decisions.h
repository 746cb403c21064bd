#pragma once

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <ostream>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <client-core/connection.h>
#include <client-core/script/trainee_script.h>
#include <client-core/timeline_client.h>

namespace cyrange::cli {

/// The day's instructor in decision steps: for each team, the options its trainee's script
/// states (`decisions:`), each chosen as soon as the timeline presents the step, as a dry
/// run of the script chooses them. Watched over gRPC; chosen on a thread of its own, since
/// a stream's callback must not block on a call.
class DecisionDesk {
 public:
  /// Starts watching every team of `exercise`; one line per choice goes to `out`.
  DecisionDesk(const client::Connection& instructor, const std::string& exercise,
               std::map<std::string, std::vector<client::DecisionChoice>> by_team,
               std::ostream& out);
  /// Stops the watch and the thread.
  ~DecisionDesk();
  DecisionDesk(const DecisionDesk&) = delete;
  DecisionDesk& operator=(const DecisionDesk&) = delete;

 private:
  void seen(const client::TimelineChange& change);
  void run();

  client::TimelineClient timeline_;
  const std::string exercise_;
  const std::map<std::string, std::vector<client::DecisionChoice>> by_team_;
  std::ostream& out_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::pair<std::string, client::DecisionChoice>> queue_;  // (team, choice)
  std::set<std::pair<std::string, std::string>> queued_;              // (team, step)
  bool stopping_ = false;
  std::thread thread_;
  client::Subscription watch_;
};

}  // namespace cyrange::cli
