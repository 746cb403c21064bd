#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <client-core/connection.h>
#include <orchestrator/identity/fake_authenticator.h>
#include <orchestrator/rpc/server.h>
#include <orchestrator/scoring/score_hub.h>

namespace cyrange::client::testing {

/// cyranged's real gRPC server on loopback (plaintext) with a score board on the
/// in-memory ledger: exercise "ex" with teams red and blue, objective "q1" (answer
/// "kakuu", 100 points, hint-1 costs 20) and "q2" (answer "x", 50 points), with their
/// questions and hint text for ListTasks. Tokens:
/// "staff" (instructor), "red" and "blue" (trainees). restart() stops the server and
/// starts a new one on the same port with the same board, as a restarted cyranged
/// on the same database would be.
class LoopbackServer {
 public:
  LoopbackServer();
  ~LoopbackServer();

  /// host:port of the server.
  const std::string& address() const { return address_; }
  /// A connection with `token` and a short deadline.
  Connection connect(const std::string& token,
                     std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;
  /// Stops serving (open streams end as UNAVAILABLE for their clients).
  void stop();
  /// Serves again on the same port.
  void start();
  /// The score board behind the server.
  scoring::ScoreHub& scores() { return *scores_; }

 private:
  std::shared_ptr<identity::FakeAuthenticator> auth_;
  std::shared_ptr<scoring::ScoreHub> scores_;
  std::unique_ptr<rpc::Server> server_;
  std::string address_ = "127.0.0.1:0";
};

}  // namespace cyrange::client::testing
