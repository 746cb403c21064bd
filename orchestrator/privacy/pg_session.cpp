#include <orchestrator/privacy/pg_session.h>

#include <orchestrator/common/log.h>
#include <orchestrator/store/migrations.h>
#include <orchestrator/store/pqxx_access.h>

namespace cyrange::privacy::internal {

PgSession::PgSession(std::string uri, std::unique_ptr<store::Database> db)
    : uri_(std::move(uri)), display_uri_(db->display_uri()), db_(std::move(db)) {}

Expected<std::unique_ptr<PgSession>> PgSession::open(const std::string& uri) {
  if (auto schema = store::verify_schema(uri); !schema) return schema.error();
  auto db = store::Database::connect(uri);
  if (!db) return db.error();
  return std::unique_ptr<PgSession>(new PgSession(uri, std::move(db).value()));
}

Status PgSession::run(std::string_view doing, const std::function<Status(pqxx::work&)>& body) {
  std::lock_guard lock(mutex_);
  for (int attempt = 0;; ++attempt) {
    try {
      if (!db_) {
        auto fresh = store::Database::connect(uri_);
        if (!fresh) return fresh.error();
        db_ = std::move(fresh).value();
      }
      pqxx::work tx(store::internal::PqxxAccess::connection(*db_));
      Status status = body(tx);
      if (status) tx.commit();
      return status;
    } catch (const pqxx::broken_connection& e) {
      db_.reset();
      if (attempt == 0) {
        log::get("privacy")->warn("Connection to '{}' was lost while {}; reconnecting.",
                                  display_uri_, doing);
        continue;
      }
      return store::internal::to_error(e, doing, display_uri_);
    } catch (const std::exception& e) {
      if (store::internal::is_connection_lost(e)) db_.reset();
      return store::internal::to_error(e, doing, display_uri_);
    }
  }
}

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
