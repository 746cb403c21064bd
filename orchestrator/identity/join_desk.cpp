#include <orchestrator/identity/join_desk.h>

#include <algorithm>
#include <cstdlib>

#include <openssl/rand.h>

#include <orchestrator/common/log.h>
#include <orchestrator/identity/token.h>
#include <orchestrator/store/pg_session.h>

namespace cyrange::identity {
namespace {

using std::chrono::system_clock;

system_clock::time_point from_micros(std::int64_t micros) {
  return system_clock::time_point(
      std::chrono::duration_cast<system_clock::duration>(std::chrono::microseconds(micros)));
}

// "<team>-<8 hex>": a login name that says the team and nothing about the person.
std::string trainee_name(const std::string& team) {
  unsigned char bytes[4];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    log::get("identity")->critical("OpenSSL RAND_bytes failed; cannot name a joining trainee.");
    std::abort();
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string name = team.substr(0, 48) + "-";
  for (unsigned char b : bytes) {
    name += kHex[b >> 4];
    name += kHex[b & 0xf];
  }
  return name;
}

Error unknown_code() {
  return make_error(ErrorCode::not_found,
                    "This join code is not known. Check it with your instructor and type it "
                    "again (8 characters, e.g. ABCD-EFGH).",
                    "この参加コードは登録されていません。講師に確認して、もう一度入力して"
                    "ください（8 文字。例: ABCD-EFGH）。");
}

Error replaced_code() {
  return make_error(ErrorCode::not_found,
                    "This join code was replaced by a newer one. Ask your instructor for the "
                    "current code of your team.",
                    "この参加コードは新しいコードに置き換えられました。チームの現在のコードを"
                    "講師に確認してください。");
}

Error expired_code(const std::string& when) {
  return make_error(ErrorCode::failed_precondition,
                    "This join code expired at " + when + ". Ask your instructor for a new code.",
                    "この参加コードは " + when +
                        " に有効期限が切れました。"
                        "講師に新しいコードを依頼してください。");
}

Error exercise_ended(const std::string& exercise) {
  return make_error(ErrorCode::failed_precondition,
                    "Exercise '" + exercise + "' has ended; its join codes no longer work.",
                    "演習 '" + exercise + "' は終了しているため、参加コードは使えません。");
}

Error too_many_tries(std::chrono::seconds wait) {
  const std::string seconds = std::to_string(wait.count());
  return make_error(ErrorCode::resource_exhausted,
                    "Too many wrong join codes from this computer. Wait " + seconds +
                        " seconds, then type the code again.",
                    "誤った参加コードが続けて入力されました。" + seconds +
                        " 秒待ってから、もう一度入力してください。");
}

void audit(pqxx::work& tx, std::optional<std::int64_t> actor, std::string_view action,
           const std::string& object, const std::string& detail_json) {
  tx.exec_params0(
      "INSERT INTO audit_log (actor_user_id, action, object, detail) VALUES ($1, $2, $3, "
      "$4::jsonb)",
      actor, std::string(action), object, detail_json);
}

// The exercise and team of a code, found by its hash; or the course and organisation of a
// course code.
struct CodeTarget {
  std::string exercise;
  std::string team;
  std::string course;
  std::int64_t organisation_id = 0;
  std::string organisation;
  std::int64_t code_id = 0;
  int course_days = 0;  // the course's expires_after_days
};

// A course code's course is gone from the catalogue.
Error course_withdrawn(const std::string& course) {
  return make_error(ErrorCode::failed_precondition,
                    "Course '" + course + "' was withdrawn; its join codes no longer work.",
                    "コース '" + course + "' は公開が終了したため、参加コードは使えません。");
}

}  // namespace

// A course code: its course, organisation and the course's days (unknown_code otherwise).
static Status find_course(pqxx::work& tx, const std::string& canonical, CodeTarget& target) {
  const auto rows = tx.exec_params(
      "SELECT j.id, j.course_id, o.id, o.name, j.revoked_at IS NOT NULL, j.expires_at <= now(), "
      "       to_char(j.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
      "       c.withdrawn_at IS NOT NULL, c.expires_after_days "
      "FROM course_join_codes j JOIN organisations o ON o.id = j.organisation_id "
      "JOIN courses c ON c.id = j.course_id WHERE j.code_hash = $1",
      hash_token(canonical));
  if (rows.empty()) return unknown_code();
  const auto& row = rows[0];
  if (row[4].as<bool>()) return replaced_code();
  if (row[5].as<bool>()) return expired_code(row[6].as<std::string>());
  target.course = row[1].as<std::string>();
  if (row[7].as<bool>()) return course_withdrawn(target.course);
  target.code_id = row[0].as<std::int64_t>();
  target.organisation_id = row[2].as<std::int64_t>();
  target.organisation = row[3].as<std::string>();
  target.course_days = row[8].as<int>();
  return Status::success();
}

struct JoinDesk::Impl {
  std::unique_ptr<store::PgSession> session;
  std::shared_ptr<PgIdentityStore> identities;
  JoinThrottle throttle;  // five wrong codes a minute per address

  Expected<CodeTarget> find(const std::string& canonical) {
    CodeTarget target;
    Status status = session->run("looking up a join code", [&](pqxx::work& tx) -> Status {
      const auto rows = tx.exec_params(
          "SELECT j.exercise_id, t.name, j.revoked_at IS NOT NULL, j.expires_at <= now(), "
          "       to_char(j.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
          "       e.state "
          "FROM join_codes j JOIN teams t ON t.id = j.team_id "
          "JOIN exercises e ON e.id = j.exercise_id WHERE j.code_hash = $1",
          hash_token(canonical));
      if (rows.empty()) return find_course(tx, canonical, target);
      const auto& row = rows[0];
      if (row[2].as<bool>()) return replaced_code();
      if (row[3].as<bool>()) return expired_code(row[4].as<std::string>());
      target.exercise = row[0].as<std::string>();
      if (row[5].as<std::string>() == "ended") return exercise_ended(target.exercise);
      target.team = row[1].as<std::string>();
      return Status::success();
    });
    if (!status) return status.error();
    return target;
  }
};

JoinDesk::JoinDesk(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

JoinDesk::~JoinDesk() = default;

Expected<std::unique_ptr<JoinDesk>> JoinDesk::open(const std::string& uri,
                                                   std::shared_ptr<PgIdentityStore> identities) {
  auto session = store::PgSession::open(uri, "identity");
  if (!session) return session.error();
  auto impl = std::make_unique<Impl>();
  impl->session = std::move(session).value();
  impl->identities = std::move(identities);
  return std::unique_ptr<JoinDesk>(new JoinDesk(std::move(impl)));
}

Expected<std::vector<JoinCode>> JoinDesk::create_codes(const std::string& exercise,
                                                       std::chrono::seconds ttl,
                                                       std::optional<std::int64_t> actor_user_id) {
  if (ttl.count() <= 0) {
    return make_error(
        ErrorCode::invalid_argument,
        "The lifetime of the join codes of exercise '" + exercise +
            "' must be positive; give a duration such as 12h.",
        "演習 '" + exercise + "' の参加コードの有効期間は正の値にしてください（例: 12h）。");
  }
  std::vector<JoinCode> codes;
  Status status = impl_->session->run(
      "creating join codes for exercise '" + exercise + "'", [&](pqxx::work& tx) -> Status {
        codes.clear();  // a retried transaction starts over
        const auto found = tx.exec_params("SELECT state FROM exercises WHERE id = $1", exercise);
        if (found.empty()) {
          return make_error(
              ErrorCode::not_found,
              "No exercise '" + exercise + "' exists; check the id with `cyrange range status`.",
              "演習 '" + exercise + "' はありません。ID を確認してください。");
        }
        if (found[0][0].as<std::string>() == "ended") return exercise_ended(exercise);
        const auto teams = tx.exec_params(
            "SELECT t.id, t.name FROM exercise_teams et JOIN teams t ON t.id = et.team_id "
            "WHERE et.exercise_id = $1 ORDER BY t.name",
            exercise);
        if (teams.empty()) {
          return make_error(ErrorCode::failed_precondition,
                            "Exercise '" + exercise + "' has no teams to create join codes for.",
                            "演習 '" + exercise + "' にはチームがないため参加コードを作れません。");
        }
        const auto revoked = tx.exec_params(
            "UPDATE join_codes SET revoked_at = now() WHERE exercise_id = $1 AND revoked_at IS "
            "NULL",
            exercise);
        for (const auto& team : teams) {
          JoinCode code{team[1].as<std::string>(), generate_join_code(), {}};
          const auto micros =
              tx.exec_params1(
                    "INSERT INTO join_codes (exercise_id, team_id, code_hash, created_by, "
                    "expires_at) VALUES ($1, $2, $3, $4, now() + make_interval(secs => "
                    "$5::double precision)) "
                    "RETURNING (extract(epoch FROM expires_at) * 1000000)::bigint",
                    exercise, team[0].as<std::int64_t>(),
                    hash_token(*normalize_join_code(code.code)), actor_user_id,
                    static_cast<double>(ttl.count()))[0]
                  .as<std::int64_t>();
          code.expires_at = from_micros(micros);
          codes.push_back(std::move(code));
        }
        audit(tx, actor_user_id, "join_codes.create", "exercise:" + exercise,
              "{\"teams\":" + std::to_string(codes.size()) +
                  ",\"revoked\":" + std::to_string(revoked.affected_rows()) + ",\"expires_at\":\"" +
                  format_utc(codes.front().expires_at) + "\"}");
        return Status::success();
      });
  if (!status) return status.error();
  log::get("identity")->info("Created {} join codes for exercise '{}'.", codes.size(), exercise);
  return codes;
}

Expected<CourseJoinCode> JoinDesk::create_course_code(const std::string& course,
                                                      const std::string& organisation,
                                                      std::chrono::seconds ttl,
                                                      std::optional<std::int64_t> actor_user_id) {
  if (ttl.count() <= 0)
    return make_error(
        ErrorCode::invalid_argument,
        "The lifetime of the join code of course '" + course +
            "' must be positive; give a duration such as 7d.",
        "コース '" + course + "' の参加コードの有効期間は正の値にしてください（例: 7d）。");
  CourseJoinCode out{course, organisation, {}, {}};
  Status status = impl_->session->run(
      "creating a join code for course '" + course + "'", [&](pqxx::work& tx) -> Status {
        const auto found = tx.exec_params(
            "SELECT c.withdrawn_at IS NOT NULL, o.id, "
            "       NOT EXISTS (SELECT 1 FROM course_organisations co WHERE co.course_id = c.id) "
            "       OR EXISTS (SELECT 1 FROM course_organisations co WHERE co.course_id = c.id "
            "                  AND co.organisation_id = o.id) "
            "FROM courses c CROSS JOIN organisations o WHERE c.id = $1 AND o.name = $2",
            course, organisation);
        if (found.empty())
          return make_error(ErrorCode::not_found,
                            "There is no course '" + course + "' or no organisation '" +
                                organisation + "'; check them with `cyrange course list`.",
                            "コース '" + course + "' または組織 '" + organisation +
                                "' はありません。`cyrange course list` で確認してください。");
        if (found[0][0].as<bool>()) return course_withdrawn(course);
        if (!found[0][2].as<bool>())
          return make_error(ErrorCode::failed_precondition,
                            "Course '" + course + "' is not open to organisation '" + organisation +
                                "'; publish it to that organisation first.",
                            "コース '" + course + "' は組織 '" + organisation +
                                "' に公開されていません。先にその組織へ公開してください。");
        const auto organisation_id = found[0][1].as<std::int64_t>();
        const auto revoked = tx.exec_params(
            "UPDATE course_join_codes SET revoked_at = now() WHERE course_id = $1 AND "
            "organisation_id = $2 AND revoked_at IS NULL",
            course, organisation_id);
        out.code = generate_join_code();
        const auto micros =
            tx.exec_params1(
                  "INSERT INTO course_join_codes (course_id, organisation_id, code_hash, "
                  "created_by, expires_at) VALUES ($1, $2, $3, $4, now() + make_interval(secs "
                  "=> $5::double precision)) "
                  "RETURNING (extract(epoch FROM expires_at) * 1000000)::bigint",
                  course, organisation_id, hash_token(*normalize_join_code(out.code)),
                  actor_user_id, static_cast<double>(ttl.count()))[0]
                .as<std::int64_t>();
        out.expires_at = from_micros(micros);
        audit(tx, actor_user_id, "course_join_codes.create", "course:" + course,
              tx.exec_params1("SELECT jsonb_build_object('organisation', $1::text, 'revoked', "
                              "$2::int, 'expires_at', $3::text)::text",
                              organisation, static_cast<int>(revoked.affected_rows()),
                              format_utc(out.expires_at))[0]
                  .as<std::string>());
        return Status::success();
      });
  if (!status) return status.error();
  log::get("identity")
      ->info("Created a join code of course '{}' for organisation '{}'.", course, organisation);
  return out;
}

// A course code redeemed: a pseudonymous trainee of the organisation, for that course.
static Expected<JoinGrant> redeem_course_code(store::PgSession& session,
                                              PgIdentityStore& identities,
                                              const CodeTarget& target) {
  JoinGrant grant;
  grant.course = target.course;
  grant.user_name = trainee_name(target.organisation);
  // Its own team, named as the user: nobody else's range or team data is theirs.
  grant.team = grant.user_name.substr(target.organisation.substr(0, 48).size() + 1);
  grant.team = "self-" + grant.team;
  NewUser user;
  user.name = grant.user_name;
  user.role = Role::trainee;
  user.team = grant.team;
  const std::string actor = "course join code of '" + target.course + "'";
  auto added = identities.add_user(user, actor);
  if (!added) return added.error();
  Status joined = session.run("enrolling a course code's trainee", [&](pqxx::work& tx) {
    tx.exec_params0("INSERT INTO organisation_members (user_id, organisation_id) VALUES ($1, $2)",
                    *added, target.organisation_id);
    tx.exec_params0(
        "INSERT INTO course_code_users (user_id, course_id, code_id) VALUES ($1, $2, $3)", *added,
        target.course, target.code_id);
    audit(tx, std::nullopt, "course_join_codes.redeem", "course:" + target.course,
          tx.exec_params1("SELECT jsonb_build_object('organisation', $1::text, 'user', "
                          "$2::text, 'actor', $3::text)::text",
                          target.organisation, grant.user_name, actor)[0]
              .as<std::string>());
    return Status::success();
  });
  if (!joined) return joined.error();
  // As long as the course keeps a run, within the longest a token may live by default.
  const auto lifetime = std::min<std::chrono::hours>(std::chrono::hours(24) * target.course_days,
                                                     std::chrono::hours(24 * 30));
  auto issued = identities.issue_token(grant.user_name,
                                       std::chrono::duration_cast<std::chrono::seconds>(lifetime),
                                       std::nullopt, actor);
  if (!issued) return issued.error();
  grant.token = std::move(issued->token);
  grant.expires_at = issued->expires_at;
  log::get("identity")
      ->info("Trainee '{}' of '{}' joined course '{}'.", grant.user_name, target.organisation,
             target.course);
  return grant;
}

Expected<JoinGrant> JoinDesk::join(std::string_view typed_code, const std::string& peer) {
  const auto now = JoinThrottle::Clock::now();
  if (const auto wait = impl_->throttle.wait_for(peer, now); wait.count() > 0) {
    return too_many_tries(wait);
  }
  const auto canonical = normalize_join_code(typed_code);
  auto target = canonical ? impl_->find(*canonical) : Expected<CodeTarget>(unknown_code());
  if (!target) {
    if (target.error().code != ErrorCode::unavailable &&
        target.error().code != ErrorCode::internal) {
      impl_->throttle.failed(peer, now);
      log::get("identity")->info("Refused a join code from {}: {}", peer, target.error().message);
    }
    return target.error();
  }
  if (!target->course.empty())
    return redeem_course_code(*impl_->session, *impl_->identities, *target);
  JoinGrant grant;
  grant.exercise_id = target->exercise;
  grant.team = target->team;
  grant.user_name = trainee_name(target->team);
  NewUser user;
  user.name = grant.user_name;
  user.role = Role::trainee;
  user.team = target->team;
  user.exercise = target->exercise;
  // Nobody is signed in yet: the code that was redeemed is who asked.
  const std::string actor = "join code of '" + grant.exercise_id + "' team '" + grant.team + "'";
  if (auto added = impl_->identities->add_user(user, actor); !added) return added.error();
  auto issued = impl_->identities->issue_token(
      grant.user_name, std::chrono::duration_cast<std::chrono::seconds>(kTokenLifetime),
      grant.exercise_id, actor);
  if (!issued) return issued.error();
  grant.token = std::move(issued->token);
  grant.expires_at = issued->expires_at;
  Status audited = impl_->session->run("auditing a join", [&](pqxx::work& tx) {
    audit(tx, std::nullopt, "join_codes.redeem", "exercise:" + grant.exercise_id,
          tx.exec_params1("SELECT jsonb_build_object('team', $1::text, 'user', $2::text, "
                          "'actor', $3::text)::text",
                          grant.team, grant.user_name, actor)[0]
              .as<std::string>());
    return Status::success();
  });
  if (!audited) return audited.error();
  log::get("identity")
      ->info("Trainee '{}' joined team '{}' of exercise '{}'.", grant.user_name, grant.team,
             grant.exercise_id);
  return grant;
}

}  // namespace cyrange::identity
