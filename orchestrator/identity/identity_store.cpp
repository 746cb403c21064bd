#include <orchestrator/identity/identity_store.h>

#include <algorithm>
#include <cctype>

#include <orchestrator/common/log.h>
#include <orchestrator/identity/token.h>
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

void audit(pqxx::work& tx, std::string_view action, const std::string& object,
           const std::string& detail_json) {
  tx.exec_params0("INSERT INTO audit_log (action, object, detail) VALUES ($1, $2, $3::jsonb)",
                  std::string(action), object, detail_json);
}

std::optional<std::int64_t> find_user_id(pqxx::work& tx, const std::string& name) {
  const auto rows = tx.exec_params("SELECT id FROM users WHERE name = $1", name);
  if (rows.empty()) return std::nullopt;
  return rows[0][0].as<std::int64_t>();
}

std::int64_t ensure_team_in(pqxx::work& tx, const std::string& name) {
  const auto inserted = tx.exec_params(
      "INSERT INTO teams (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING id", name);
  if (!inserted.empty()) {
    audit(tx, "team.add", "team:" + name, "{}");
    return inserted[0][0].as<std::int64_t>();
  }
  return tx.exec_params1("SELECT id FROM teams WHERE name = $1", name)[0].as<std::int64_t>();
}

}  // namespace

// A connection that broke (PostgreSQL restarted, backend killed) is reopened once and
// the transaction retried, so callers do not see a restart of the database.
struct PgIdentityStore::Impl {
  std::unique_ptr<store::PgSession> session;
};

PgIdentityStore::PgIdentityStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

PgIdentityStore::~PgIdentityStore() = default;

Expected<std::unique_ptr<PgIdentityStore>> PgIdentityStore::open(const std::string& uri) {
  auto session = store::PgSession::open(uri, "identity");
  if (!session) return session.error();
  auto impl = std::make_unique<Impl>();
  impl->session = std::move(session).value();
  return std::unique_ptr<PgIdentityStore>(new PgIdentityStore(std::move(impl)));
}

Expected<std::int64_t> PgIdentityStore::ensure_team(const std::string& name) {
  if (auto valid = check_name("Team", name); !valid) return valid.error();
  std::int64_t id = 0;
  auto status = impl_->session->run("adding team '" + name + "'", [&](pqxx::work& tx) {
    id = ensure_team_in(tx, name);
    return Status::success();
  });
  if (!status) return status.error();
  return id;
}

Expected<std::int64_t> PgIdentityStore::add_user(const NewUser& user) {
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
        std::optional<std::int64_t> team_id;
        if (user.team) team_id = ensure_team_in(tx, *user.team);
        try {
          id = tx.exec_params1(
                     "INSERT INTO users (name, role, team_id) VALUES ($1, $2, $3) RETURNING id",
                     user.name, std::string(to_string(user.role)), team_id)[0]
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
        audit(tx, "user.add", "user:" + user.name,
              tx.exec_params1("SELECT jsonb_build_object('role', $1::text, 'team', $2::text)::text",
                              std::string(to_string(user.role)), user.team)[0]
                  .as<std::string>());
        return Status::success();
      });
  if (!status) return status.error();
  log::get("identity")->info("Added {} '{}'.", to_string(user.role), user.name);
  return id;
}

Expected<IssuedToken> PgIdentityStore::issue_token(const std::string& user_name,
                                                   std::chrono::seconds ttl,
                                                   const std::optional<std::string>& exercise) {
  if (ttl.count() <= 0) {
    return make_error(ErrorCode::invalid_argument, "The lifetime of a token for '" + user_name +
                                                       "' must be positive; give a duration "
                                                       "such as 8h or 30d.");
  }
  IssuedToken issued;
  auto status =
      impl_->session->run("issuing a token for '" + user_name + "'", [&](pqxx::work& tx) -> Status {
        const auto user_id = find_user_id(tx, user_name);
        if (!user_id) return unknown_user_error(user_name);
        issued.token = generate_token();
        // The database clock decides expiry, so issue and check use the same clock.
        const auto micros =
            tx.exec_params1(
                  "INSERT INTO api_tokens (user_id, token_hash, expires_at, exercise_id) "
                  "VALUES ($1, $2, now() + make_interval(secs => $3::double precision), $4) "
                  "RETURNING (extract(epoch FROM expires_at) * 1000000)::bigint",
                  *user_id, hash_token(issued.token), static_cast<double>(ttl.count()), exercise)[0]
                .as<std::int64_t>();
        issued.expires_at = std::chrono::system_clock::time_point(
            std::chrono::duration_cast<std::chrono::system_clock::duration>(
                std::chrono::microseconds(micros)));
        audit(tx, "token.issue", "user:" + user_name,
              tx.exec_params1("SELECT jsonb_strip_nulls(jsonb_build_object('expires_at', $1::text, "
                              "'exercise', $2::text))::text",
                              format_utc(issued.expires_at), exercise)[0]
                  .as<std::string>());
        return Status::success();
      });
  if (!status) return status.error();
  return issued;
}

Status PgIdentityStore::revoke_tokens(const std::string& user_name) {
  return impl_->session->run(
      "revoking the tokens of '" + user_name + "'", [&](pqxx::work& tx) -> Status {
        const auto user_id = find_user_id(tx, user_name);
        if (!user_id) return unknown_user_error(user_name);
        const auto revoked = tx.exec_params(
            "UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL",
            *user_id);
        audit(tx, "token.revoke", "user:" + user_name,
              "{\"revoked\":" + std::to_string(revoked.affected_rows()) + "}");
        return Status::success();
      });
}

Expected<Identity> PgIdentityStore::authenticate(std::string_view token) const {
  if (token.empty()) return missing_token_error();
  Identity identity;
  auto status = impl_->session->run("checking an access token", [&](pqxx::work& tx) -> Status {
    const auto rows = tx.exec_params(
        // A token issued for a self-paced run acts for the run's own team (t.team_id).
        "SELECT u.id, u.name, u.role, coalesce(t.team_id, u.team_id), t.revoked_at IS NOT NULL, "
        "       t.expires_at <= now(), "
        "       to_char(t.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
        "       t.exercise_id "
        "FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1",
        hash_token(token));
    if (rows.empty()) return unknown_token_error();
    const auto& row = rows[0];
    if (row[4].as<bool>()) return revoked_token_error();
    if (row[5].as<bool>()) return expired_token_error(row[6].as<std::string>());
    auto role = parse_role(row[2].as<std::string>());
    if (!role) return role.error();
    identity.user_id = row[0].as<std::int64_t>();
    identity.name = row[1].as<std::string>();
    identity.role = *role;
    if (!row[3].is_null()) identity.team_id = row[3].as<std::int64_t>();
    if (!row[7].is_null()) identity.exercise_id = row[7].as<std::string>();
    return Status::success();
  });
  if (!status) return status.error();
  return identity;
}

}  // namespace cyrange::identity
