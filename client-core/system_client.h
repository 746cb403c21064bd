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
  std::optional<std::int64_t> team_id;       ///< trainees only
  std::optional<std::string> exercise_id{};  ///< a joined trainee: the only exercise it may use
};

/// What redeeming a join code gives: a new trainee's token, valid in one exercise only.
struct JoinResult {
  std::string token;  ///< open a new Connection with it (and store it, mode 0600)
  std::string exercise_id;
  std::string team;
  std::string user_name;  ///< "<team>-<random hex>": no personal data
  std::int64_t expires_at_unix_ms = 0;
  std::string course_id;  ///< a course code's course (exercise_id empty): open the courses
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
  /// Join: redeems the code an instructor handed out. Needs no token, so it works on a
  /// Connection opened with an empty ClientOptions::token. Errors: not_found (unknown or
  /// replaced code), failed_precondition (expired code, ended exercise), resource_exhausted
  /// (too many wrong codes from this computer; the message says how long to wait).
  Call<JoinResult> join_async(const std::string& code) const;
  /// Blocking form of join_async.
  Expected<JoinResult> join(const std::string& code) const;
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
