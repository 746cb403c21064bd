#pragma once

// Store-internal: only orchestrator/store and orchestrator/identity include this.
// Everything else talks to PostgreSQL through their typed APIs.

#include <exception>
#include <string>
#include <string_view>

#include <pqxx/pqxx>

#include <orchestrator/common/expected.h>
#include <orchestrator/store/database.h>

namespace cyrange::store::internal {

/// Hands the libpqxx connection of a Database to store-internal code.
class PqxxAccess {
 public:
  /// The underlying connection; valid while `db` lives.
  static pqxx::connection& connection(Database& db);
};

/// True when `error` means the server connection is gone (restart, network, kill).
bool is_connection_lost(const std::exception& error);

/// Maps an exception thrown while `doing` (e.g. "reading the schema version") to an
/// Error: lost connections become ErrorCode::unavailable with the start hint,
/// everything else ErrorCode::internal with the server's message.
Error to_error(const std::exception& error, std::string_view doing, const std::string& display_uri);

/// `text` on one line: libpq's multi-line messages joined with single spaces.
std::string one_line(std::string_view text);

/// The "PostgreSQL is not reachable" sentence shared by connect() and to_error().
std::string unavailable_message(const std::string& display_uri, std::string_view detail);

}  // namespace cyrange::store::internal
