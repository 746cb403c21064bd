#pragma once

// A migrated throw-away database with trainees, organisations, exercises and
// recorded events, for the privacy integration tests.

#include <chrono>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <orchestrator/identity/identity_store.h>
#include <orchestrator/store/testing/temp_database.h>

namespace cyrange::privacy::testing {

template <class T>
T must(Expected<T> value) {
  if (!value) throw std::runtime_error(value.error().message);
  return std::move(value).value();
}

struct PrivacyDb {
  store::testing::TempDatabase db;
  std::shared_ptr<identity::PgIdentityStore> identities;
  std::map<std::string, std::int64_t> users;  // login -> id
  std::map<std::string, std::int64_t> teams;  // name -> id
  int next_seq = 1;

  PrivacyDb() { identities = must(identity::PgIdentityStore::open(db.uri())); }

  const std::string& uri() const { return db.uri(); }

  std::string sql(const std::string& statement) const { return db.query_one(statement); }

  /// Adds a trainee of `team`; returns the user id.
  std::int64_t trainee(const std::string& name, const std::string& team) {
    users[name] = must(identities->add_user(
        {name, identity::Role::trainee, team, "Real Name of " + name, name + "@example.org"}));
    teams[team] = must(identities->ensure_team(team));
    return users[name];
  }

  /// Adds a staff user of `role`; returns the user id.
  std::int64_t staff(const std::string& name, identity::Role role) {
    return users[name] = must(identities->add_user({name, role, std::nullopt, "", ""}));
  }

  /// A token for `name`.
  std::string token(const std::string& name) {
    return must(identities->issue_token(name, std::chrono::hours(1))).token;
  }

  /// Creates exercise `id` played by `team_names`.
  void exercise(const std::string& id, const std::vector<std::string>& team_names) {
    sql("INSERT INTO exercises (id, scenario_id, scenario_hash, state) VALUES ('" + id +
        "', 's', 'h', 'running')");
    for (const auto& t : team_names) {
      sql("INSERT INTO exercise_teams VALUES ('" + id + "', " + std::to_string(teams.at(t)) + ")");
    }
  }

  /// Stores `count` events of `name` in `exercise`, received `age_days` ago.
  void events(const std::string& exercise, const std::string& name, int count, int age_days = 0) {
    const std::string uid = std::to_string(users.at(name));
    sql("INSERT INTO trainee_pseudonyms (user_id, exercise_id) VALUES (" + uid + ", '" + exercise +
        "') ON CONFLICT DO NOTHING");
    sql("SELECT recorder_ensure_partition('" + exercise + "')");
    const std::string first = std::to_string(next_seq);
    next_seq += count;
    sql("INSERT INTO recorder_events (exercise_id, client_id, seq, team_id, trainee, kind, "
        "monotonic_ns, wall_at, received_at, data) "
        "SELECT '" +
        exercise + "', gen_random_uuid(), " + first +
        " + i, u.team_id, p.pseudonym, "
        "'command', i, now() - make_interval(days => " +
        std::to_string(age_days) + ") + i * interval '1 second', now() - make_interval(days => " +
        std::to_string(age_days) +
        "), jsonb_build_object('host', 'ws01', 'line', 'whoami # ' || i) "
        "FROM generate_series(0, " +
        std::to_string(count - 1) +
        ") i, users u "
        "JOIN trainee_pseudonyms p ON p.user_id = u.id AND p.exercise_id = '" +
        exercise + "' WHERE u.id = " + uid);
  }

  /// Recorded events of `name` in `exercise`.
  std::int64_t event_count(const std::string& exercise, const std::string& name) const {
    return std::stoll(
        sql("SELECT count(*) FROM recorder_events e JOIN trainee_pseudonyms p ON "
            "p.pseudonym = e.trainee WHERE e.exercise_id = '" +
            exercise + "' AND p.user_id = " + std::to_string(users.at(name))));
  }

  /// A terminal recording of `name` in `exercise` that ended `age_days` ago; its id.
  std::string terminal(const std::string& exercise, const std::string& name, int age_days = 0) {
    const std::string id =
        sql("INSERT INTO terminal_sessions (exercise_id, team, host, user_id, width, height, "
            "started_at, ended_at) VALUES ('" +
            exercise + "', 't', 'ws01', " + std::to_string(users.at(name)) +
            ", 80, 24, now() - make_interval(days => " + std::to_string(age_days) +
            ", hours => 1), now() - make_interval(days => " + std::to_string(age_days) +
            ")) RETURNING id");
    sql("INSERT INTO terminal_chunks VALUES (" + id + ", 1, 0, 'o', 'login: '::bytea)");
    return id;
  }

  /// Gives `name` an active consent row of `purpose` for `exercise` at the current version.
  void consent(const std::string& exercise, const std::string& name, const std::string& purpose) {
    sql("INSERT INTO consents (user_id, exercise_id, purpose, version) SELECT " +
        std::to_string(users.at(name)) + ", '" + exercise + "', '" + purpose +
        "', max(version) FROM consent_texts WHERE purpose = '" + purpose + "'");
  }

  /// Adds organisation `name` and makes `members` part of it.
  void organisation(const std::string& name, const std::string& type, const std::string& size,
                    const std::string& region, int retention_days,
                    const std::vector<std::string>& members) {
    const std::string id =
        sql("INSERT INTO organisations (name, type, size_band, region, retention_days) VALUES ('" +
            name + "', '" + type + "', '" + size + "', '" + region + "', " +
            std::to_string(retention_days) + ") RETURNING id");
    for (const auto& m : members) {
      sql("INSERT INTO organisation_members SELECT id, " + id + " FROM users WHERE name = '" + m +
          "'");
    }
  }
};

}  // namespace cyrange::privacy::testing
