#include <orchestrator/store/testing/temp_database.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <thread>

#include <unistd.h>

#include <orchestrator/store/migrations.h>
#include <orchestrator/store/pqxx_access.h>

namespace cyrange::store::testing {
namespace {

std::string server_base() {
  const char* configured = std::getenv("CYRANGE_TEST_PG_SERVER");
  std::string base = configured != nullptr && *configured != '\0' ? configured : "postgresql://";
  // Keep the "//" of the scheme: "postgresql://" + "/name" is the local socket.
  const auto authority = base.find("://");
  const auto keep = authority == std::string::npos ? 0 : authority + 3;
  while (base.size() > keep && base.back() == '/') base.pop_back();
  return base;
}

std::string random_suffix() {
  std::random_device device;
  std::mt19937_64 engine(device());
  std::uniform_int_distribution<unsigned> hex(0, 15);
  std::string suffix;
  for (int i = 0; i < 8; ++i) suffix += "0123456789abcdef"[hex(engine)];
  return suffix;
}

// CREATE/DROP DATABASE cannot run inside a transaction, hence nontransaction.
void run_on_maintenance_db(const std::string& server, const std::string& sql) {
  auto db = Database::connect(server + "/postgres");
  if (!db) throw std::runtime_error(db.error().message);
  pqxx::nontransaction tx(internal::PqxxAccess::connection(**db));
  tx.exec0(sql);
}

}  // namespace

TempDatabase::TempDatabase(Schema schema)
    : server_(server_base()),
      name_("cyrange_test_" + std::to_string(::getpid()) + "_" + random_suffix()),
      uri_(server_ + "/" + name_) {
  try {
    run_on_maintenance_db(server_, "CREATE DATABASE " + name_);
  } catch (const std::exception& e) {
    throw std::runtime_error(
        "Cannot create the temporary test database '" + name_ + "': " + e.what() +
        " Start PostgreSQL with `./cyrange.sh services` (it creates a login role "
        "for this user with CREATEDB) and run the test again.");
  }
  if (schema == Schema::migrated) {
    auto report = migrate(uri_);
    if (!report) {
      const std::string message = report.error().message;
      try {
        run_on_maintenance_db(server_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
      } catch (const std::exception&) {
      }
      throw std::runtime_error("Migrating the temporary test database failed: " + message);
    }
    grant_daemon(daemon_role());
  }
}

std::string TempDatabase::daemon_role() {
  const char* configured = std::getenv("CYRANGE_TEST_PG_DAEMON_ROLE");
  return configured != nullptr && *configured != '\0' ? configured
                                                      : std::string(kDefaultDaemonRole);
}

void TempDatabase::grant_daemon(const std::string& role) {
  auto granted = grant_daemon_role(uri_, role);
  std::string why;
  if (!granted) why = granted.error().message;
  if (granted && *granted == DaemonGrant::no_such_role)
    why = "the PostgreSQL role '" + role + "' does not exist.";
  if (!why.empty()) {
    try {
      run_on_maintenance_db(server_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (const std::exception&) {
    }
    throw std::runtime_error("Cannot give the daemon's role its privileges on '" + name_ +
                             "': " + why +
                             " Run `./cyrange.sh services` (it creates the role and lets this "
                             "user connect as it) and run the test again.");
  }
  daemon_uri_ = uri_ + "?user=" + role;
}

TempDatabase::~TempDatabase() {
  // FORCE ends connections that code under test left open; one retry covers a
  // server that was busy restarting or still reaping those connections.
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      run_on_maintenance_db(server_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
      return;
    } catch (const std::exception& e) {
      if (attempt == 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        continue;
      }
      // A leftover cyrange_test_* database is harmless; say so for manual cleanup.
      std::fprintf(stderr,
                   "warning: could not drop temporary test database '%s' (%s); drop it by hand.\n",
                   name_.c_str(), e.what());
    }
  }
}

std::string TempDatabase::query_one(const std::string& sql) const {
  return query_one_on(uri_, sql);
}

std::string TempDatabase::query_one_as_daemon(const std::string& sql) const {
  return query_one_on(daemon_uri_, sql);
}

std::string TempDatabase::query_one_on(const std::string& uri, const std::string& sql) {
  auto db = Database::connect(uri);
  if (!db) throw std::runtime_error(db.error().message);
  pqxx::work tx(internal::PqxxAccess::connection(**db));
  auto rows = tx.exec(sql);
  tx.commit();
  if (rows.empty() || rows[0][0].is_null()) return {};
  return rows[0][0].c_str();
}

}  // namespace cyrange::store::testing
