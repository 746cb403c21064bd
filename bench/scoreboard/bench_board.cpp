#include <bench/scoreboard/bench_board.h>

#include <chrono>

#include <orchestrator/config/config.h>
#include <orchestrator/scoring/pg_ledger_store.h>

namespace cyrange::bench {

std::string team_name(std::size_t i) { return "team-" + std::to_string(i + 1); }
std::string objective_name(std::size_t k) { return "q" + std::to_string(k + 1); }
std::string answer_of(std::size_t k) { return "answer-" + std::to_string(k + 1); }

BenchBoard::~BenchBoard() {
  if (server) server->shutdown(std::chrono::milliseconds(100));
}

Expected<client::Connection> BenchBoard::connect(const std::string& token) const {
  client::ClientOptions options;
  options.target = server->address();
  options.plaintext = true;  // loopback only
  options.token = token;
  return client::Connection::open(options);
}

Expected<std::unique_ptr<BenchBoard>> start_bench_board(const std::string& exercise,
                                                        std::size_t teams, std::size_t objectives) {
  auto board = std::make_unique<BenchBoard>();
  try {
    board->db = std::make_unique<store::testing::TempDatabase>();
  } catch (const std::exception& e) {
    return make_error(ErrorCode::unavailable, e.what());
  }
  auto opened = identity::PgIdentityStore::open(board->db->uri());
  if (!opened) return opened.error();
  board->identities = std::move(opened).value();
  auto& ids = *board->identities;
  if (auto added = ids.add_user({"bench-instructor", identity::Role::instructor, {}, "", ""});
      !added) {
    return added.error();
  }
  scoring::ScoringRules rules;
  for (std::size_t k = 0; k < objectives; ++k) {
    rules.objectives[objective_name(k)] =
        scoring::ObjectiveRules::single(scoring::AnswerRule::normalized(answer_of(k)), 100);
  }
  scoring::ExerciseScoring setup;
  setup.exercise_id = exercise;
  for (std::size_t i = 0; i < teams; ++i) {
    const std::string team = team_name(i);
    const std::string user = "bench-trainee-" + std::to_string(i + 1);
    if (auto added = ids.add_user({user, identity::Role::trainee, team, "", ""}); !added) {
      return added.error();
    }
    auto token = ids.issue_token(user, std::chrono::hours(1));
    if (!token) return token.error();
    board->trainee_tokens.push_back(token->token);
    setup.teams.push_back(team);
    setup.team_rules[team] = rules;
    setup.team_variables[team] = {};
  }
  auto instructor_token = ids.issue_token("bench-instructor", std::chrono::hours(1));
  if (!instructor_token) return instructor_token.error();
  board->instructor_token = instructor_token->token;

  auto ledger = scoring::PgLedgerStore::open(board->db->uri());
  if (!ledger) return ledger.error();
  board->hub = std::make_shared<scoring::ScoreHub>(std::move(ledger).value());
  if (auto status = board->hub->open(setup); !status) return status.error();

  config::Config config;
  config.listen_address = "127.0.0.1:0";
  config.plaintext = true;
  // The bench measures the board's fan-out; --objectives may exceed what one trainee sends.
  config.answer_rate_per_minute = 0;
  rpc::ServerDeps deps;
  deps.scoring = board->hub;
  auto server = rpc::Server::start(config, board->identities, std::move(deps));
  if (!server) return server.error();
  board->server = std::move(server).value();
  return board;
}

}  // namespace cyrange::bench
