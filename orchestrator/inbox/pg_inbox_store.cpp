#include <orchestrator/inbox/pg_inbox_store.h>

#include <orchestrator/store/pg_session.h>

namespace cyrange::inbox {
namespace {

constexpr const char* kColumns =
    "id, exercise_id, team, source, kind, sender, subject, text_ja, text_en, exercise_time, "
    "(extract(epoch FROM delivered_at) * 1000)::bigint";

InboxMessage from_row(const pqxx::row& row) {
  InboxMessage m;
  m.id = row[0].as<std::int64_t>();
  m.exercise = row[1].as<std::string>();
  m.team = row[2].as<std::string>();
  m.source = row[3].as<std::string>();
  m.kind = row[4].as<std::string>();
  m.sender = row[5].as<std::string>();
  m.subject = row[6].as<std::string>();
  m.text_ja = row[7].as<std::string>();
  m.text_en = row[8].as<std::string>();
  m.exercise_time = row[9].as<double>();
  m.delivered_unix_ms = row[10].as<std::int64_t>();
  return m;
}

}  // namespace

// One transaction per call, reconnecting once after a lost connection (store::PgSession).
struct PgInboxStore::Impl {
  std::unique_ptr<store::PgSession> session;
};

PgInboxStore::PgInboxStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PgInboxStore::~PgInboxStore() = default;

Expected<std::unique_ptr<PgInboxStore>> PgInboxStore::open(const std::string& uri) {
  auto session = store::PgSession::open(uri, "inbox");
  if (!session) return session.error();
  auto impl = std::make_unique<Impl>();
  impl->session = std::move(session).value();
  return std::unique_ptr<PgInboxStore>(new PgInboxStore(std::move(impl)));
}

Expected<std::optional<InboxMessage>> PgInboxStore::add(const InboxMessage& m) {
  return impl_->session->fetch<std::optional<InboxMessage>>(
      "delivering an inbox message", [&](pqxx::work& tx) {
        const auto rows = tx.exec_params(
            "INSERT INTO inbox_messages (exercise_id, team, source, kind, sender, subject, "
            "text_ja, text_en, exercise_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
            "ON CONFLICT (exercise_id, team, source) DO NOTHING RETURNING " +
                std::string(kColumns),
            m.exercise, m.team, m.source, m.kind, m.sender, m.subject, m.text_ja, m.text_en,
            m.exercise_time);
        if (rows.empty()) return std::optional<InboxMessage>();
        return std::optional<InboxMessage>(from_row(rows[0]));
      });
}

Expected<std::vector<InboxMessage>> PgInboxStore::list(const std::string& exercise,
                                                       const std::string& team,
                                                       std::int64_t after_id) {
  return impl_->session->fetch<std::vector<InboxMessage>>("reading an inbox", [&](pqxx::work& tx) {
    std::vector<InboxMessage> out;
    for (const auto& row : tx.exec_params("SELECT " + std::string(kColumns) +
                                              " FROM inbox_messages WHERE exercise_id = $1 AND "
                                              "($2 = '' OR team = $2) AND id > $3 ORDER BY id",
                                          exercise, team, after_id))
      out.push_back(from_row(row));
    return out;
  });
}

Expected<std::optional<std::string>> PgInboxStore::team_name(std::int64_t team_id) {
  return impl_->session->fetch<std::optional<std::string>>(
      "looking up a team", [&](pqxx::work& tx) {
        const auto rows = tx.exec_params("SELECT name FROM teams WHERE id = $1", team_id);
        if (rows.empty()) return std::optional<std::string>();
        return std::optional<std::string>(rows[0][0].as<std::string>());
      });
}

}  // namespace cyrange::inbox
