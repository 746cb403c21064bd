#include <orchestrator/scoring/pg_ledger_store.h>

#include <mutex>

#include <orchestrator/store/database.h>
#include <orchestrator/store/pqxx_access.h>

namespace cyrange::scoring {
namespace {

namespace internal = store::internal;

std::string_view mode_name(BoardMode mode) {
  switch (mode) {
    case BoardMode::live:
      return "live";
    case BoardMode::frozen:
      return "frozen";
    case BoardMode::hidden:
      return "hidden";
  }
  return "live";
}

BoardMode parse_mode(const std::string& name) {
  if (name == "frozen") return BoardMode::frozen;
  if (name == "hidden") return BoardMode::hidden;
  return BoardMode::live;
}

// Thrown inside the transaction when `decide` refuses, so the transaction rolls back
// and the refusal reaches the caller unchanged.
struct Refused {
  Error error;
};

}  // namespace

struct PgLedgerStore::Impl {
  std::string uri;
  std::mutex mutex;
  std::unique_ptr<store::Database> db;

  Status ensure_connected() {
    if (db) return Status::success();
    auto opened = store::Database::connect(uri);
    if (!opened) return opened.error();
    db = std::move(opened).value();
    return Status::success();
  }

  // Runs `body(connection)` under the mutex; maps libpqxx exceptions to Errors and
  // drops a broken connection so the next call reconnects.
  template <class T, class Body>
  Expected<T> run(std::string_view doing, Body&& body) {
    std::lock_guard lock(mutex);
    if (auto connected = ensure_connected(); !connected) return connected.error();
    try {
      return body(internal::PqxxAccess::connection(*db));
    } catch (const Refused& refused) {
      return refused.error;
    } catch (const std::exception& e) {
      Error error = internal::to_error(e, doing, store::redact_uri(uri));
      if (internal::is_connection_lost(e)) db.reset();
      return error;
    }
  }
};

PgLedgerStore::PgLedgerStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PgLedgerStore::~PgLedgerStore() = default;

Expected<std::unique_ptr<PgLedgerStore>> PgLedgerStore::open(const std::string& uri) {
  auto impl = std::make_unique<Impl>();
  impl->uri = uri;
  if (auto connected = impl->ensure_connected(); !connected) return connected.error();
  return std::unique_ptr<PgLedgerStore>(new PgLedgerStore(std::move(impl)));
}

Expected<Outcome> PgLedgerStore::append_decided(const std::string& exercise,
                                                const std::string& team,
                                                const std::string& objective,
                                                const Decision& decide) {
  return impl_->run<Outcome>("appending to the score ledger", [&](pqxx::connection& conn) {
    pqxx::work tx(conn);
    // The lock row serialises every append of this team, also across daemons.
    tx.exec_params(
        "INSERT INTO score_teams (exercise_id, team) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        exercise, team);
    tx.exec_params("SELECT 1 FROM score_teams WHERE exercise_id = $1 AND team = $2 FOR UPDATE",
                   exercise, team);
    ObjectiveState state;
    if (!objective.empty()) {
      // Read after the lock: under READ COMMITTED each statement sees every commit before it.
      auto rows = tx.exec_params(
          "SELECT kind, item, points, exercise_time_ms FROM ledger_entries "
          "WHERE exercise_id = $1 AND team = $2 AND objective = $3 ORDER BY seq",
          exercise, team, objective);
      for (const auto& row : rows) {
        LedgerEntry entry;
        entry.team = team;
        entry.objective = objective;
        if (!parse_entry_kind(row[0].c_str(), entry.kind)) continue;  // CHECK forbids this
        entry.item = row[1].c_str();
        entry.points = row[2].as<int>();
        entry.exercise_time = std::chrono::milliseconds(row[3].as<std::int64_t>());
        state.apply(entry);
      }
    }
    auto outcome = decide(state);
    if (!outcome) throw Refused{outcome.error()};
    for (auto& entry : outcome->entries) {
      auto row = tx.exec_params1(
          "INSERT INTO ledger_entries (exercise_id, team, objective, item, kind, points, actor, "
          "reason, exercise_time_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING seq",
          exercise, entry.team, entry.objective, entry.item, std::string(to_string(entry.kind)),
          entry.points, entry.actor, entry.reason,
          static_cast<std::int64_t>(entry.exercise_time.count()));
      entry.seq = row[0].as<std::int64_t>();
    }
    tx.commit();
    return std::move(outcome).value();
  });
}

Expected<std::vector<LedgerEntry>> PgLedgerStore::entries(const std::string& exercise) {
  return impl_->run<std::vector<LedgerEntry>>(
      "reading the score ledger", [&](pqxx::connection& conn) {
        pqxx::read_transaction tx(conn);
        auto rows = tx.exec_params(
            "SELECT seq, team, objective, item, kind, points, actor, reason, exercise_time_ms "
            "FROM ledger_entries WHERE exercise_id = $1 ORDER BY seq",
            exercise);
        std::vector<LedgerEntry> out;
        out.reserve(rows.size());
        for (const auto& row : rows) {
          LedgerEntry entry;
          entry.seq = row[0].as<std::int64_t>();
          entry.team = row[1].c_str();
          entry.objective = row[2].c_str();
          entry.item = row[3].c_str();
          if (!parse_entry_kind(row[4].c_str(), entry.kind)) continue;
          entry.points = row[5].as<int>();
          entry.actor = row[6].c_str();
          entry.reason = row[7].c_str();
          entry.exercise_time = std::chrono::milliseconds(row[8].as<std::int64_t>());
          out.push_back(std::move(entry));
        }
        return out;
      });
}

Expected<BoardVisibility> PgLedgerStore::board_mode(const std::string& exercise) {
  return impl_->run<BoardVisibility>("reading the scoreboard mode", [&](pqxx::connection& conn) {
    pqxx::read_transaction tx(conn);
    auto rows = tx.exec_params(
        "SELECT mode, freeze_at_ms FROM scoreboard_modes WHERE exercise_id = $1", exercise);
    BoardVisibility mode;
    if (!rows.empty()) {
      mode.mode = parse_mode(rows[0][0].c_str());
      mode.freeze_at = std::chrono::milliseconds(rows[0][1].as<std::int64_t>());
    }
    return mode;
  });
}

Status PgLedgerStore::set_board_mode(const std::string& exercise, const BoardVisibility& mode,
                                     const std::string& actor) {
  auto done = impl_->run<bool>("storing the scoreboard mode", [&](pqxx::connection& conn) {
    pqxx::work tx(conn);
    tx.exec_params(
        "INSERT INTO scoreboard_modes (exercise_id, mode, freeze_at_ms, changed_by) "
        "VALUES ($1, $2, $3, $4) ON CONFLICT (exercise_id) DO UPDATE SET mode = EXCLUDED.mode, "
        "freeze_at_ms = EXCLUDED.freeze_at_ms, changed_by = EXCLUDED.changed_by, "
        "changed_at = now()",
        exercise, std::string(mode_name(mode.mode)),
        static_cast<std::int64_t>(mode.freeze_at.count()), actor);
    tx.commit();
    return true;
  });
  if (!done) return done.error();
  return Status::success();
}

Expected<std::string> PgLedgerStore::team_name(std::int64_t team_id) {
  auto name = impl_->run<std::string>("reading a team", [&](pqxx::connection& conn) {
    pqxx::read_transaction tx(conn);
    auto rows = tx.exec_params("SELECT name FROM teams WHERE id = $1", team_id);
    return rows.empty() ? std::string() : std::string(rows[0][0].c_str());
  });
  if (!name) return name.error();
  if (name->empty()) {
    return make_error(ErrorCode::not_found, "Team " + std::to_string(team_id) +
                                                " does not exist; check the user's team.");
  }
  return name;
}

}  // namespace cyrange::scoring
