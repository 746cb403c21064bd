#include <client-core/testing/loopback_server.h>

#include <map>
#include <stdexcept>
#include <string>

#include <orchestrator/config/config.h>
#include <orchestrator/scoring/from_scenario.h>
#include <orchestrator/scoring/ledger_store.h>

namespace cyrange::client::testing {

LoopbackServer::LoopbackServer() : auth_(std::make_shared<identity::FakeAuthenticator>()) {
  auto ledger = std::make_shared<scoring::MemoryLedgerStore>();
  ledger->add_team(11, "red");
  ledger->add_team(12, "blue");
  scores_ = std::make_shared<scoring::ScoreHub>(
      ledger, [](const std::string&) { return std::chrono::milliseconds(0); });
  scoring::ScoringRules rules;
  rules.objectives["q1"] =
      scoring::ObjectiveRules::single(scoring::AnswerRule::normalized("kakuu"), 100);
  rules.objectives["q1"].hints.push_back({"hint-1", 20});
  rules.objectives["q2"] = scoring::ObjectiveRules::single(scoring::AnswerRule::exact("x"), 50);
  // What the teams read of the tasks (ListTasks): the questions and q1's hint.
  std::map<std::string, scoring::ObjectiveTexts> texts;
  texts["q1"].question = {"攻撃者の組織名は？", "Which organisation is the attacker?"};
  texts["q1"].hints["hint-1"] = {"送信元ドメインを見てください。", "Look at the sender's domain."};
  texts["q1"].position = 0;
  texts["q2"].question = {"x と答えてください。", "Answer x."};
  texts["q2"].position = 1;
  if (!scores_->open({"ex",
                      {"red", "blue"},
                      {{"red", rules}, {"blue", rules}},
                      {{"red", {}}, {"blue", {}}},
                      {{"red", texts}, {"blue", texts}}})) {
    throw std::runtime_error("the test score board did not open");
  }
  auth_->add("staff", {1, "ina", identity::Role::instructor, std::nullopt});
  auth_->add("red", {3, "rei", identity::Role::trainee, 11});
  auth_->add("blue", {4, "bo", identity::Role::trainee, 12});
  start();
}

LoopbackServer::~LoopbackServer() { stop(); }

void LoopbackServer::start() {
  config::Config config;
  config.listen_address = address_;
  config.plaintext = true;
  rpc::ServerDeps deps;
  deps.scoring = scores_;
  auto started = rpc::Server::start(config, auth_, std::move(deps));
  if (!started) throw std::runtime_error(started.error().message);
  server_ = std::move(started).value();
  address_ = server_->address();
}

void LoopbackServer::stop() {
  if (!server_) return;
  server_->shutdown(std::chrono::milliseconds(100));
  server_.reset();
}

Connection LoopbackServer::connect(const std::string& token,
                                   std::chrono::milliseconds timeout) const {
  ClientOptions options;
  options.target = address_;
  options.plaintext = true;
  options.token = token;
  options.timeout = timeout;
  options.max_backoff = std::chrono::milliseconds(500);
  return *Connection::open(options);
}

}  // namespace cyrange::client::testing
