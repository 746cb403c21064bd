#include <orchestrator/privacy/retention.h>

#include <map>

#include <orchestrator/common/log.h>
#include <orchestrator/privacy/pg_sql.h>

namespace cyrange::privacy {
namespace {

// retention_limits maps every user to the retention of their organisation (NULL:
// none, the default applies). A utility statement takes no parameters, hence the
// defaults are applied in the conditions below.
constexpr const char* kLimits =
    "CREATE TEMP TABLE retention_limits ON COMMIT DROP AS "
    "SELECT u.id AS user_id, u.name, u.role, coalesce(o.name, '') AS organisation, "
    "       o.retention_days AS days "
    "FROM users u LEFT JOIN organisation_members m ON m.user_id = u.id "
    "LEFT JOIN organisations o ON o.id = m.organisation_id";

// The conditions shared by counting and deleting, so a dry run reports exactly what
// --apply deletes. $1: now (epoch seconds), $2: default days.
constexpr const char* kNow = "to_timestamp($1::double precision)";

// The limits of the trainee behind a recorded event's pseudonym (of its exercise).
constexpr const char* kEventLimits =
    "(SELECT l.%s FROM retention_limits l JOIN trainee_pseudonyms p ON p.user_id = l.user_id "
    "WHERE p.pseudonym = e.trainee)";

std::string event_limit(const char* column) {
  std::string sql = kEventLimits;
  sql.replace(sql.find("%s"), 2, column);
  return sql;
}

std::string event_expired() {
  // Events of a pseudonym without user (erased) fall under the default retention.
  return std::string("e.received_at < ") + kNow + " - make_interval(days => coalesce(" +
         event_limit("days") + ", $2::integer))";
}

std::string session_expired() {
  return std::string("coalesce(t.ended_at, t.started_at) < ") + kNow +
         " - make_interval(days => coalesce((SELECT l.days FROM retention_limits l "
         "WHERE l.user_id = t.user_id), $2::integer))";
}

// Score ledger entries a trainee caused (the actor is their login) before their
// retention: their personal fields are redacted, their points stay.
std::string ledger_expired() {
  return std::string("l.role = 'trainee' AND le.actor = l.name AND le.created_at < ") + kNow +
         " - make_interval(days => coalesce(l.days, $2::integer))";
}

Status check_options(const RetentionOptions& options) {
  if (options.default_days > 0) return Status::success();
  return make_error(ErrorCode::invalid_argument,
                    "The default retention must be at least 1 day, not " +
                        std::to_string(options.default_days) + ". 保存期間は 1 日以上です。");
}

}  // namespace

Expected<RetentionReport> enforce_retention(const std::string& uri,
                                            const RetentionOptions& options) {
  if (Status valid = check_options(options); !valid) return valid.error();
  auto session = store::PgSession::open(uri, "privacy");
  if (!session) return session.error();

  RetentionReport report;
  report.applied = options.apply;
  Status st = (*session)->run(
      options.apply ? "deleting expired recordings" : "counting expired recordings",
      [&](pqxx::work& tx) -> Status {
        tx.exec0(kLimits);
        // One "now" for every statement: the server's clock unless the caller set one.
        const double now =
            options.now
                ? std::chrono::duration<double>(options.now->time_since_epoch()).count()
                : tx.exec1("SELECT extract(epoch FROM now())::double precision")[0].as<double>();
        std::map<std::string, RetentionLine> lines;
        for (const auto& r : tx.exec("SELECT name, retention_days FROM organisations")) {
          lines[r[0].as<std::string>()] = {r[0].as<std::string>(), r[1].as<int>(), 0, 0, 0};
        }
        lines[""] = {"", options.default_days, 0, 0, 0};
        for (const auto& r : tx.exec_params("SELECT coalesce(" + event_limit("organisation") +
                                                ", ''), count(*) FROM recorder_events e WHERE " +
                                                event_expired() + " GROUP BY 1",
                                            now, options.default_days)) {
          lines[r[0].as<std::string>()].events = r[1].as<std::int64_t>();
        }
        for (const auto& r : tx.exec_params(
                 "SELECT l.organisation, count(*) FROM ledger_entries le JOIN retention_limits l "
                 "ON l.name = le.actor WHERE " +
                     ledger_expired() + " GROUP BY 1",
                 now, options.default_days)) {
          lines[r[0].as<std::string>()].ledger_entries = r[1].as<std::int64_t>();
        }
        for (const auto& r : tx.exec_params(
                 "SELECT coalesce((SELECT l.organisation FROM retention_limits l "
                 "WHERE l.user_id = t.user_id), ''), count(*) FROM terminal_sessions t WHERE " +
                     session_expired() + " GROUP BY 1",
                 now, options.default_days)) {
          lines[r[0].as<std::string>()].terminal_sessions = r[1].as<std::int64_t>();
        }
        for (auto& [name, line] : lines) {
          if (name.empty()) continue;
          report.lines.push_back(line);
        }
        report.lines.push_back(lines[""]);  // the default line last
        for (const auto& line : report.lines) {
          report.events += line.events;
          report.terminal_sessions += line.terminal_sessions;
          report.ledger_entries += line.ledger_entries;
        }
        if (!options.apply) return Status::success();

        const auto events = tx.exec_params("DELETE FROM recorder_events e WHERE " + event_expired(),
                                           now, options.default_days)
                                .affected_rows();
        const auto sessions =
            tx.exec_params("DELETE FROM terminal_sessions t WHERE " + session_expired(), now,
                           options.default_days)
                .affected_rows();
        // The ledger keeps every row and its points: ledger_redact() (migration 0015) changes
        // only who acted and what a trainee typed.
        const auto redacted =
            tx.exec_params1(
                  "SELECT coalesce(sum(ledger_redact(l.name, NULL, " + std::string(kNow) +
                      " - make_interval(days => coalesce(l.days, $2::integer)), 'redacted')), 0)"
                      "::bigint FROM retention_limits l WHERE l.role = 'trainee'",
                  now, options.default_days)[0]
                .as<std::int64_t>();
        if (static_cast<std::int64_t>(events) != report.events ||
            static_cast<std::int64_t>(sessions) != report.terminal_sessions ||
            redacted != report.ledger_entries) {
          // Counting and deleting share the transaction; a mismatch is a bug.
          return make_error(ErrorCode::internal,
                            "The retention job counted " + std::to_string(report.events) +
                                " events and " + std::to_string(report.terminal_sessions) +
                                " terminal recordings (" + std::to_string(report.ledger_entries) +
                                " ledger entries to redact) but would delete " +
                                std::to_string(events) + " and " + std::to_string(sessions) +
                                " (and redact " + std::to_string(redacted) +
                                "); nothing was changed. Report this as a bug.");
        }
        nlohmann::json by_organisation = nlohmann::json::array();
        for (const auto& line : report.lines) {
          by_organisation.push_back({{"organisation", line.organisation},
                                     {"retention_days", line.retention_days},
                                     {"events", line.events},
                                     {"terminal_sessions", line.terminal_sessions},
                                     {"ledger_entries_redacted", line.ledger_entries}});
        }
        internal::insert_audit(tx, {options.actor,
                                    "retention.apply",
                                    "recordings",
                                    {{"events", report.events},
                                     {"terminal_sessions", report.terminal_sessions},
                                     {"ledger_entries_redacted", report.ledger_entries},
                                     {"default_days", options.default_days},
                                     {"organisations", by_organisation}}});
        return Status::success();
      });
  if (!st) return st.error();
  if (options.apply) {
    log::get("privacy")->info(
        "retention: deleted {} events and {} terminal recordings, redacted {} ledger entries",
        report.events, report.terminal_sessions, report.ledger_entries);
  }
  return report;
}

}  // namespace cyrange::privacy
