#include <orchestrator/privacy/pg_sql.h>

namespace cyrange::privacy::internal {

std::int64_t insert_audit(pqxx::work& tx, const AuditEntry& entry) {
  nlohmann::json detail = entry.detail.is_object() ? entry.detail : nlohmann::json::object();
  // The label says who acted even when there is no user row (the host's operator)
  // or the user is erased later (actor_user_id becomes NULL).
  detail["actor"] = entry.actor.label;
  const std::string detail_text =
      detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  pqxx::result row = entry.actor.user_id
                         ? tx.exec_params(
                               "INSERT INTO audit_log (actor_user_id, action, object, detail) "
                               "VALUES ($1, $2, $3, $4::jsonb) RETURNING id",
                               *entry.actor.user_id, entry.action, entry.object, detail_text)
                         : tx.exec_params(
                               "INSERT INTO audit_log (action, object, detail) "
                               "VALUES ($1, $2, $3::jsonb) RETURNING id",
                               entry.action, entry.object, detail_text);
  return row.at(0).at(0).as<std::int64_t>();
}

std::int64_t epoch_of(const pqxx::field& field) {
  return field.is_null() ? 0 : field.as<std::int64_t>();
}

}  // namespace cyrange::privacy::internal
