#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <client-core/connection.h>
#include <orchestrator/common/expected.h>
#include <orchestrator/identity/identity_store.h>
#include <orchestrator/rpc/server.h>
#include <orchestrator/scoring/score_hub.h>
#include <orchestrator/store/testing/temp_database.h>

namespace cyrange::bench {

/// cyranged's scoring as benchmarks use it: a throw-away database of the local
/// PostgreSQL with an instructor and one trainee per team, the PostgreSQL ledger, and
/// the real gRPC server on loopback (plaintext). Every team has `objectives` objectives
/// named objective_name(k), answered by answer_of(k), 100 points each.
struct BenchBoard {
  std::unique_ptr<store::testing::TempDatabase> db;
  std::shared_ptr<identity::PgIdentityStore> identities;
  std::shared_ptr<scoring::ScoreHub> hub;
  std::unique_ptr<rpc::Server> server;
  std::string instructor_token;
  std::vector<std::string> trainee_tokens;  ///< team i's trainee

  /// A new channel to the server with `token`.
  Expected<client::Connection> connect(const std::string& token) const;
  /// Stops the server.
  ~BenchBoard();
};

/// Team i's name ("team-1"), objective k's id ("q1") and answer ("answer-1").
std::string team_name(std::size_t i);
std::string objective_name(std::size_t k);
std::string answer_of(std::size_t k);

/// Sets the board up for exercise `exercise`.
Expected<std::unique_ptr<BenchBoard>> start_bench_board(const std::string& exercise,
                                                        std::size_t teams, std::size_t objectives);

}  // namespace cyrange::bench
