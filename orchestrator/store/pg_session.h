#pragma once

// Store-internal like pqxx_access.h: for the PostgreSQL backends of the components
// (exercise, identity, privacy, timeline, inbox). Domain code sees their typed APIs.

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <pqxx/pqxx>

#include <orchestrator/common/expected.h>
#include <orchestrator/store/database.h>

namespace cyrange::store {

/// One PostgreSQL connection behind a mutex, reopened when it was lost; thread-safe.
///
/// The retry rule, the same for every backend: when the connection is lost before or
/// while a transaction runs (pqxx::broken_connection: PostgreSQL restarted, backend
/// killed), the connection is reopened and the whole transaction run once more, so a
/// restart of the database goes unnoticed. That is safe because the first attempt
/// was rolled back with its connection. A commit interrupted by a lost connection
/// (pqxx::in_doubt_error) is reported, never retried: its outcome is unknown. Any
/// other error (bad SQL, a violated constraint) is reported at once. No backoff: the
/// one retry happens immediately and a second loss is reported as unavailable.
class PgSession {
 public:
  /// Checks the schema at `uri` is migrated (failed_precondition naming `cyrange db
  /// migrate`) and connects; reconnects are logged to `log_subsystem`'s logger.
  static Expected<std::unique_ptr<PgSession>> open(const std::string& uri,
                                                   std::string log_subsystem);

  ~PgSession();
  PgSession(const PgSession&) = delete;
  PgSession& operator=(const PgSession&) = delete;

  /// Runs `body` in one transaction and commits when it returns success (an error
  /// rolls back). Exceptions become Errors naming what was being done (`doing`, e.g.
  /// "adding user 'ada'"): unavailable for a lost connection, internal otherwise.
  Status run(std::string_view doing, const std::function<Status(pqxx::work&)>& body);

  /// Runs `body` in one transaction, commits and returns what it returned; errors as run().
  template <class T, class Body>
  Expected<T> fetch(std::string_view doing, Body&& body) {
    std::optional<T> result;
    Status status = run(doing, [&](pqxx::work& tx) -> Status {
      result.emplace(body(tx));
      return Status::success();
    });
    if (!status) return status.error();
    return std::move(*result);
  }

  /// The URI without its password, for messages.
  const std::string& display_uri() const { return display_uri_; }

 private:
  PgSession(std::string uri, std::string log_subsystem, std::unique_ptr<Database> db);

  std::string uri_;
  std::string display_uri_;
  std::string log_subsystem_;
  std::mutex mutex_;
  std::unique_ptr<Database> db_;  // null after a lost connection until reopened
};

}  // namespace cyrange::store
