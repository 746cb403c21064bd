#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <client-core/call.h>
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

/// The four roles of cyrange.
enum class Role { unknown, admin, instructor, designer, trainee };

/// The lower-case name of a role ("instructor").
std::string_view to_string(Role role);

/// Who the server says the caller is.
struct Caller {
  std::int64_t user_id = 0;
  std::string name;  ///< login name
  Role role = Role::unknown;
  std::optional<std::int64_t> team_id;  ///< trainees only
};

/// SystemService; asynchronous calls follow call.h, the blocking forms are built on them.
class SystemClient {
 public:
  /// Uses (and shares) `connection`.
  explicit SystemClient(Connection connection);

  /// Health; needs no token.
  Call<ServerHealth> health_async() const;
  /// Blocking form of health_async.
  Expected<ServerHealth> health() const;
  /// Version; needs a token.
  Call<ServerVersion> version_async() const;
  /// Blocking form of version_async.
  Expected<ServerVersion> version() const;
  /// WhoAmI; needs a token.
  Call<Caller> whoami_async() const;
  /// Blocking form of whoami_async.
  Expected<Caller> whoami() const;

 private:
  Connection connection_;
};

}  // namespace cyrange::client
