#include <orchestrator/timeline/pg_store.h>

#include <chrono>
#include <cstdio>
#include <set>

#include <orchestrator/store/pg_session.h>
#include <orchestrator/timeline/item_json.h>

namespace cyrange::timeline {
namespace {

// libpqxx 6 has no std::optional parameters; a null const char* is SQL NULL.
class Nullable {
 public:
  explicit Nullable(const std::optional<double>& value) {
    if (value) {
      char buffer[40];
      std::snprintf(buffer, sizeof buffer, "%.17g", *value);
      text_ = buffer;
      null_ = false;
    }
  }
  explicit Nullable(const std::optional<std::string>& value) {
    if (value) {
      text_ = *value;
      null_ = false;
    }
  }
  const char* get() const { return null_ ? nullptr : text_.c_str(); }

 private:
  std::string text_;
  bool null_ = true;
};

std::optional<double> opt_double(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<double>();
}

double to_epoch(std::chrono::system_clock::time_point t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

std::chrono::system_clock::time_point from_epoch(double seconds) {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::duration<double>(seconds)));
}

std::string states_array(const std::vector<ExecState>& states) {
  std::string out = "{";
  for (std::size_t i = 0; i < states.size(); ++i) {
    if (i) out += ",";
    out += to_string(states[i]);
  }
  return out + "}";
}

}  // namespace

// One transaction per call, reconnecting once after a lost connection (store::PgSession).
struct PgTimelineStore::Impl {
  std::unique_ptr<store::PgSession> session;
};

PgTimelineStore::PgTimelineStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PgTimelineStore::~PgTimelineStore() = default;

Expected<std::unique_ptr<PgTimelineStore>> PgTimelineStore::open(const std::string& uri) {
  auto session = store::PgSession::open(uri, "timeline");
  if (!session) return session.error();
  auto impl = std::make_unique<Impl>();
  impl->session = std::move(session).value();
  return std::unique_ptr<PgTimelineStore>(new PgTimelineStore(std::move(impl)));
}

Status PgTimelineStore::add_executions(const std::string& exercise, const std::string& team,
                                       const std::vector<TimelineItem>& items) {
  auto done = impl_->session->fetch<bool>("creating timeline executions", [&](pqxx::work& tx) {
    for (const auto& item : items) {
      tx.exec_params0(
          "INSERT INTO timeline_executions (exercise_id, team, item_id, seq, definition) "
          "VALUES ($1, $2, $3, $4, $5::jsonb) ON CONFLICT (exercise_id, team, item_id) DO NOTHING",
          exercise, team, item.id, item.seq, item_to_json(item));
    }
    return true;
  });
  return done ? Status::success() : Status(done.error());
}

Expected<std::vector<Execution>> PgTimelineStore::load(const std::string& exercise) {
  auto rows = impl_->session->fetch<pqxx::result>("loading the timeline", [&](pqxx::work& tx) {
    return tx.exec_params(
        "SELECT id, team, definition::text, state, due_at, fired_at, finished_at, attempts, "
        "coalesce(choice, ''), chosen_at, detail FROM timeline_executions "
        "WHERE exercise_id = $1 ORDER BY team, seq",
        exercise);
  });
  if (!rows) return rows.error();
  std::vector<Execution> out;
  for (const auto& row : *rows) {
    Execution e;
    e.id = row[0].as<std::int64_t>();
    e.exercise = exercise;
    e.team = row[1].as<std::string>();
    auto item = item_from_json(row[2].as<std::string>());
    if (!item) return item.error();
    e.item = std::move(item).value();
    auto state = parse_exec_state(row[3].as<std::string>());
    if (!state) return state.error();
    e.state = *state;
    e.due_at = opt_double(row[4]);
    e.fired_at = opt_double(row[5]);
    e.finished_at = opt_double(row[6]);
    e.attempts = row[7].as<int>();
    e.choice = row[8].as<std::string>();
    e.chosen_at = opt_double(row[9]);
    e.detail = row[10].as<std::string>();
    out.push_back(std::move(e));
  }
  return out;
}

Expected<std::vector<std::string>> PgTimelineStore::exercises() {
  return impl_->session->fetch<std::vector<std::string>>("listing timelines", [](pqxx::work& tx) {
    std::vector<std::string> ids;
    for (const auto& row : tx.exec("SELECT exercise_id FROM timeline_clocks UNION "
                                   "SELECT DISTINCT exercise_id FROM timeline_executions "
                                   "ORDER BY 1")) {
      ids.push_back(row[0].as<std::string>());
    }
    return ids;
  });
}

Expected<bool> PgTimelineStore::change(const ExecutionChange& c) {
  const Nullable due(c.due_at), fired(c.fired_at), finished(c.finished_at), chosen(c.chosen_at);
  const Nullable choice(c.choice), detail(c.detail);
  // One statement: the state test and the update are atomic, which is the claim.
  return impl_->session->fetch<bool>("updating a timeline execution", [&](pqxx::work& tx) {
    const auto rows = tx.exec_params(
        "UPDATE timeline_executions SET state = $3, "
        "due_at = coalesce($4::double precision, due_at), "
        "fired_at = coalesce($5::double precision, fired_at), "
        "finished_at = coalesce($6::double precision, finished_at), "
        "choice = coalesce($7, choice), chosen_at = coalesce($8::double precision, chosen_at), "
        "detail = coalesce($9, detail), attempts = attempts + $10, updated_at = now() "
        "WHERE id = $1 AND state = ANY ($2::text[]) RETURNING id",
        c.id, states_array(c.from), std::string(to_string(c.to)), due.get(), fired.get(),
        finished.get(), choice.get(), chosen.get(), detail.get(), c.count_attempt ? 1 : 0);
    return !rows.empty();
  });
}

Expected<std::optional<ClockState>> PgTimelineStore::load_clock(const std::string& exercise) {
  return impl_->session->fetch<std::optional<ClockState>>(
      "reading the exercise clock", [&](pqxx::work& tx) {
        const auto rows = tx.exec_params(
            "SELECT extract(epoch FROM started_at)::double precision, "
            "extract(epoch FROM segment_started_at)::double precision, accumulated_seconds, speed, "
            "paused FROM timeline_clocks WHERE exercise_id = $1",
            exercise);
        if (rows.empty()) return std::optional<ClockState>();
        ClockState state;
        if (!rows[0][0].is_null()) state.started_at = from_epoch(rows[0][0].as<double>());
        state.segment_started_at = from_epoch(rows[0][1].as<double>());
        state.accumulated = rows[0][2].as<double>();
        state.speed = rows[0][3].as<double>();
        state.paused = rows[0][4].as<bool>();
        return std::optional<ClockState>(state);
      });
}

Status PgTimelineStore::save_clock(const std::string& exercise, const ClockState& s) {
  std::optional<double> started;
  if (s.started_at) started = to_epoch(*s.started_at);
  const Nullable started_text(started);
  auto done = impl_->session->fetch<bool>("saving the exercise clock", [&](pqxx::work& tx) {
    tx.exec_params0(
        "INSERT INTO timeline_clocks (exercise_id, started_at, segment_started_at, "
        "accumulated_seconds, speed, paused) VALUES ($1, to_timestamp($2::double precision), "
        "to_timestamp($3), $4, $5, $6) ON CONFLICT (exercise_id) DO UPDATE SET "
        "started_at = EXCLUDED.started_at, segment_started_at = EXCLUDED.segment_started_at, "
        "accumulated_seconds = EXCLUDED.accumulated_seconds, speed = EXCLUDED.speed, "
        "paused = EXCLUDED.paused",
        exercise, started_text.get(), to_epoch(s.segment_started_at), s.accumulated, s.speed,
        s.paused);
    return true;
  });
  return done ? Status::success() : Status(done.error());
}

Expected<std::optional<std::string>> PgTimelineStore::team_name(std::int64_t team_id) {
  return impl_->session->fetch<std::optional<std::string>>(
      "looking up a team", [&](pqxx::work& tx) {
        const auto rows = tx.exec_params("SELECT name FROM teams WHERE id = $1", team_id);
        if (rows.empty()) return std::optional<std::string>();
        return std::optional<std::string>(rows[0][0].as<std::string>());
      });
}

}  // namespace cyrange::timeline
