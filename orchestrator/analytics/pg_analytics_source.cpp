#include <orchestrator/analytics/analytics_desk.h>

#include <orchestrator/store/database.h>
#include <orchestrator/store/pqxx_access.h>

namespace cyrange::analytics {
namespace {

namespace internal = store::internal;

// Microseconds since the epoch of a timestamptz expression, in SQL.
std::string micros(const std::string& column) {
  return "(extract(epoch FROM " + column + ") * 1000000)::bigint";
}

}  // namespace

PgAnalyticsSource::PgAnalyticsSource(std::string uri) : uri_(std::move(uri)) {}

Expected<AnalyticsInput> PgAnalyticsSource::load(const std::string& exercise,
                                                 const std::string& team) {
  auto db = store::Database::connect(uri_);
  if (!db) return db.error();
  try {
    pqxx::read_transaction tx(internal::PqxxAccess::connection(**db));
    if (tx.exec_params("SELECT 1 FROM exercises WHERE id = $1", exercise).empty()) {
      return make_error(ErrorCode::not_found, "Exercise '" + exercise +
                                                  "' does not exist; check the exercise id. "
                                                  "演習が存在しません。");
    }
    AnalyticsInput input;
    input.exercise = exercise;
    for (const auto& r :
         tx.exec_params("SELECT t.name FROM exercise_teams et JOIN teams t ON t.id = et.team_id "
                        "WHERE et.exercise_id = $1 AND ($2 = '' OR t.name = $2) ORDER BY t.name",
                        exercise, team))
      input.teams.push_back(r[0].as<std::string>());
    for (const auto& r : tx.exec_params(
             "SELECT t.name, e.trainee, e.kind, " + micros("e.wall_at") +
                 ", coalesce((e.data->>'duration_ms')::bigint, 0) FROM recorder_events e "
                 "JOIN teams t ON t.id = e.team_id WHERE e.exercise_id = $1 AND e.kind IN "
                 "('command', 'answer', 'hint', 'report_edit', 'idle') AND ($2 = '' OR t.name = "
                 "$2)",
             exercise, team)) {
      input.actions.push_back({r[0].as<std::string>(), r[1].as<std::string>(),
                               r[2].as<std::string>(), r[3].as<std::int64_t>(),
                               r[4].as<std::int64_t>()});
    }
    for (const auto& r :
         tx.exec_params("SELECT team, objective, kind, " + micros("created_at") +
                            " FROM ledger_entries WHERE exercise_id = $1 AND kind IN ('solve', "
                            "'hint') AND ($2 = '' OR team = $2) ORDER BY seq",
                        exercise, team)) {
      input.ledger.push_back({r[0].as<std::string>(), r[1].as<std::string>(),
                              r[2].as<std::string>(), r[3].as<std::int64_t>()});
    }
    // The start is the exercise clock's, for every team alike (not the first row
    // of the team asked for), so that numbers of one team do not depend on scope.
    auto start = tx.exec_params(
        "SELECT coalesce((SELECT " + micros("started_at") +
            " FROM timeline_clocks WHERE exercise_id = $1), least((SELECT min(" +
            micros("wall_at") + ") FROM recorder_events WHERE exercise_id = $1), (SELECT min(" +
            micros("created_at") + ") FROM ledger_entries WHERE exercise_id = $1)), 0)",
        exercise);
    input.start_unix_us = start[0][0].as<std::int64_t>();
    return input;
  } catch (const std::exception& e) {
    return internal::to_error(e, "reading the analytics of exercise '" + exercise + "'",
                              store::redact_uri(uri_));
  }
}

Expected<std::string> PgAnalyticsSource::team_name(std::int64_t team_id) {
  auto db = store::Database::connect(uri_);
  if (!db) return db.error();
  try {
    pqxx::read_transaction tx(internal::PqxxAccess::connection(**db));
    auto rows = tx.exec_params("SELECT name FROM teams WHERE id = $1", team_id);
    if (rows.empty()) {
      return make_error(ErrorCode::not_found, "Team " + std::to_string(team_id) +
                                                  " does not exist. チームが存在しません。");
    }
    return rows[0][0].as<std::string>();
  } catch (const std::exception& e) {
    return internal::to_error(e, "reading a team name", store::redact_uri(uri_));
  }
}

}  // namespace cyrange::analytics
