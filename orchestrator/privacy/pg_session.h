#pragma once

// Privacy-internal: the one PostgreSQL connection of a privacy store and the SQL
// that appends audit rows inside a caller's transaction. Nothing outside
// orchestrator/privacy includes this header.

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <pqxx/pqxx>

#include <orchestrator/common/expected.h>
#include <orchestrator/privacy/audit.h>
#include <orchestrator/store/database.h>

namespace cyrange::privacy::internal {

/// One connection behind a mutex; thread-safe. A connection lost before a
/// transaction started is reopened once; an interrupted commit is reported, never
/// retried, because its outcome is unknown.
class PgSession {
 public:
  /// Connects to `uri` after checking the schema is migrated.
  static Expected<std::unique_ptr<PgSession>> open(const std::string& uri);

  /// Runs `body` in one transaction and commits when it returns success; libpqxx
  /// exceptions become Errors that say what was being done (`doing`).
  Status run(std::string_view doing, const std::function<Status(pqxx::work&)>& body);

  /// The URI without its password, for messages.
  const std::string& display_uri() const { return display_uri_; }

 private:
  PgSession(std::string uri, std::unique_ptr<store::Database> db);

  std::string uri_;
  std::string display_uri_;
  std::mutex mutex_;
  std::unique_ptr<store::Database> db_;  // null after a lost connection until reopened
};

/// Appends `entry` to audit_log inside `tx` and returns the new row's id.
std::int64_t insert_audit(pqxx::work& tx, const AuditEntry& entry);

/// `seconds` since the epoch of a timestamptz column read as
/// extract(epoch FROM ...)::bigint; 0 for NULL.
std::int64_t epoch_of(const pqxx::field& field);

}  // namespace cyrange::privacy::internal
