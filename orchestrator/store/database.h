#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <orchestrator/common/expected.h>

namespace cyrange::store {

/// The URI cyrange uses when none is configured: local socket, peer authentication.
inline constexpr std::string_view kDefaultDatabaseUri = "postgresql:///cyrange";

/// `uri` with any password replaced by "***", safe for messages and logs.
std::string redact_uri(std::string_view uri);

namespace internal {
class PqxxAccess;
}  // namespace internal

/// One open PostgreSQL connection. Not thread-safe: each thread (or a mutex) owns
/// one. The libpqxx connection is reachable only from store/ and identity/ through
/// orchestrator/store/pqxx_access.h, so domain code never sees libpqxx types.
class Database {
 public:
  /// Opens a connection; ErrorCode::unavailable names the (redacted) URI and
  /// hints how to start PostgreSQL.
  static Expected<std::unique_ptr<Database>> connect(const std::string& uri);

  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// The URI as given to connect(); may contain a password.
  const std::string& uri() const { return uri_; }

  /// The URI without its password, for messages.
  std::string display_uri() const { return redact_uri(uri_); }

 private:
  friend class internal::PqxxAccess;
  struct Impl;
  Database(std::string uri, std::unique_ptr<Impl> impl);

  std::string uri_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cyrange::store
