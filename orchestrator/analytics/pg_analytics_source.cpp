#include <orchestrator/analytics/analytics_desk.h>

#include <algorithm>

#include <optional>

#include <orchestrator/store/session_pool.h>

namespace cyrange::analytics {
namespace {

// Microseconds since the epoch of a timestamptz expression, in SQL.
std::string micros(const std::string& column) {
  return "(extract(epoch FROM " + column + ") * 1000000)::bigint";
}

// When `exercise` started: its clock's start, else its first recorded action or ledger entry.
std::int64_t start_of(pqxx::transaction_base& tx, const std::string& exercise) {
  auto start = tx.exec_params(
      "SELECT coalesce((SELECT " + micros("started_at") +
          " FROM timeline_clocks WHERE exercise_id = $1), least((SELECT min(" + micros("wall_at") +
          ") FROM recorder_events WHERE exercise_id = $1), (SELECT min(" + micros("created_at") +
          ") FROM ledger_entries WHERE exercise_id = $1)), 0)",
      exercise);
  return start[0][0].as<std::int64_t>();
}

}  // namespace

// Reports are rare but may come at once (a console per instructor): a few connections, kept.
constexpr std::size_t kAnalyticsSessions = 2;

PgAnalyticsSource::PgAnalyticsSource(std::string uri)
    : pool_(std::make_unique<store::SessionPool>(std::move(uri), "analytics", kAnalyticsSessions)) {
}

PgAnalyticsSource::~PgAnalyticsSource() = default;

template <class T, class Body>
Expected<T> PgAnalyticsSource::read(const std::string& doing, Body&& body) {
  std::optional<Expected<T>> out;
  Status st = pool_->run(doing, [&](pqxx::work& tx) -> Status {
    out.emplace(body(tx));
    return Status::success();
  });
  if (!st) return st.error();
  return std::move(*out);
}

Expected<AnalyticsInput> PgAnalyticsSource::load(const std::string& exercise,
                                                 const std::string& team) {
  return read<AnalyticsInput>(
      "reading the analytics of exercise '" + exercise + "'",
      [&](pqxx::work& tx) -> Expected<AnalyticsInput> {
        if (tx.exec_params("SELECT 1 FROM exercises WHERE id = $1", exercise).empty()) {
          return make_error(ErrorCode::not_found, "Exercise '" + exercise +
                                                      "' does not exist; check the exercise id. "
                                                      "演習が存在しません。");
        }
        AnalyticsInput input;
        input.exercise = exercise;
        for (const auto& r : tx.exec_params(
                 "SELECT t.name FROM exercise_teams et JOIN teams t ON t.id = et.team_id "
                 "WHERE et.exercise_id = $1 AND ($2 = '' OR t.name = $2) ORDER BY t.name",
                 exercise, team))
          input.teams.push_back(r[0].as<std::string>());
        for (const auto& r : tx.exec_params(
                 "SELECT t.name, e.trainee, e.kind, " + micros("e.wall_at") +
                     ", coalesce((e.data->>'duration_ms')::bigint, 0) FROM recorder_events e "
                     "JOIN teams t ON t.id = e.team_id WHERE e.exercise_id = $1 AND e.kind IN "
                     "('command', 'answer', 'hint', 'report_edit', 'idle') AND ($2 = '' OR t.name "
                     "= "
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
        input.start_unix_us = start_of(tx, exercise);
        return input;
      });
}

Expected<std::string> PgAnalyticsSource::team_name(std::int64_t team_id) {
  return read<std::string>("reading a team name", [&](pqxx::work& tx) -> Expected<std::string> {
    auto rows = tx.exec_params("SELECT name FROM teams WHERE id = $1", team_id);
    if (rows.empty()) {
      return make_error(ErrorCode::not_found, "Team " + std::to_string(team_id) +
                                                  " does not exist. チームが存在しません。");
    }
    return rows[0][0].as<std::string>();
  });
}

Expected<std::string> PgAnalyticsSource::pseudonym_of(std::int64_t user_id,
                                                      const std::string& exercise) {
  return read<std::string>(
      "reading a trainee's pseudonym", [&](pqxx::work& tx) -> Expected<std::string> {
        auto rows = tx.exec_params(
            "SELECT pseudonym FROM trainee_pseudonyms WHERE user_id = $1 AND exercise_id = $2",
            user_id, exercise);
        return rows.empty() ? std::string() : rows[0][0].as<std::string>();
      });
}

Expected<TeamActivity> PgAnalyticsSource::activity(const std::string& exercise,
                                                   const std::string& team, std::size_t limit,
                                                   const std::optional<std::string>& only_trainee) {
  return read<TeamActivity>(
      "reading the activity of team '" + team + "'", [&](pqxx::work& tx) -> Expected<TeamActivity> {
        if (tx.exec_params("SELECT 1 FROM exercise_teams et JOIN teams t ON t.id = et.team_id "
                           "WHERE et.exercise_id = $1 AND t.name = $2",
                           exercise, team)
                .empty())
          return make_error(
              ErrorCode::not_found,
              "Team '" + team + "' does not play in exercise '" + exercise + "'; check both names.",
              "チーム '" + team + "' は演習 '" + exercise +
                  "' に参加していません。名前を確かめてください。");
        TeamActivity out{exercise, team, start_of(tx, exercise), {}, false};
        // The latest `limit` + 1 steps, newest first: one more than shown says some were left out.
        const auto rows = tx.exec_params(
            "SELECT at, trainee, kind, host, text, redacted, points FROM ("
            "  SELECT " +
                micros("e.wall_at") +
                " AS at, e.trainee, e.kind::text AS kind, "
                "    coalesce(e.data->>'host', '') AS host, "
                "    CASE e.kind::text "
                "      WHEN 'command' THEN coalesce(e.data->>'line', '') "
                "      WHEN 'answer' THEN coalesce(e.data->>'question_id', '') || ': ' || "
                "                         coalesce(e.data->>'answer', '') "
                "      WHEN 'hint' THEN coalesce(e.data->>'hint_id', '') "
                "      WHEN 'report_edit' THEN coalesce(e.data->>'section', '') || ' +' || "
                "        coalesce(e.data->>'chars_added', '0') || ' -' || "
                "        coalesce(e.data->>'chars_removed', '0') "
                "      ELSE coalesce(e.data->>'duration_ms', '0') END AS text, "
                "    coalesce((e.data->>'redacted')::boolean, false) AS redacted, 0 AS points, "
                "    0 AS source, e.seq AS tiebreak "
                "  FROM recorder_events e JOIN teams t ON t.id = e.team_id "
                "  WHERE e.exercise_id = $1 AND t.name = $2 "
                "    AND e.kind IN ('command', 'answer', 'hint', 'report_edit', 'idle') "
                "    AND (NOT $4 OR e.trainee = $5) "
                "  UNION ALL "
                "  SELECT " +
                micros("created_at") +
                ", '', 'ledger:' || kind, '', "
                "    btrim(objective || ' ' || item), false, points, 1, seq "
                "  FROM ledger_entries WHERE exercise_id = $1 AND team = $2"
                // At the same instant, what a trainee did comes before what the ledger made of it.
                ") steps ORDER BY at DESC, source DESC, tiebreak DESC LIMIT $3",
            exercise, team, static_cast<std::int64_t>(limit) + 1, only_trainee.has_value(),
            only_trainee.value_or(""));
        for (const auto& r : rows) {
          if (out.entries.size() == limit) {
            out.truncated = true;
            break;
          }
          out.entries.push_back({r[0].as<std::int64_t>(), r[1].as<std::string>(),
                                 r[2].as<std::string>(), r[3].as<std::string>(),
                                 r[4].as<std::string>(), r[5].as<bool>(), r[6].as<std::int64_t>()});
        }
        std::reverse(out.entries.begin(), out.entries.end());
        return out;
      });
}

}  // namespace cyrange::analytics
