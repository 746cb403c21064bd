#include <orchestrator/identity/identity_store.h>

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>

#include <orchestrator/common/log.h>
#include <orchestrator/identity/token.h>
#include <orchestrator/identity/token_cache.h>
#include <orchestrator/store/pg_session.h>

namespace cyrange::identity {
namespace {

// Names end up in libvirt object names and file paths, so keep them plain.
bool is_plain_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  if (!std::isalnum(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  });
}

Status check_name(std::string_view what, const std::string& name) {
  if (is_plain_name(name)) return Status::success();
  return make_error(
      ErrorCode::invalid_argument,
      std::string(what) + " name '" + name +
          "' is not valid: use 1 to 64 letters, digits, '.', '_' or '-', starting with a "
          "letter or digit.");
}

std::string article_for(Role role) {
  return role == Role::admin || role == Role::instructor ? "an" : "a";
}

Status check_team_rule(const NewUser& user) {
  const bool trainee = user.role == Role::trainee;
  const bool has_team = user.team.has_value() && !user.team->empty();
  if (trainee && !has_team) {
    return make_error(ErrorCode::invalid_argument,
                      "User '" + user.name +
                          "' is a trainee and needs a team: give the name of the team "
                          "the trainee plays in.");
  }
  if (!trainee && has_team) {
    return make_error(ErrorCode::invalid_argument,
                      "User '" + user.name + "' is " + article_for(user.role) + " " +
                          std::string(to_string(user.role)) + " and cannot belong to team '" +
                          *user.team + "': only trainees play in teams, so leave the team out.");
  }
  if (user.exercise && user.role != Role::trainee) {
    return make_error(ErrorCode::invalid_argument,
                      "User '" + user.name + "' is " + article_for(user.role) + " " +
                          std::string(to_string(user.role)) + " and is not bound to exercise '" +
                          *user.exercise + "': only trainees are, so leave the exercise out.",
                      "ユーザー '" + user.name + "' は " + std::string(to_string(user.role)) +
                          " のため演習 '" + *user.exercise +
                          "' に結び付けられません。演習を指定するのは受講者だけです。");
  }
  if (!user.email.empty() && (user.email.find('@') == std::string::npos ||
                              user.email.find_first_of(" \t\r\n") != std::string::npos)) {
    return make_error(ErrorCode::invalid_argument,
                      "E-mail address '" + user.email + "' of user '" + user.name +
                          "' is not valid: give an address like name@example.org, or none.");
  }
  return Status::success();
}

Error unknown_user_error(const std::string& name) {
  return make_error(ErrorCode::not_found,
                    "No user named '" + name + "' exists; add it first with `cyrange users add`.");
}

// An audit row of an identity change: `actor` says who asked (detail.actor); empty means the
// operator of this host (tests, tools without a caller of their own).
void audit_by(pqxx::work& tx, std::string_view action, const std::string& object,
              const std::string& actor, const std::string& detail_json = "{}") {
  tx.exec_params0(
      "INSERT INTO audit_log (action, object, detail) "
      "VALUES ($1, $2, $3::jsonb || jsonb_build_object('actor', $4::text))",
      std::string(action), object, detail_json, actor.empty() ? host_operator_label() : actor);
}

std::string duration_text(std::chrono::seconds d) {
  if (d.count() % 86400 == 0) return std::to_string(d.count() / 86400) + "d";
  if (d.count() % 3600 == 0) return std::to_string(d.count() / 3600) + "h";
  return std::to_string(d.count()) + "s";
}

std::optional<std::int64_t> find_user_id(pqxx::work& tx, const std::string& name) {
  const auto rows = tx.exec_params("SELECT id FROM users WHERE name = $1", name);
  if (rows.empty()) return std::nullopt;
  return rows[0][0].as<std::int64_t>();
}

// A trainee's run either does not exist yet (bound ahead: ids are never reused) or lists the
// trainee's team and has not ended.
Status check_run(pqxx::work& tx, const NewUser& user) {
  const auto& exercise = *user.exercise;
  const auto found = tx.exec_params(
      "SELECT e.state, string_agg(t.name, ', ' ORDER BY t.name), "
      "       bool_or(t.name = $2) IS TRUE "
      "FROM exercises e LEFT JOIN exercise_teams et ON et.exercise_id = e.id "
      "LEFT JOIN teams t ON t.id = et.team_id WHERE e.id = $1 GROUP BY e.state",
      exercise, *user.team);
  if (found.empty()) return Status::success();
  if (found[0][0].as<std::string>() == "ended") {
    return make_error(ErrorCode::failed_precondition,
                      "Exercise '" + exercise + "' has ended, so trainee '" + user.name +
                          "' cannot join it; add the trainee to a new exercise.",
                      "演習 '" + exercise + "' は終了しているため、受講者 '" + user.name +
                          "' を追加できません。新しい演習に追加してください。");
  }
  if (!found[0][2].as<bool>()) {
    const std::string teams = found[0][1].is_null() ? "" : found[0][1].as<std::string>();
    return make_error(ErrorCode::invalid_argument,
                      "Exercise '" + exercise + "' has no team '" + *user.team +
                          "' (its teams: " + teams + "); give one of them with --team.",
                      "演習 '" + exercise + "' にチーム '" + *user.team +
                          "' はありません（チーム: " + teams +
                          "）。--team でそのどれかを指定してください。");
  }
  return Status::success();
}

std::int64_t ensure_team_in(pqxx::work& tx, const std::string& name, const std::string& actor) {
  const auto inserted = tx.exec_params(
      "INSERT INTO teams (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING id", name);
  if (!inserted.empty()) {
    audit_by(tx, "team.add", "team:" + name, actor);
    return inserted[0][0].as<std::int64_t>();
  }
  return tx.exec_params1("SELECT id FROM teams WHERE name = $1", name)[0].as<std::int64_t>();
}

}  // namespace

std::string host_operator_label() {
  std::string user = "uid " + std::to_string(::geteuid());
  if (const passwd* pw = ::getpwuid(::geteuid()); pw != nullptr && pw->pw_name != nullptr)
    user = pw->pw_name;
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return "operator " + user + "@" + host;
}

// A connection that broke (PostgreSQL restarted, backend killed) is reopened once and
// the transaction retried, so callers do not see a restart of the database.
struct PgIdentityStore::Impl {
  std::string uri;
  std::unique_ptr<store::PgSession> session;
  std::atomic<std::int64_t> max_lifetime_s{kDefaultMaxTokenLifetime.count()};
  std::unique_ptr<TokenCache> cache;  // set before serving, then only read

  // A revocation, disabling or erasure here is seen by the next call at once; other
  // processes' changes reach the cache through its listener (migration 0017).
  void forget_tokens() const {
    if (cache) cache->clear();
  }
};

void PgIdentityStore::set_max_token_lifetime(std::chrono::seconds max) {
  impl_->max_lifetime_s = std::max<std::int64_t>(1, max.count());
  impl_->forget_tokens();
}

void PgIdentityStore::cache_tokens(std::chrono::milliseconds ttl) {
  impl_->cache.reset();
  if (ttl.count() > 0) impl_->cache = std::make_unique<TokenCache>(impl_->uri, ttl);
}

std::optional<Identity> PgIdentityStore::recently_accepted(std::string_view token) const {
  if (!impl_->cache || token.empty()) return std::nullopt;
  return impl_->cache->find(hash_token(token));
}

PgIdentityStore::PgIdentityStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

PgIdentityStore::~PgIdentityStore() = default;

Expected<std::unique_ptr<PgIdentityStore>> PgIdentityStore::open(const std::string& uri) {
  auto session = store::PgSession::open(uri, "identity");
  if (!session) return session.error();
  auto impl = std::make_unique<Impl>();
  impl->uri = uri;
  impl->session = std::move(session).value();
  return std::unique_ptr<PgIdentityStore>(new PgIdentityStore(std::move(impl)));
}

Expected<std::int64_t> PgIdentityStore::ensure_team(const std::string& name,
                                                    const std::string& actor) {
  if (auto valid = check_name("Team", name); !valid) return valid.error();
  std::int64_t id = 0;
  auto status = impl_->session->run("adding team '" + name + "'", [&](pqxx::work& tx) {
    id = ensure_team_in(tx, name, actor);
    return Status::success();
  });
  if (!status) return status.error();
  return id;
}

Expected<std::int64_t> PgIdentityStore::add_user(const NewUser& user, const std::string& actor) {
  if (auto valid = check_name("User", user.name); !valid) return valid.error();
  if (auto valid = check_team_rule(user); !valid) return valid.error();
  if (user.team) {
    if (auto valid = check_name("Team", *user.team); !valid) return valid.error();
  }
  std::int64_t id = 0;
  auto status =
      impl_->session->run("adding user '" + user.name + "'", [&](pqxx::work& tx) -> Status {
        if (find_user_id(tx, user.name)) {
          return make_error(
              ErrorCode::already_exists,
              "A user named '" + user.name + "' exists already; choose another name.");
        }
        if (user.exercise) {
          if (auto run = check_run(tx, user); !run) return run;
        }
        std::optional<std::int64_t> team_id;
        if (user.team) team_id = ensure_team_in(tx, *user.team, actor);
        try {
          id = tx.exec_params1(
                     "INSERT INTO users (name, role, team_id, exercise_id) VALUES ($1, $2, $3, "
                     "$4) RETURNING id",
                     user.name, std::string(to_string(user.role)), team_id, user.exercise)[0]
                   .as<std::int64_t>();
        } catch (const pqxx::unique_violation&) {
          // Another caller created the same name between our check and the insert.
          return make_error(
              ErrorCode::already_exists,
              "A user named '" + user.name + "' exists already; choose another name.");
        }
        tx.exec_params0(
            "INSERT INTO user_personal_data (user_id, display_name, email) VALUES ($1, $2, $3)", id,
            user.display_name, user.email);
        audit_by(
            tx, "user.add", "user:" + user.name, actor,
            tx.exec_params1("SELECT (jsonb_build_object('role', $1::text, 'team', $2::text) || "
                            "jsonb_strip_nulls(jsonb_build_object('exercise', $3::text)))::text",
                            std::string(to_string(user.role)), user.team, user.exercise)[0]
                .as<std::string>());
        return Status::success();
      });
  if (!status) return status.error();
  log::get("identity")->info("Added {} '{}'.", to_string(user.role), user.name);
  return id;
}

Expected<IssuedToken> PgIdentityStore::issue_token(const std::string& user_name,
                                                   std::chrono::seconds ttl,
                                                   const std::optional<std::string>& exercise,
                                                   const std::string& actor) {
  if (ttl.count() <= 0) {
    return make_error(ErrorCode::invalid_argument, "The lifetime of a token for '" + user_name +
                                                       "' must be positive; give a duration "
                                                       "such as 8h or 30d.");
  }
  const std::chrono::seconds max_lifetime(impl_->max_lifetime_s.load());
  if (ttl > max_lifetime) {
    return make_error(
        ErrorCode::invalid_argument,
        "A token lifetime of " + duration_text(ttl) + " for '" + user_name +
            "' is longer than the maximum of " + duration_text(max_lifetime) +
            " (token_max_lifetime_h in the configuration); give a shorter --token-ttl.",
        "'" + user_name + "' のトークンの有効期間 " + duration_text(ttl) + " は上限 " +
            duration_text(max_lifetime) +
            "（設定ファイルの token_max_lifetime_h）を超えています。短い --token-ttl を指定して"
            "ください。");
  }
  IssuedToken issued;
  auto status =
      impl_->session->run("issuing a token for '" + user_name + "'", [&](pqxx::work& tx) -> Status {
        const auto user = tx.exec_params(
            "SELECT id, disabled_at IS NOT NULL FROM users "
            "WHERE name = $1",
            user_name);
        if (user.empty()) return unknown_user_error(user_name);
        if (user[0][1].as<bool>()) {
          return make_error(
              ErrorCode::failed_precondition,
              "User '" + user_name + "' is disabled and gets no token; add a new user instead.",
              "ユーザー '" + user_name +
                  "' は無効にされているため、トークンを発行できません。新しい"
                  "ユーザーを追加してください。");
        }
        const auto user_id = user[0][0].as<std::int64_t>();
        issued.token = generate_token();
        // The database clock decides expiry, so issue and check use the same clock.
        const auto row = tx.exec_params1(
            "INSERT INTO api_tokens (user_id, token_hash, expires_at, exercise_id) "
            "VALUES ($1, $2, now() + make_interval(secs => $3::double precision), $4) "
            "RETURNING (extract(epoch FROM expires_at) * 1000000)::bigint, id",
            user_id, hash_token(issued.token), static_cast<double>(ttl.count()), exercise);
        const auto micros = row[0].as<std::int64_t>();
        issued.id = row[1].as<std::int64_t>();
        issued.expires_at = std::chrono::system_clock::time_point(
            std::chrono::duration_cast<std::chrono::system_clock::duration>(
                std::chrono::microseconds(micros)));
        audit_by(
            tx, "token.issue", "user:" + user_name, actor,
            tx.exec_params1("SELECT jsonb_strip_nulls(jsonb_build_object('expires_at', $1::text, "
                            "'exercise', $2::text, 'token_id', $3::bigint))::text",
                            format_utc(issued.expires_at), exercise, issued.id)[0]
                .as<std::string>());
        return Status::success();
      });
  if (!status) return status.error();
  return issued;
}

namespace {

std::size_t revoke_all(pqxx::work& tx, std::int64_t user_id) {
  return tx
      .exec_params(
          "UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL",
          user_id)
      .affected_rows();
}

}  // namespace

Status PgIdentityStore::revoke_tokens(const std::string& user_name, const std::string& actor) {
  Status done = impl_->session->run("revoking the tokens of '" + user_name + "'",
                                    [&](pqxx::work& tx) -> Status {
                                      const auto user_id = find_user_id(tx, user_name);
                                      if (!user_id) return unknown_user_error(user_name);
                                      const auto revoked = revoke_all(tx, *user_id);
                                      audit_by(tx, "token.revoke", "user:" + user_name, actor,
                                               "{\"revoked\":" + std::to_string(revoked) + "}");
                                      return Status::success();
                                    });
  impl_->forget_tokens();
  return done;
}

Status PgIdentityStore::revoke_token(std::int64_t token_id, const std::string& actor) {
  Status done = impl_->session->run(
      "revoking token " + std::to_string(token_id), [&](pqxx::work& tx) -> Status {
        const auto rows = tx.exec_params(
            "SELECT u.name FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = $1",
            token_id);
        if (rows.empty()) {
          return make_error(ErrorCode::not_found,
                            "No token has the id " + std::to_string(token_id) +
                                "; `cyrange users token` prints the id of each token it issues.",
                            "ID " + std::to_string(token_id) +
                                " のトークンはありません。ID は `cyrange users token` "
                                "が発行時に表示します。");
        }
        const auto revoked = tx.exec_params(
            "UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL",
            token_id);
        audit_by(tx, "token.revoke", "user:" + rows[0][0].as<std::string>(), actor,
                 "{\"token_id\":" + std::to_string(token_id) +
                     ",\"revoked\":" + std::to_string(revoked.affected_rows()) + "}");
        return Status::success();
      });
  impl_->forget_tokens();
  return done;
}

Status PgIdentityStore::disable_user(const std::string& user_name, const std::string& actor) {
  Status done = impl_->session->run("disabling '" + user_name + "'", [&](pqxx::work& tx) -> Status {
    const auto user_id = find_user_id(tx, user_name);
    if (!user_id) return unknown_user_error(user_name);
    tx.exec_params0("UPDATE users SET disabled_at = coalesce(disabled_at, now()) WHERE id = $1",
                    *user_id);
    const auto revoked = revoke_all(tx, *user_id);
    audit_by(tx, "user.disable", "user:" + user_name, actor,
             "{\"revoked\":" + std::to_string(revoked) + "}");
    return Status::success();
  });
  impl_->forget_tokens();
  return done;
}

Expected<std::string> PgIdentityStore::erase_user(const std::string& user_name,
                                                  const std::string& actor) {
  std::string pseudonym;
  auto status = impl_->session->run("erasing '" + user_name + "'", [&](pqxx::work& tx) -> Status {
    const auto user_id = find_user_id(tx, user_name);
    if (!user_id) return unknown_user_error(user_name);
    pseudonym = "erased-" + std::to_string(*user_id);
    tx.exec_params0(
        "UPDATE users SET name = $2, disabled_at = coalesce(disabled_at, now()), "
        "erased_at = now() WHERE id = $1",
        *user_id, pseudonym);
    revoke_all(tx, *user_id);
    tx.exec_params0("DELETE FROM user_personal_data WHERE user_id = $1", *user_id);
    std::int64_t audit_rows = 0, ledger_entries = 0, other_rows = 0;
    if (user_name != pseudonym) {  // erased before: nothing names the login any more
      // The audit log names users in its objects ("user:NAME") and as JSON string values of
      // its details; both take the pseudonym. The log is append-only (migration 0015): this
      // one rewrite runs in audit_log_pseudonymise(), as the schema's owner, for an erased
      // user only. Names are plain ([A-Za-z0-9._-]), so the quoted JSON form matches whole
      // values only.
      audit_rows = tx.exec_params1("SELECT audit_log_pseudonymise($1, $2)", *user_id, user_name)[0]
                       .as<std::int64_t>();
      // The score ledger keeps every entry and its points; the login and what the user typed
      // (wrong answers, self-assessment notes) go.
      ledger_entries =
          tx.exec_params1("SELECT ledger_redact($1, NULL, NULL, $2)", user_name, pseudonym)[0]
              .as<std::int64_t>();
      // Rows that name who did something by login rather than by id: who last set a board's
      // mode, who saved each report version, who published a course.
      for (const char* rename :
           {"UPDATE scoreboard_modes SET changed_by = $2 WHERE changed_by = $1",
            "UPDATE reports SET saved_by = $2 WHERE saved_by = $1",
            "UPDATE courses SET published_by = $2 WHERE published_by = $1"})
        other_rows +=
            static_cast<std::int64_t>(tx.exec_params(rename, user_name, pseudonym).affected_rows());
    }
    audit_by(tx, "user.erase", "user:" + pseudonym, actor,
             "{\"audit_rows_pseudonymised\":" + std::to_string(audit_rows) +
                 ",\"ledger_entries_redacted\":" + std::to_string(ledger_entries) +
                 ",\"other_rows_pseudonymised\":" + std::to_string(other_rows) + "}");
    return Status::success();
  });
  impl_->forget_tokens();
  if (!status) return status.error();
  log::get("identity")
      ->info("Erased the personal data of user id {} (now '{}').", pseudonym.substr(7), pseudonym);
  return pseudonym;
}

Expected<Identity> PgIdentityStore::authenticate(std::string_view token) const {
  if (token.empty()) return missing_token_error();
  const std::string hash = hash_token(token);
  if (impl_->cache) {
    if (auto hit = impl_->cache->find(hash)) return std::move(*hit);
  }
  const std::uint64_t generation = impl_->cache ? impl_->cache->generation() : 0;
  Identity identity;
  std::int64_t ends_micros = 0;
  auto status = impl_->session->run("checking an access token", [&](pqxx::work& tx) -> Status {
    const auto rows = tx.exec_params(
        // A token issued for a self-paced run acts for the run's own team (t.team_id) and in
        // the run's exercise; otherwise a trainee acts in the run they were added for.
        // A token ends at its own expiry or the maximum lifetime after its issue, whichever
        // comes first: tokens issued before the limit was lowered end too.
        "WITH t AS (SELECT *, least(expires_at, created_at + make_interval(secs => $2::double "
        "           precision)) AS ends_at FROM api_tokens WHERE token_hash = $1) "
        "SELECT u.id, u.name, u.role, coalesce(t.team_id, u.team_id), t.revoked_at IS NOT NULL, "
        "       t.ends_at <= now(), "
        "       to_char(t.ends_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
        "       coalesce(t.exercise_id, u.exercise_id), u.disabled_at IS NOT NULL, "
        "       (extract(epoch FROM t.ends_at) * 1000000)::bigint "
        "FROM t JOIN users u ON u.id = t.user_id",
        hash, static_cast<double>(impl_->max_lifetime_s.load()));
    if (rows.empty()) return unknown_token_error();
    const auto& row = rows[0];
    if (row[8].as<bool>()) return disabled_user_error();
    if (row[4].as<bool>()) return revoked_token_error();
    if (row[5].as<bool>()) return expired_token_error(row[6].as<std::string>());
    auto role = parse_role(row[2].as<std::string>());
    if (!role) return role.error();
    identity.user_id = row[0].as<std::int64_t>();
    identity.name = row[1].as<std::string>();
    identity.role = *role;
    if (!row[3].is_null()) identity.team_id = row[3].as<std::int64_t>();
    if (!row[7].is_null()) identity.exercise_id = row[7].as<std::string>();
    ends_micros = row[9].as<std::int64_t>();
    return Status::success();
  });
  if (!status) return status.error();
  if (impl_->cache) {
    impl_->cache->put(hash, identity,
                      std::chrono::system_clock::time_point(
                          std::chrono::duration_cast<std::chrono::system_clock::duration>(
                              std::chrono::microseconds(ends_micros))),
                      generation);
  }
  return identity;
}

}  // namespace cyrange::identity
