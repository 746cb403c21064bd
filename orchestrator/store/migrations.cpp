#include <orchestrator/store/migrations.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <set>

#include <orchestrator/common/log.h>
#include <orchestrator/store/database.h>
#include <orchestrator/store/pqxx_access.h>

namespace cyrange::store {
namespace {

// Any fixed key works as long as every migrator uses the same one; "cyrmigr".
constexpr std::int64_t kMigrationLockKey = 0x637972'6d696772;

constexpr const char* kCreateTrackingTable = R"(
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version    int PRIMARY KEY,
    name       text NOT NULL,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  ))";

struct AppliedMigration {
  int version = 0;
  std::string name;
  std::string checksum;
};

bool tracking_table_exists(pqxx::transaction_base& tx) {
  return !tx.exec1("SELECT to_regclass('schema_migrations') IS NULL")[0].as<bool>();
}

std::vector<AppliedMigration> read_applied(pqxx::transaction_base& tx) {
  std::vector<AppliedMigration> applied;
  for (const auto& row :
       tx.exec("SELECT version, name, checksum FROM schema_migrations ORDER BY version")) {
    applied.push_back({row[0].as<int>(), row[1].as<std::string>(), row[2].as<std::string>()});
  }
  return applied;
}

const Migration* find_embedded(int version) {
  for (const auto& m : embedded_migrations()) {
    if (m.version == version) return &m;
  }
  return nullptr;
}

int latest_embedded_version() {
  const auto& all = embedded_migrations();
  return all.empty() ? 0 : all.back().version;
}

int highest_version(const std::vector<AppliedMigration>& applied) {
  int highest = 0;
  for (const auto& a : applied) highest = std::max(highest, a.version);
  return highest;
}

// An applied migration must be byte-identical to the embedded one: otherwise
// databases migrated before and after the edit would silently differ.
Status check_applied(const std::vector<AppliedMigration>& applied, const std::string& display_uri) {
  for (const auto& a : applied) {
    const Migration* embedded = find_embedded(a.version);
    const auto label = migration_label(a.version, a.name);
    if (embedded == nullptr) {
      return make_error(
          ErrorCode::failed_precondition,
          "Database '" + display_uri + "' has migration " + label +
              " applied, which this cyrange build does not contain (it knows up to "
              "version " +
              std::to_string(latest_embedded_version()) +
              "). Use the cyrange version that migrated this database, or a newer one.");
    }
    if (embedded->checksum != a.checksum) {
      return make_error(
          ErrorCode::failed_precondition,
          "Migration " + label + " was changed after it was applied to database '" + display_uri +
              "' (recorded checksum " + a.checksum + ", this build has " +
              std::string(embedded->checksum) +
              "). Applied migrations must never change: restore the original " + label +
              ".sql, put the change into a new migration file, and run `cyrange db migrate`.");
    }
  }
  return Status::success();
}

// Releases the session-level advisory lock even when migrate() returns early.
class MigrationLock {
 public:
  explicit MigrationLock(pqxx::connection& conn) : conn_(conn) {
    pqxx::nontransaction tx(conn_);
    tx.exec_params("SELECT pg_advisory_lock($1)", kMigrationLockKey);
  }
  ~MigrationLock() {
    try {
      pqxx::nontransaction tx(conn_);
      tx.exec_params("SELECT pg_advisory_unlock($1)", kMigrationLockKey);
    } catch (const std::exception&) {
      // A lost connection released the lock already.
    }
  }
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;

 private:
  pqxx::connection& conn_;
};

}  // namespace

std::string migration_label(int version, std::string_view name) {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%04d", version);
  return std::string(digits) + "_" + std::string(name);
}

Expected<MigrationReport> migrate(const std::string& uri, int up_to_version) {
  auto db = Database::connect(uri);
  if (!db) return db.error();
  const auto display = (*db)->display_uri();
  auto& conn = internal::PqxxAccess::connection(**db);
  auto logger = log::get("store");
  try {
    MigrationLock lock(conn);
    {
      pqxx::work tx(conn);
      tx.exec0(kCreateTrackingTable);
      tx.commit();
    }
    std::vector<AppliedMigration> applied;
    {
      pqxx::work tx(conn);
      applied = read_applied(tx);
      tx.commit();
    }
    if (auto status = check_applied(applied, display); !status) return status.error();

    std::set<int> done;
    for (const auto& a : applied) done.insert(a.version);
    MigrationReport report{highest_version(applied), highest_version(applied), {}};

    for (const auto& m : embedded_migrations()) {
      if (done.count(m.version) != 0) continue;
      if (up_to_version > 0 && m.version > up_to_version) break;
      const auto label = migration_label(m.version, m.name);
      try {
        pqxx::work tx(conn);
        tx.exec(std::string(m.sql));
        tx.exec_params0(
            "INSERT INTO schema_migrations (version, name, checksum, applied_at) "
            "VALUES ($1, $2, $3, now())",
            m.version, std::string(m.name), std::string(m.checksum));
        tx.commit();
      } catch (const pqxx::sql_error& e) {
        return make_error(ErrorCode::internal, "Migration " + label + " failed on database '" +
                                                   display + "': " + internal::one_line(e.what()) +
                                                   ". Nothing of this migration was applied; fix " +
                                                   label +
                                                   ".sql and run `cyrange db migrate` again.");
      }
      logger->info("Applied migration {} to database '{}'.", label, display);
      report.applied.push_back(label);
      report.to_version = std::max(report.to_version, m.version);
    }
    return report;
  } catch (const std::exception& e) {
    Error error = internal::to_error(e, "migrating the schema", display);
    if (error.message.find("permission denied") != std::string::npos) {
      // The daemon's role has no DDL on purpose (migration 0015).
      error.message +=
          " Migrate as the schema's owner (the user that created the database), "
          "not as the role cyranged connects as; pass its URI with --db.";
      error.message_ja =
          "スキーマの所有者として（cyranged のロールではなく）--db で接続先を指定"
          "して `cyrange db migrate` を実行してください。";
    }
    return error;
  }
}

Expected<DaemonGrant> grant_daemon_role(const std::string& uri, std::string_view role) {
  auto db = Database::connect(uri);
  if (!db) return db.error();
  const auto display = (*db)->display_uri();
  try {
    pqxx::work tx(internal::PqxxAccess::connection(**db));
    if (tx.exec_params("SELECT 1 FROM pg_roles WHERE rolname = $1", std::string(role)).empty())
      return DaemonGrant::no_such_role;
    if (tx.exec1("SELECT to_regprocedure('cyrange_grant_daemon(name)') IS NULL")[0].as<bool>()) {
      return make_error(ErrorCode::failed_precondition,
                        "Database '" + display +
                            "' has no cyrange_grant_daemon() yet; run `cyrange db migrate` first.",
                        "データベース '" + display +
                            "' は古いスキーマです。先に `cyrange db migrate` を実行してください。");
    }
    tx.exec_params("SELECT cyrange_grant_daemon($1)", std::string(role));
    tx.commit();
    return DaemonGrant::granted;
  } catch (const std::exception& e) {
    return internal::to_error(e, "granting the privileges of role '" + std::string(role) + "'",
                              display);
  }
}

Expected<SchemaState> verify_schema(const std::string& uri) {
  auto db = Database::connect(uri);
  if (!db) return db.error();
  const auto display = (*db)->display_uri();
  try {
    pqxx::read_transaction tx(internal::PqxxAccess::connection(**db));
    const int latest = latest_embedded_version();
    if (!tracking_table_exists(tx)) {
      return make_error(ErrorCode::failed_precondition,
                        "Database '" + display +
                            "' has no cyrange schema yet (version 0, this build needs " +
                            std::to_string(latest) + "). Run `cyrange db migrate` to create it.");
    }
    const auto applied = read_applied(tx);
    if (auto status = check_applied(applied, display); !status) return status.error();

    std::set<int> done;
    for (const auto& a : applied) done.insert(a.version);
    std::string pending;
    for (const auto& m : embedded_migrations()) {
      if (done.count(m.version) != 0) continue;
      if (!pending.empty()) pending += ", ";
      pending += migration_label(m.version, m.name);
    }
    if (!pending.empty()) {
      return make_error(ErrorCode::failed_precondition,
                        "Database '" + display + "' is at schema version " +
                            std::to_string(highest_version(applied)) +
                            " but this cyrange needs version " + std::to_string(latest) +
                            " (pending: " + pending + "). Run `cyrange db migrate` to apply them.");
    }
    const bool owner = tx.exec1(
                             "SELECT pg_has_role(relowner, 'USAGE') FROM pg_class WHERE oid = "
                             "to_regclass('audit_log')")[0]
                           .as<bool>();
    return SchemaState{highest_version(applied), latest, owner};
  } catch (const std::exception& e) {
    return internal::to_error(e, "reading the schema version", display);
  }
}

}  // namespace cyrange::store
