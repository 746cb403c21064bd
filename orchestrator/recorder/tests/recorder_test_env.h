#pragma once

// A real recording stack for integration tests and the ingest bench: a migrated
// throw-away database, PgIdentityStore with two trainees of different teams, one
// exercise per team, the IngestPipeline and rpc::Server on 127.0.0.1.

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include <pqxx/pqxx>

#include <orchestrator/identity/identity_store.h>
#include <orchestrator/privacy/consent_cache.h>
#include <orchestrator/privacy/consent_desk.h>
#include <orchestrator/privacy/pg_consent_store.h>
#include <orchestrator/recorder/ingest_pipeline.h>
#include <orchestrator/rpc/server.h>
#include <orchestrator/store/database.h>
#include <orchestrator/store/pqxx_access.h>
#include <orchestrator/store/testing/temp_database.h>

namespace cyrange::recorder::testing {

/// A fresh directory under /tmp (a client's buffer), removed with what it holds.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    char tmpl[] = "/tmp/cyrange-rec-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
    path = tmpl;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

/// Runs `sql` on `uri` and returns the first field of the first row as text.
inline std::string query_one(const std::string& uri, const std::string& sql) {
  auto db = store::Database::connect(uri);
  if (!db) throw std::runtime_error(db.error().message);
  pqxx::work tx(store::internal::PqxxAccess::connection(**db));
  auto rows = tx.exec(sql);
  tx.commit();
  if (rows.empty() || rows[0][0].is_null()) return {};
  return rows[0][0].c_str();
}

struct RecordingStack {
  store::testing::TempDatabase db;
  std::shared_ptr<identity::PgIdentityStore> identities;
  std::int64_t red_team = 0, blue_team = 0;
  std::int64_t alice_id = 0;
  std::string alice_token, bob_token, carol_token;  // alice: red, bob: blue, carol: instructor
  std::shared_ptr<IngestPipeline> pipeline;
  std::shared_ptr<privacy::ConsentCache> consents;
  std::unique_ptr<rpc::Server> server;
  std::string listen = "127.0.0.1:0";

  RecordingStack() {
    auto opened = identity::PgIdentityStore::open(db.uri());
    if (!opened) throw std::runtime_error(opened.error().message);
    identities = std::move(opened).value();
    alice_id = must(identities->add_user(
        {"alice", identity::Role::trainee, "red", "Alice A", "a@example.org"}));
    must(identities->add_user({"bob", identity::Role::trainee, "blue", "", ""}));
    must(identities->add_user({"carol", identity::Role::instructor, std::nullopt, "", ""}));
    red_team = must(identities->ensure_team("red"));
    blue_team = must(identities->ensure_team("blue"));
    alice_token = must(identities->issue_token("alice", std::chrono::hours(1))).token;
    bob_token = must(identities->issue_token("bob", std::chrono::hours(1))).token;
    carol_token = must(identities->issue_token("carol", std::chrono::hours(1))).token;
    query_one(db.uri(),
              "INSERT INTO exercises (id, scenario_id, scenario_hash, state) VALUES "
              "('ex-red', 's', 'h', 'running'), ('ex-blue', 's', 'h', 'running');"
              "INSERT INTO exercise_teams VALUES ('ex-red', " +
                  std::to_string(red_team) + "), ('ex-blue', " + std::to_string(blue_team) + ")");
    // Alice and bob agreed to recording in their exercises (to the current text).
    query_one(db.uri(),
              "INSERT INTO consents (user_id, exercise_id, purpose, version) "
              "SELECT u.id, e.id, 'scoring', (SELECT max(version) FROM consent_texts "
              "WHERE purpose = 'scoring') FROM users u JOIN exercise_teams et ON "
              "et.team_id = u.team_id JOIN exercises e ON e.id = et.exercise_id "
              "WHERE u.name IN ('alice', 'bob')");
    start();
  }

  template <class T>
  static T must(Expected<T> value) {
    if (!value) throw std::runtime_error(value.error().message);
    return std::move(value).value();
  }

  /// Starts pipeline and server; after a stop() on the same port as before.
  void start() {
    auto started = IngestPipeline::start(db.uri());
    if (!started) throw std::runtime_error(started.error().message);
    pipeline = std::move(started).value();
    config::Config config;
    config.listen_address = listen;
    config.plaintext = true;
    rpc::ServerDeps deps;
    deps.recorder = pipeline;
    // As in cyranged: trainees give consent over PrivacyService, the recorder
    // answers from the cache the desk invalidates.
    auto consent_store = privacy::PgConsentStore::open(db.uri());
    if (!consent_store) throw std::runtime_error(consent_store.error().message);
    std::shared_ptr<privacy::ConsentStore> store = std::move(consent_store).value();
    consents = std::make_shared<privacy::ConsentCache>(store);
    deps.privacy = std::make_shared<privacy::ConsentDesk>(store, consents);
    deps.consents = consents;
    auto srv = rpc::Server::start(config, identities, std::move(deps));
    if (!srv) throw std::runtime_error(srv.error().message);
    server = std::move(srv).value();
    listen = server->address();
  }

  /// Stops the server as a killed daemon would: streams are cancelled at once.
  void stop() {
    server->shutdown(std::chrono::milliseconds(0));
    server.reset();
    pipeline.reset();
  }

  ~RecordingStack() {
    if (server) stop();
  }
};

}  // namespace cyrange::recorder::testing
