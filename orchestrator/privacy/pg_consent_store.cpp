#include <orchestrator/privacy/pg_consent_store.h>

#include <algorithm>

#include <orchestrator/common/log.h>
#include <orchestrator/privacy/pg_sql.h>

namespace cyrange::privacy {
namespace {

using internal::epoch_of;

constexpr const char* kConsentColumns =
    "user_id, exercise_id, purpose, version, extract(epoch FROM given_at)::bigint, "
    "extract(epoch FROM withdrawn_at)::bigint, coalesce(end_reason, '')";

Consent consent_from(const pqxx::row& r) {
  Consent c;
  c.user_id = r[0].as<std::int64_t>();
  c.exercise = r[1].as<std::string>();
  c.purpose = parse_purpose(r[2].as<std::string>()).value();
  c.version = r[3].as<int>();
  c.given_unix = epoch_of(r[4]);
  c.ended_unix = epoch_of(r[5]);
  c.end_reason = r[6].as<std::string>();
  return c;
}

std::string user_object(std::int64_t user_id) { return "user:" + std::to_string(user_id); }

// Takes the user's row lock so that consent changes of one user happen one after
// the other: two concurrent gives cannot both find "no active consent".
Status lock_user(pqxx::work& tx, std::int64_t user_id) {
  if (tx.exec_params("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", user_id).empty()) {
    return make_error(ErrorCode::not_found,
                      "User " + std::to_string(user_id) +
                          " does not exist; check the user id or add the user with `cyrange "
                          "users add`. ユーザーが存在しません。");
  }
  return Status::success();
}

std::optional<Consent> active_consent(pqxx::work& tx, std::int64_t user_id,
                                      const std::string& exercise, Purpose purpose) {
  auto rows = tx.exec_params(std::string("SELECT ") + kConsentColumns +
                                 ", id FROM consents WHERE user_id = $1 AND exercise_id = $2 AND "
                                 "purpose = $3 AND withdrawn_at IS NULL",
                             user_id, exercise, std::string(to_string(purpose)));
  if (rows.empty()) return std::nullopt;
  return consent_from(rows[0]);
}

// A trainee (u, $2 the exercise) plays in an exercise through their own team, or as the one
// trainee of a self-paced run of it (the run's team is on the run's token, not the user).
#define CYRANGE_PLAYS_IN                                                                \
  "(EXISTS (SELECT 1 FROM exercise_teams et WHERE et.team_id = u.team_id AND "          \
  "et.exercise_id = $2) OR EXISTS (SELECT 1 FROM course_runs r WHERE r.user_id = u.id " \
  "AND r.exercise_id = $2))"

Status check_plays(pqxx::work& tx, std::int64_t user_id, const std::string& exercise) {
  if (tx.exec_params("SELECT 1 FROM exercises WHERE id = $1", exercise).empty()) {
    return make_error(ErrorCode::not_found,
                      "Exercise '" + exercise +
                          "' does not exist; check the exercise id with your instructor. "
                          "演習が存在しません。");
  }
  auto plays = tx.exec_params(
      "SELECT 1 FROM users u WHERE u.id = $1 AND u.role = 'trainee' AND " CYRANGE_PLAYS_IN, user_id,
      exercise);
  if (plays.empty()) {
    return make_error(ErrorCode::permission_denied,
                      "Exercise '" + exercise + "' does not include the team of user " +
                          std::to_string(user_id) +
                          "; a trainee consents only for exercises their own team plays. "
                          "自分のチームが参加する演習にのみ同意できます。");
  }
  return Status::success();
}

}  // namespace

PgConsentStore::PgConsentStore(std::unique_ptr<store::PgSession> session)
    : session_(std::move(session)) {}
PgConsentStore::~PgConsentStore() = default;

Expected<std::unique_ptr<PgConsentStore>> PgConsentStore::open(const std::string& uri) {
  auto session = store::PgSession::open(uri, "privacy");
  if (!session) return session.error();
  return std::unique_ptr<PgConsentStore>(new PgConsentStore(std::move(session).value()));
}

Expected<std::vector<ConsentText>> PgConsentStore::current_texts() {
  std::vector<ConsentText> texts;
  Status st = session_->run("reading the consent texts", [&](pqxx::work& tx) {
    auto rows = tx.exec(
        "SELECT DISTINCT ON (purpose) purpose, version, title_ja, title_en, text_ja, text_en, "
        "extract(epoch FROM published_at)::bigint FROM consent_texts "
        "WHERE published_at <= now() ORDER BY purpose, version DESC");
    for (const auto& r : rows) {
      auto purpose = parse_purpose(r[0].as<std::string>());
      if (!purpose) continue;  // a purpose this build does not know yet
      texts.push_back({*purpose, r[1].as<int>(), r[2].as<std::string>(), r[3].as<std::string>(),
                       r[4].as<std::string>(), r[5].as<std::string>(), epoch_of(r[6])});
    }
    return Status::success();
  });
  if (!st) return st.error();
  std::sort(texts.begin(), texts.end(),
            [](const ConsentText& a, const ConsentText& b) { return a.purpose < b.purpose; });
  return texts;
}

Expected<Consent> PgConsentStore::give(std::int64_t user_id, const std::string& exercise,
                                       Purpose purpose, int version, const Actor& actor) {
  const std::string purpose_name(to_string(purpose));
  Consent result;
  Status st = session_->run(
      "recording the " + purpose_name + " consent of user " + std::to_string(user_id),
      [&](pqxx::work& tx) -> Status {
        if (Status locked = lock_user(tx, user_id); !locked) return locked;
        if (Status plays = check_plays(tx, user_id, exercise); !plays) return plays;
        auto current = tx.exec_params1(
                             "SELECT coalesce(max(version), 0) FROM consent_texts "
                             "WHERE purpose = $1 AND published_at <= now()",
                             purpose_name)[0]
                           .as<int>();
        if (version != current) {
          return make_error(
              ErrorCode::failed_precondition,
              "The " + purpose_name + " consent text is at version " + std::to_string(current) +
                  ", but the consent given was to version " + std::to_string(version) +
                  "; show the current text (GetConsentTexts) and ask again. "
                  "同意文が更新されています。最新の同意文を表示して、もう一度同意してください。");
        }
        std::optional<Consent> previous = active_consent(tx, user_id, exercise, purpose);
        if (previous && previous->version == version) {
          result = *previous;  // the same consent again: nothing changes
          return Status::success();
        }
        if (previous) {
          tx.exec_params0(
              "UPDATE consents SET withdrawn_at = now(), end_reason = 'superseded' "
              "WHERE user_id = $1 AND exercise_id = $2 AND purpose = $3 AND withdrawn_at IS NULL",
              user_id, exercise, purpose_name);
        }
        auto row = tx.exec_params1(
            std::string("INSERT INTO consents (user_id, exercise_id, purpose, version) "
                        "VALUES ($1, $2, $3, $4) RETURNING ") +
                kConsentColumns,
            user_id, exercise, purpose_name, version);
        result = consent_from(row);
        nlohmann::json detail = {
            {"exercise", exercise}, {"purpose", purpose_name}, {"version", version}};
        if (previous) detail["superseded_version"] = previous->version;
        internal::insert_audit(tx, {actor, "consent.give", user_object(user_id), detail});
        return Status::success();
      });
  if (!st) return st.error();
  return result;
}

Expected<Withdrawal> PgConsentStore::withdraw(std::int64_t user_id, const std::string& exercise,
                                              Purpose purpose, const Actor& actor) {
  const std::string purpose_name(to_string(purpose));
  Withdrawal result;
  Status st = session_->run(
      "withdrawing the " + purpose_name + " consent of user " + std::to_string(user_id),
      [&](pqxx::work& tx) -> Status {
        if (Status locked = lock_user(tx, user_id); !locked) return locked;
        if (!active_consent(tx, user_id, exercise, purpose)) {
          return make_error(ErrorCode::not_found,
                            "User " + std::to_string(user_id) + " has no active " + purpose_name +
                                " consent for exercise '" + exercise +
                                "', so there is nothing to withdraw; list consents with "
                                "MyConsents. 撤回できる同意がありません。");
        }
        auto row = tx.exec_params1(
            std::string("UPDATE consents SET withdrawn_at = now(), end_reason = 'withdrawn' "
                        "WHERE user_id = $1 AND exercise_id = $2 AND purpose = $3 "
                        "AND withdrawn_at IS NULL RETURNING ") +
                kConsentColumns,
            user_id, exercise, purpose_name);
        result.consent = consent_from(row);
        // Without research consent nothing is deleted: the data stays in the
        // exercise, and every later export leaves the trainee out.
        if (purpose == Purpose::scoring) {
          result.deleted_events =
              tx.exec_params(
                    "DELETE FROM recorder_events WHERE exercise_id = $1 AND trainee = "
                    "(SELECT pseudonym FROM trainee_pseudonyms WHERE user_id = $2 "
                    "AND exercise_id = $1)",
                    exercise, user_id)
                  .affected_rows();
          // The ledger keeps the team's points; who scored them and what they typed go.
          result.redacted_ledger_entries =
              tx.exec_params1(
                    "SELECT ledger_redact((SELECT name FROM users WHERE id = $1), $2, "
                    "NULL, 'redacted')",
                    user_id, exercise)[0]
                  .as<std::int64_t>();
          result.deleted_terminal_sessions =
              tx.exec_params(
                    "DELETE FROM terminal_sessions WHERE exercise_id = $1 AND user_id = $2",
                    exercise, user_id)
                  .affected_rows();
        }
        internal::insert_audit(tx,
                               {actor,
                                "consent.withdraw",
                                user_object(user_id),
                                {{"exercise", exercise},
                                 {"purpose", purpose_name},
                                 {"version", result.consent.version},
                                 {"deleted_events", result.deleted_events},
                                 {"deleted_terminal_sessions", result.deleted_terminal_sessions},
                                 {"redacted_ledger_entries", result.redacted_ledger_entries}}});
        return Status::success();
      });
  if (!st) return st.error();
  log::get("privacy")->info(
      "{} withdrew the {} consent of user {} for exercise {}: {} events and {} terminal "
      "recordings deleted, {} score ledger entries redacted",
      actor.label, purpose_name, user_id, exercise, result.deleted_events,
      result.deleted_terminal_sessions, result.redacted_ledger_entries);
  return result;
}

Expected<bool> PgConsentStore::scoring_consent_active(std::int64_t user_id,
                                                      const std::string& exercise) {
  bool active = false;
  Status st = session_->run(
      "reading the scoring consent of user " + std::to_string(user_id),
      [&](pqxx::work& tx) -> Status {
        auto row = tx.exec_params(
            "SELECT EXISTS (SELECT 1 FROM consents WHERE user_id = u.id AND exercise_id = $2 "
            "AND purpose = 'scoring' AND withdrawn_at IS NULL) FROM users u "
            "WHERE u.id = $1 AND " CYRANGE_PLAYS_IN,
            user_id, exercise);
        if (row.empty()) {
          return make_error(ErrorCode::permission_denied,
                            "Exercise '" + exercise + "' does not include the team of user " +
                                std::to_string(user_id) +
                                "; a trainee records only in their own team's exercises. "
                                "自分のチームの演習以外には記録できません。");
        }
        active = row[0][0].as<bool>();
        return Status::success();
      });
  if (!st) return st.error();
  return active;
}

Expected<std::vector<Consent>> PgConsentStore::consents_of(std::int64_t user_id,
                                                           const std::string& exercise) {
  std::vector<Consent> consents;
  Status st =
      session_->run("reading the consents of user " + std::to_string(user_id), [&](pqxx::work& tx) {
        auto rows = tx.exec_params(std::string("SELECT ") + kConsentColumns +
                                       " FROM consents WHERE user_id = $1 AND ($2 = '' OR "
                                       "exercise_id = $2) ORDER BY given_at DESC, id DESC",
                                   user_id, exercise);
        for (const auto& r : rows) consents.push_back(consent_from(r));
        return Status::success();
      });
  if (!st) return st.error();
  return consents;
}

Expected<std::int64_t> PgConsentStore::user_id_of(const std::string& name) {
  std::optional<std::int64_t> id;
  Status st = session_->run("looking up user '" + name + "'", [&](pqxx::work& tx) {
    auto rows = tx.exec_params("SELECT id FROM users WHERE name = $1", name);
    if (!rows.empty()) id = rows[0][0].as<std::int64_t>();
    return Status::success();
  });
  if (!st) return st.error();
  if (!id) {
    return make_error(ErrorCode::not_found, "No user named '" + name +
                                                "' exists; check the login name. "
                                                "ユーザーが見つかりません。");
  }
  return *id;
}

}  // namespace cyrange::privacy
