#include <orchestrator/course/pg_course_store.h>

#include <orchestrator/identity/token.h>
#include <orchestrator/store/pg_session.h>

namespace cyrange::course {
namespace {

// Times travel as microseconds since the epoch (NULL stays NULL).
#define CYRANGE_MICROS(column) "(extract(epoch FROM " column ") * 1000000)::bigint"

// The columns run_from() reads; the queue position counts the queued runs created before.
#define CYRANGE_RUN_COLUMNS \
  "r.id, r.course_id, r.user_id, u.name, r.state, r.exercise_id, r.team, " \
  "r.detail, "          \
  CYRANGE_MICROS("r.created_at") ", " CYRANGE_MICROS("r.last_active_at") ", " CYRANGE_MICROS( \
      "r.expires_at") ", " CYRANGE_MICROS("r.started_at") ", " CYRANGE_MICROS(                \
      "r.paused_at") ", " CYRANGE_MICROS("r.ended_at") ", "                                   \
                       "CASE WHEN r.state = 'queued' THEN (SELECT count(*) FROM course_runs q " \
                       "WHERE q.state = 'queued' AND q.id <= r.id) ELSE 0 END, "             \
                       "coalesce(l.score, 0), coalesce(l.solved, 0), coalesce(l.hints, 0)"

// The run's results: its team's ledger in its exercise.
#define CYRANGE_RUN_FROM                                                         \
  " FROM course_runs r JOIN users u ON u.id = r.user_id "                        \
  "LEFT JOIN LATERAL (SELECT sum(e.points)::int AS score, "                      \
  "count(DISTINCT e.objective) FILTER (WHERE e.kind = 'solve')::int AS solved, " \
  "count(*) FILTER (WHERE e.kind = 'hint')::int AS hints FROM ledger_entries e " \
  "WHERE e.exercise_id = r.exercise_id AND e.team = r.team) l ON true "

#define CYRANGE_COURSE_COLUMNS                                                        \
  "c.id, c.scenario_id, c.title_ja, c.title_en, c.scenario_file, c.scenario_yaml, "   \
  "c.expires_after_days, c.clock_speed, c.published_by, c.withdrawn_at IS NOT NULL, " \
  "ARRAY(SELECT o.name FROM course_organisations co JOIN organisations o "            \
  "ON o.id = co.organisation_id WHERE co.course_id = c.id ORDER BY o.name), "         \
  "c.time_limit_seconds"

TimePoint from_micros(std::int64_t micros) {
  return TimePoint(
      std::chrono::duration_cast<TimePoint::duration>(std::chrono::microseconds(micros)));
}

std::int64_t micros(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

std::optional<TimePoint> optional_time(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return from_micros(field.as<std::int64_t>());
}

std::optional<std::int64_t> optional_micros(const std::optional<TimePoint>& t) {
  if (!t) return std::nullopt;
  return micros(*t);
}

std::optional<std::string> optional_text(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return text;
}

Expected<Run> run_from(const pqxx::row& row) {
  Run run;
  run.id = row[0].as<std::int64_t>();
  run.course = row[1].as<std::string>();
  run.user_id = row[2].as<std::int64_t>();
  run.user = row[3].as<std::string>();
  auto state = parse_run_state(row[4].as<std::string>());
  if (!state) return state.error();
  run.state = *state;
  run.exercise = row[5].is_null() ? "" : row[5].as<std::string>();
  run.team = row[6].is_null() ? "" : row[6].as<std::string>();
  run.detail = row[7].as<std::string>();
  run.created_at = from_micros(row[8].as<std::int64_t>());
  run.last_active_at = from_micros(row[9].as<std::int64_t>());
  run.expires_at = from_micros(row[10].as<std::int64_t>());
  run.started_at = optional_time(row[11]);
  run.paused_at = optional_time(row[12]);
  run.ended_at = optional_time(row[13]);
  run.queue_position = row[14].as<int>();
  run.results.score = row[15].as<int>();
  run.results.objectives_solved = row[16].as<int>();
  run.results.hints_taken = row[17].as<int>();
  return run;
}

std::vector<std::string> text_array(const pqxx::field& field) {
  std::vector<std::string> out;
  auto parser = field.as_array();
  for (auto [kind, value] = parser.get_next(); kind != pqxx::array_parser::juncture::done;
       std::tie(kind, value) = parser.get_next()) {
    if (kind == pqxx::array_parser::juncture::string_value) out.push_back(value);
  }
  return out;
}

Course course_from(const pqxx::row& row) {
  Course c;
  c.id = row[0].as<std::string>();
  c.scenario_id = row[1].as<std::string>();
  c.title_ja = row[2].as<std::string>();
  c.title_en = row[3].as<std::string>();
  c.scenario_file = row[4].as<std::string>();
  c.scenario_yaml = row[5].as<std::string>();
  c.expires_after_days = row[6].as<int>();
  c.clock_speed = row[7].as<double>();
  c.published_by = row[8].as<std::string>();
  c.withdrawn = row[9].as<bool>();
  c.organisations = text_array(row[10]);
  if (!row[11].is_null()) c.time_limit = std::chrono::seconds(row[11].as<int>());
  return c;
}

Error no_course(const std::string& id) {
  return make_error(
      ErrorCode::not_found, "There is no course '" + id + "'; `cyrange course list` shows them.",
      "コース '" + id + "' はありません。`cyrange course list` で一覧を確認してください。");
}

}  // namespace

struct PgCourseStore::Impl {
  std::unique_ptr<store::PgSession> session;
};

PgCourseStore::PgCourseStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PgCourseStore::~PgCourseStore() = default;

Expected<std::unique_ptr<PgCourseStore>> PgCourseStore::open(const std::string& uri) {
  auto session = store::PgSession::open(uri, "course");
  if (!session) return session.error();
  auto impl = std::make_unique<Impl>();
  impl->session = std::move(session).value();
  return std::unique_ptr<PgCourseStore>(new PgCourseStore(std::move(impl)));
}

Status PgCourseStore::publish(const Course& c) {
  return impl_->session->run("publishing course '" + c.id + "'", [&](pqxx::work& tx) -> Status {
    tx.exec_params(
        "INSERT INTO courses (id, scenario_id, title_ja, title_en, scenario_file, scenario_yaml, "
        "expires_after_days, clock_speed, published_by, time_limit_seconds) "
        "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) "
        "ON CONFLICT (id) DO UPDATE SET scenario_id = $2, title_ja = $3, title_en = $4, "
        "scenario_file = $5, scenario_yaml = $6, expires_after_days = $7, clock_speed = $8, "
        "published_by = $9, time_limit_seconds = $10, published_at = now(), withdrawn_at = NULL",
        c.id, c.scenario_id, c.title_ja, c.title_en, c.scenario_file, c.scenario_yaml,
        c.expires_after_days, c.clock_speed, c.published_by,
        c.time_limit ? std::optional<int>(static_cast<int>(c.time_limit->count()))
                     : std::optional<int>());
    tx.exec_params("DELETE FROM course_organisations WHERE course_id = $1", c.id);
    for (const auto& org : c.organisations) {
      const auto found = tx.exec_params("SELECT id FROM organisations WHERE name = $1", org);
      if (found.empty())
        return make_error(ErrorCode::not_found,
                          "There is no organisation '" + org +
                              "'; add it with `cyrange privacy org put` or check the spelling.",
                          "組織 '" + org +
                              "' はありません。`cyrange privacy org put` で追加するか、"
                              "綴りを確認してください。");
      tx.exec_params("INSERT INTO course_organisations VALUES ($1, $2)", c.id,
                     found[0][0].as<std::int64_t>());
    }
    tx.exec_params(
        "INSERT INTO audit_log (action, object, detail) VALUES ('course.publish', $1, "
        "jsonb_build_object('by', $2::text))",
        "course:" + c.id, c.published_by);
    return Status::success();
  });
}

Status PgCourseStore::withdraw(const std::string& id, const std::string& by) {
  return impl_->session->run("withdrawing course '" + id + "'", [&](pqxx::work& tx) -> Status {
    const auto done = tx.exec_params(
        "UPDATE courses SET withdrawn_at = coalesce(withdrawn_at, now()) WHERE id = $1", id);
    if (done.affected_rows() == 0) return no_course(id);
    tx.exec_params(
        "INSERT INTO audit_log (action, object, detail) VALUES ('course.withdraw', $1, "
        "jsonb_build_object('by', $2::text))",
        "course:" + id, by);
    return Status::success();
  });
}

Expected<std::vector<Course>> PgCourseStore::courses() {
  return impl_->session->fetch<std::vector<Course>>("listing courses", [&](pqxx::work& tx) {
    std::vector<Course> out;
    for (const auto& row :
         tx.exec("SELECT " CYRANGE_COURSE_COLUMNS " FROM courses c ORDER BY c.id"))
      out.push_back(course_from(row));
    return out;
  });
}

Expected<Course> PgCourseStore::course(const std::string& id) {
  std::optional<Course> found;
  auto st = impl_->session->run("reading course '" + id + "'", [&](pqxx::work& tx) -> Status {
    const auto rows =
        tx.exec_params("SELECT " CYRANGE_COURSE_COLUMNS " FROM courses c WHERE c.id = $1", id);
    if (!rows.empty()) found = course_from(rows[0]);
    return Status::success();
  });
  if (!st) return st.error();
  if (!found) return no_course(id);
  return *found;
}

Expected<std::vector<std::string>> PgCourseStore::organisations_of(std::int64_t user_id) {
  return impl_->session->fetch<std::vector<std::string>>(
      "reading a trainee's organisation", [&](pqxx::work& tx) {
        std::vector<std::string> out;
        for (const auto& row :
             tx.exec_params("SELECT o.name FROM organisation_members m JOIN organisations o "
                            "ON o.id = m.organisation_id WHERE m.user_id = $1",
                            user_id))
          out.push_back(row[0].as<std::string>());
        return out;
      });
}

Expected<std::optional<std::string>> PgCourseStore::joined_course(std::int64_t user_id) {
  return impl_->session->fetch<std::optional<std::string>>(
      "reading the course a trainee joined", [&](pqxx::work& tx) -> std::optional<std::string> {
        const auto rows =
            tx.exec_params("SELECT course_id FROM course_code_users WHERE user_id = $1", user_id);
        if (rows.empty()) return std::nullopt;
        return rows[0][0].as<std::string>();
      });
}

Expected<std::optional<Run>> PgCourseStore::open_run(const std::string& course,
                                                     std::int64_t user_id) {
  std::optional<Run> found;
  auto st = impl_->session->run("finding an open run", [&](pqxx::work& tx) -> Status {
    const auto rows = tx.exec_params("SELECT " CYRANGE_RUN_COLUMNS CYRANGE_RUN_FROM
                                     "WHERE r.course_id = $1 AND r.user_id = $2 "
                                     "AND r.state IN ('queued', 'starting', 'running', 'paused')",
                                     course, user_id);
    if (rows.empty()) return Status::success();
    auto run = run_from(rows[0]);
    if (!run) return run.error();
    found = std::move(*run);
    return Status::success();
  });
  if (!st) return st.error();
  return found;
}

Expected<Run> PgCourseStore::add_run(const std::string& course, std::int64_t user_id,
                                     TimePoint expires_at) {
  std::int64_t id = 0;
  auto st = impl_->session->run("adding a run of '" + course + "'", [&](pqxx::work& tx) -> Status {
    id = tx.exec_params1(
               "INSERT INTO course_runs (course_id, user_id, state, expires_at) "
               "VALUES ($1, $2, 'queued', to_timestamp($3::double precision / 1000000)) "
               "RETURNING id",
               course, user_id, micros(expires_at))[0]
             .as<std::int64_t>();
    return Status::success();
  });
  if (!st) return st.error();
  return run(id);
}

Expected<Run> PgCourseStore::run(std::int64_t id) {
  std::optional<Run> found;
  auto st = impl_->session->run("reading a run", [&](pqxx::work& tx) -> Status {
    const auto rows =
        tx.exec_params("SELECT " CYRANGE_RUN_COLUMNS CYRANGE_RUN_FROM "WHERE r.id = $1", id);
    if (rows.empty()) return Status::success();
    auto run = run_from(rows[0]);
    if (!run) return run.error();
    found = std::move(*run);
    return Status::success();
  });
  if (!st) return st.error();
  if (!found)
    return make_error(ErrorCode::not_found, "There is no run " + std::to_string(id) + ".",
                      "実行 " + std::to_string(id) + " はありません。");
  return *found;
}

Expected<std::optional<std::int64_t>> PgCourseStore::run_owner(const std::string& exercise) {
  return impl_->session->fetch<std::optional<std::int64_t>>(
      "finding whose run an exercise is", [&](pqxx::work& tx) -> std::optional<std::int64_t> {
        const auto rows =
            tx.exec_params("SELECT user_id FROM course_runs WHERE exercise_id = $1", exercise);
        if (rows.empty()) return std::nullopt;
        return rows[0][0].as<std::int64_t>();
      });
}

Expected<std::vector<Run>> PgCourseStore::runs(std::int64_t user_id) {
  std::vector<Run> out;
  auto st = impl_->session->run("listing runs", [&](pqxx::work& tx) -> Status {
    const auto rows = tx.exec_params("SELECT " CYRANGE_RUN_COLUMNS CYRANGE_RUN_FROM
                                     "WHERE $1 = 0 OR r.user_id = $1 ORDER BY r.id DESC",
                                     user_id);
    for (const auto& row : rows) {
      auto run = run_from(row);
      if (!run) return run.error();
      out.push_back(std::move(*run));
    }
    return Status::success();
  });
  if (!st) return st.error();
  return out;
}

Status PgCourseStore::update(const Run& r) {
  return impl_->session->run("updating run " + std::to_string(r.id), [&](pqxx::work& tx) {
    tx.exec_params(
        "UPDATE course_runs SET state = $2, exercise_id = $3, team = $4, detail = $5, "
        "last_active_at = to_timestamp($6::double precision / 1000000), "
        "started_at = to_timestamp($7::double precision / 1000000), "
        "paused_at = to_timestamp($8::double precision / 1000000), "
        "ended_at = to_timestamp($9::double precision / 1000000) WHERE id = $1",
        r.id, std::string(to_string(r.state)), optional_text(r.exercise), optional_text(r.team),
        r.detail, micros(r.last_active_at), optional_micros(r.started_at),
        optional_micros(r.paused_at), optional_micros(r.ended_at));
    return Status::success();
  });
}

Expected<CourseStore::Load> PgCourseStore::load(std::int64_t user_id) {
  return impl_->session->fetch<Load>("counting running runs", [&](pqxx::work& tx) {
    const auto row = tx.exec_params1(
        "WITH org AS (SELECT o.id, o.self_paced_quota FROM organisation_members m "
        "             JOIN organisations o ON o.id = m.organisation_id WHERE m.user_id = $1) "
        "SELECT (SELECT count(*) FROM course_runs WHERE state IN ('starting', 'running')), "
        "       (SELECT count(*) FROM course_runs r JOIN organisation_members m "
        "          ON m.user_id = r.user_id JOIN org ON org.id = m.organisation_id "
        "        WHERE r.state IN ('starting', 'running')), "
        "       (SELECT self_paced_quota FROM org)",
        user_id);
    Load load;
    load.running = row[0].as<int>();
    load.organisation_running = row[1].as<int>();
    if (!row[2].is_null()) load.organisation_quota = row[2].as<int>();
    return load;
  });
}

Expected<std::string> PgCourseStore::issue_run_token(std::int64_t user_id,
                                                     const std::string& exercise,
                                                     const std::string& team,
                                                     std::chrono::seconds ttl) {
  const std::string token = identity::generate_token();
  auto st = impl_->session->run("issuing a run token", [&](pqxx::work& tx) -> Status {
    const auto team_id = tx.exec_params1(
                               "INSERT INTO teams (name) VALUES ($1) ON CONFLICT (name) DO UPDATE "
                               "SET name = EXCLUDED.name RETURNING id",
                               team)[0]
                             .as<std::int64_t>();
    tx.exec_params(
        "INSERT INTO api_tokens (user_id, token_hash, expires_at, exercise_id, team_id) "
        "VALUES ($1, $2, now() + make_interval(secs => $3::double precision), $4, $5)",
        user_id, identity::hash_token(token), static_cast<double>(ttl.count()), exercise, team_id);
    return Status::success();
  });
  if (!st) return st.error();
  return token;
}

Status PgCourseStore::audit(std::optional<std::int64_t> actor, const std::string& action,
                            const std::string& object) {
  return impl_->session->run("writing the audit log", [&](pqxx::work& tx) {
    tx.exec_params("INSERT INTO audit_log (actor_user_id, action, object) VALUES ($1, $2, $3)",
                   actor, action, object);
    return Status::success();
  });
}

}  // namespace cyrange::course
