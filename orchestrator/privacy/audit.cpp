#include <orchestrator/privacy/audit.h>

#include <orchestrator/identity/identity_store.h>
#include <orchestrator/privacy/pg_sql.h>

namespace cyrange::privacy {

Actor actor_of(const identity::Identity& caller) {
  return Actor{caller.user_id,
               caller.name + " (" + std::string(identity::to_string(caller.role)) + ")"};
}

Actor host_operator() { return Actor{std::nullopt, identity::host_operator_label()}; }

struct PgAuditLog::Impl {
  std::unique_ptr<store::PgSession> session;
};

PgAuditLog::PgAuditLog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PgAuditLog::~PgAuditLog() = default;

Expected<std::unique_ptr<PgAuditLog>> PgAuditLog::open(const std::string& uri) {
  auto session = store::PgSession::open(uri, "privacy");
  if (!session) return session.error();
  auto impl = std::make_unique<Impl>();
  impl->session = std::move(session).value();
  return std::unique_ptr<PgAuditLog>(new PgAuditLog(std::move(impl)));
}

Expected<std::int64_t> PgAuditLog::append(const AuditEntry& entry) {
  std::int64_t id = 0;
  Status st =
      impl_->session->run("writing the audit entry '" + entry.action + "'", [&](pqxx::work& tx) {
        id = internal::insert_audit(tx, entry);
        return Status::success();
      });
  if (!st) return st.error();
  return id;
}

Expected<std::vector<AuditRecord>> PgAuditLog::recent(std::size_t limit,
                                                      std::string_view action_prefix) {
  std::vector<AuditRecord> records;
  Status st = impl_->session->run("reading the audit log", [&](pqxx::work& tx) {
    // starts_with() rather than LIKE: an action prefix is never a pattern.
    auto rows = tx.exec_params(
        "SELECT id, extract(epoch FROM at)::bigint, actor_user_id, action, object, detail::text "
        "FROM audit_log WHERE starts_with(action, $1) ORDER BY id DESC LIMIT $2",
        std::string(action_prefix), static_cast<std::int64_t>(limit));
    for (const auto& r : rows) {
      AuditRecord rec;
      rec.id = r[0].as<std::int64_t>();
      rec.at_unix = internal::epoch_of(r[1]);
      if (!r[2].is_null()) rec.actor_user_id = r[2].as<std::int64_t>();
      rec.action = r[3].as<std::string>();
      rec.object = r[4].as<std::string>();
      rec.detail = nlohmann::json::parse(r[5].as<std::string>(), nullptr, false);
      records.push_back(std::move(rec));
    }
    return Status::success();
  });
  if (!st) return st.error();
  return records;
}

Status append_audit(const std::string& uri, const AuditEntry& entry) {
  auto log = PgAuditLog::open(uri);
  if (!log) return log.error();
  auto id = (*log)->append(entry);
  if (!id) return id.error();
  return Status::success();
}

}  // namespace cyrange::privacy
