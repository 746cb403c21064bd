#pragma once

// Privacy-internal: SQL the privacy stores share, run inside a caller's transaction
// of a store::PgSession. Nothing outside orchestrator/privacy includes this header.

#include <cstdint>

#include <pqxx/pqxx>

#include <orchestrator/privacy/audit.h>
#include <orchestrator/store/pg_session.h>

namespace cyrange::privacy::internal {

/// Appends `entry` to audit_log inside `tx` and returns the new row's id.
std::int64_t insert_audit(pqxx::work& tx, const AuditEntry& entry);

/// `seconds` since the epoch of a timestamptz column read as
/// extract(epoch FROM ...)::bigint; 0 for NULL.
std::int64_t epoch_of(const pqxx::field& field);

}  // namespace cyrange::privacy::internal
