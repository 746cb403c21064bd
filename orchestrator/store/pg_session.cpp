#include <orchestrator/store/pg_session.h>

#include <orchestrator/common/log.h>
#include <orchestrator/store/migrations.h>
#include <orchestrator/store/pqxx_access.h>

namespace cyrange::store {

PgSession::PgSession(std::string uri, std::string log_subsystem, std::unique_ptr<Database> db)
    : uri_(std::move(uri)),
      display_uri_(db->display_uri()),
      log_subsystem_(std::move(log_subsystem)),
      db_(std::move(db)) {}

PgSession::~PgSession() = default;

Expected<std::unique_ptr<PgSession>> PgSession::open(const std::string& uri,
                                                     std::string log_subsystem) {
  if (auto schema = verify_schema(uri); !schema) return schema.error();
  auto db = Database::connect(uri);
  if (!db) return db.error();
  return std::unique_ptr<PgSession>(
      new PgSession(uri, std::move(log_subsystem), std::move(db).value()));
}

Status PgSession::run(std::string_view doing, const std::function<Status(pqxx::work&)>& body) {
  std::lock_guard lock(mutex_);
  for (int attempt = 1;; ++attempt) {
    try {
      if (!db_) {
        auto fresh = Database::connect(uri_);
        if (!fresh) return fresh.error();
        db_ = std::move(fresh).value();
      }
      pqxx::work tx(internal::PqxxAccess::connection(*db_));
      Status status = body(tx);
      if (status) tx.commit();
      return status;
    } catch (const pqxx::in_doubt_error& e) {
      // The commit may or may not have happened: running the body again could do
      // its work twice, so the caller hears of it instead.
      db_.reset();
      log::get(log_subsystem_)
          ->warn("Connection to '{}' was lost while committing ({}); not retried.", display_uri_,
                 doing);
      return internal::to_error(e, doing, display_uri_);
    } catch (const pqxx::broken_connection& e) {
      db_.reset();
      if (attempt == 1) {
        log::get(log_subsystem_)
            ->warn("Connection to '{}' was lost while {}; reconnecting.", display_uri_, doing);
        continue;
      }
      return internal::to_error(e, doing, display_uri_);
    } catch (const std::exception& e) {
      return internal::to_error(e, doing, display_uri_);
    }
  }
}

}  // namespace cyrange::store
