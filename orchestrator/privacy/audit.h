#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <orchestrator/common/expected.h>
#include <orchestrator/identity/identity.h>

namespace cyrange::privacy {

/// Who did something: a signed-in user, or the operator of the host running `cyrange`.
struct Actor {
  std::optional<std::int64_t> user_id;  ///< null: the host's operator on the command line
  std::string label;                    ///< "alice (trainee)", "operator root@host"
};

/// The signed-in caller as an Actor.
Actor actor_of(const identity::Identity& caller);

/// The operating-system user running this process, as an Actor without user id.
Actor host_operator();

/// One line for the audit log: who did what to which object, with details.
struct AuditEntry {
  Actor actor;
  std::string action;  ///< "research.export", "recording.export", "consent.withdraw", ...
  std::string object;  ///< "exercise:kakuu", "terminal_session:42", "user:7"
  nlohmann::json detail = nlohmann::json::object();  ///< no names or e-mail addresses
};

/// One audit_log row as read back.
struct AuditRecord {
  std::int64_t id = 0;
  std::int64_t at_unix = 0;
  std::optional<std::int64_t> actor_user_id;
  std::string action;
  std::string object;
  nlohmann::json detail;
};

/// The audit log in PostgreSQL: who viewed, exported or deleted recordings and
/// consents. Append-only from cyrange's side. Thread-safe.
class PgAuditLog {
 public:
  /// Connects to `uri`; failed_precondition when the schema is not migrated.
  static Expected<std::unique_ptr<PgAuditLog>> open(const std::string& uri);

  ~PgAuditLog();
  PgAuditLog(const PgAuditLog&) = delete;
  PgAuditLog& operator=(const PgAuditLog&) = delete;

  /// Appends `entry` and returns its id.
  Expected<std::int64_t> append(const AuditEntry& entry);

  /// The newest `limit` rows whose action starts with `action_prefix`, newest first.
  Expected<std::vector<AuditRecord>> recent(std::size_t limit, std::string_view action_prefix = {});

 private:
  struct Impl;
  explicit PgAuditLog(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Appends one entry on a connection of its own: for callers that export or show
/// recordings outside the privacy stores (e.g. `cyrange export terminal`).
Status append_audit(const std::string& uri, const AuditEntry& entry);

}  // namespace cyrange::privacy
