#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <client-core/connection.h>
#include <orchestrator/common/expected.h>

namespace cyrange::client {

/// The server's answer to Health.
struct ServerHealth {
  bool serving = false;                           ///< every component is ok
  std::map<std::string, std::string> components;  ///< e.g. "postgresql" -> "ok"
};

/// The server's answer to Version.
struct ServerVersion {
  std::string server_version;   ///< release of cyranged
  unsigned api_revision = 0;    ///< wire API revision
  unsigned schema_version = 0;  ///< database migration the server runs on
};

/// Who the server thinks the caller is.
struct Caller {
  std::int64_t user_id = 0;
  std::string name;                     ///< login name
  std::string role;                     ///< admin, instructor, designer or trainee
  std::optional<std::int64_t> team_id;  ///< trainees only
};

/// SystemService calls with domain results; blocking, one call at a time per thread.
class SystemClient {
 public:
  /// Uses (and shares) `connection`.
  explicit SystemClient(Connection connection);

  /// Health; needs no token.
  Expected<ServerHealth> health() const;
  /// Version; needs a token.
  Expected<ServerVersion> version() const;
  /// WhoAmI; needs a token.
  Expected<Caller> whoami() const;

 private:
  Connection connection_;
};

}  // namespace cyrange::client
