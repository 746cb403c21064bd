#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <orchestrator/common/expected.h>

namespace cyrange::store {

/// One SQL migration compiled into the binary from migrations/NNNN_name.sql.
struct Migration {
  int version = 0;            ///< NNNN of the file name
  std::string_view name;      ///< the part after NNNN_, without ".sql"
  std::string_view sql;       ///< the file content, byte for byte
  std::string_view checksum;  ///< SHA-256 of the file, lower-case hex
};

/// All embedded migrations in ascending version order.
const std::vector<Migration>& embedded_migrations();

/// "0001_identity": how messages and reports name a migration.
std::string migration_label(int version, std::string_view name);

/// What one migrate() run did.
struct MigrationReport {
  int from_version;                  ///< schema version before the run (0: empty database)
  int to_version;                    ///< schema version after the run
  std::vector<std::string> applied;  ///< labels of the migrations applied, in order
};

/// Applies every pending migration, each in its own transaction, under an advisory
/// lock so concurrent migrators never race. A changed already-applied migration is
/// ErrorCode::failed_precondition naming it. A positive `up_to_version` stops after
/// that migration (for staged upgrades and tests); 0 applies everything.
Expected<MigrationReport> migrate(const std::string& uri, int up_to_version = 0);

/// The role cyranged connects as unless told otherwise (scripts/services.sh creates it).
inline constexpr std::string_view kDefaultDaemonRole = "cyranged";

/// Whether grant_daemon_role() found the role.
enum class DaemonGrant { granted, no_such_role };

/// Gives `role` the privileges of cyranged on the migrated schema at `uri`
/// (cyrange_grant_daemon() of migration 0015): data only, no DDL, INSERT and SELECT on the
/// audit log, INSERT, SELECT and the redaction of personal fields on the score ledger. Run by
/// the owner after migrate() (tables added by later migrations get their grants then).
/// no_such_role when the role does not exist in the cluster; failed_precondition before
/// migration 0015.
Expected<DaemonGrant> grant_daemon_role(const std::string& uri, std::string_view role);

/// The schema version of a database and the one this build expects.
struct SchemaState {
  int current_version;  ///< highest applied migration (0: none)
  int latest_version;   ///< highest embedded migration
  /// The connection's role owns the audit log: it could drop the append-only guard, so
  /// cyranged should connect as the daemon's role instead (see grant_daemon_role()).
  bool owns_audit_log;
};

/// Checks that the database is fully migrated with unchanged migrations; otherwise
/// ErrorCode::failed_precondition telling to run `cyrange db migrate`.
Expected<SchemaState> verify_schema(const std::string& uri);

}  // namespace cyrange::store
