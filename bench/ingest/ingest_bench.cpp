// `cyrange bench ingest`: the same synthetic trainee events loaded three ways into
// one scratch PostgreSQL database, one after the other in the same run:
//   ours    RecorderClient (durable disk buffer) -> gRPC on 127.0.0.1 ->
//           RecorderService -> IngestPipeline (group commit with COPY), timed from
//           the first record() to the last acknowledgement;
//   copy    the rows ours stored, read back and loaded with one raw COPY into a
//           scratch table of the same shape: the ceiling for a single writer;
//   insert  the same rows, one autocommitted INSERT each, as a naive recorder
//           that writes every event as it arrives would (timed on a sample).
#include <bench/ingest/ingest_bench.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>

#include <pqxx/pqxx>

#include <client-core/recorder_client.h>
#include <orchestrator/identity/identity_store.h>
#include <orchestrator/recorder/ingest_pipeline.h>
#include <orchestrator/recorder/pg_event_store.h>
#include <orchestrator/rpc/server.h>
#include <orchestrator/store/pqxx_access.h>
#include <orchestrator/store/testing/temp_database.h>

namespace cyrange::bench {
namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kExercise = "bench-ingest";

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A plausible mix: mostly keys and pointer moves, some clicks and commands.
std::vector<client::TraineeEvent> synthetic_events(std::size_t n) {
  std::mt19937 rng(42);
  std::vector<client::TraineeEvent> events(n);
  const std::int64_t wall0 = 1714555800000000;
  for (std::size_t i = 0; i < n; ++i) {
    client::TraineeEvent& e = events[i];
    e.exercise_id = kExercise;
    e.monotonic_ns = static_cast<std::int64_t>(i) * 50'000'000;
    e.wall_unix_us = wall0 + static_cast<std::int64_t>(i) * 50'000;
    const unsigned pick = rng() % 100;
    if (pick < 55) {
      e.kind = client::TraineeEventKind::key;
      e.key = std::string(1, static_cast<char>('a' + rng() % 26));
      e.text = e.key;
      e.secret = pick < 3;
    } else if (pick < 85) {
      e.kind = client::TraineeEventKind::mouse_move;
      e.x = static_cast<std::int32_t>(rng() % 1920);
      e.y = static_cast<std::int32_t>(rng() % 1080);
      e.count = 1 + rng() % 8;
    } else if (pick < 93) {
      e.kind = client::TraineeEventKind::click;
      e.x = static_cast<std::int32_t>(rng() % 1920);
      e.y = static_cast<std::int32_t>(rng() % 1080);
      e.count = 1;
    } else if (pick < 98) {
      e.kind = client::TraineeEventKind::command;
      e.target = "ws0" + std::to_string(rng() % 4);
      e.text = "grep -i beacon /var/log/squid/access.log | tail -n " + std::to_string(rng() % 100);
    } else {
      e.kind = client::TraineeEventKind::focus;
      e.target = "terminal:ws01";
    }
  }
  return events;
}

template <class T>
Expected<T> check(Expected<T> value, const char* what, std::ostream& out) {
  if (!value) out << "bench ingest: " << what << " failed: " << value.error().message << "\n";
  return value;
}

}  // namespace

std::string summary_line(const IngestBenchResult& r) {
  char line[256];
  std::snprintf(
      line, sizeof line,
      "ingest: events=%zu ours_per_s=%.0f copy_per_s=%.0f insert_per_s=%.0f ratio_copy=%.2f "
      "ratio_insert=%.1f",
      r.events, r.ours_per_s, r.copy_per_s, r.insert_per_s,
      r.copy_per_s > 0 ? r.ours_per_s / r.copy_per_s : 0.0,
      r.insert_per_s > 0 ? r.ours_per_s / r.insert_per_s : 0.0);
  return line;
}

Expected<IngestBenchResult> run_ingest_bench(const IngestBenchOptions& options, std::ostream& out) {
  IngestBenchResult result;
  result.events = options.events;
  if (options.events == 0) {
    return make_error(ErrorCode::invalid_argument, "--events must be at least 1.");
  }
  std::unique_ptr<store::testing::TempDatabase> db;
  try {
    db = std::make_unique<store::testing::TempDatabase>();
  } catch (const std::exception& e) {
    return make_error(ErrorCode::unavailable, e.what());
  }
  out << "bench ingest: scratch database " << db->name() << "\n";

  auto identities = check(identity::PgIdentityStore::open(db->uri()), "opening identities", out);
  if (!identities) return identities.error();
  std::shared_ptr<identity::PgIdentityStore> ids = std::move(identities).value();
  auto user = ids->add_user({"bench-trainee", identity::Role::trainee, "bench-team", "", ""});
  if (!user) return user.error();
  auto team = ids->ensure_team("bench-team");
  if (!team) return team.error();
  auto token = ids->issue_token("bench-trainee", std::chrono::hours(1));
  if (!token) return token.error();

  try {
    auto conn = store::Database::connect(db->uri());
    if (!conn) return conn.error();
    pqxx::work tx(store::internal::PqxxAccess::connection(**conn));
    tx.exec_params(
        "INSERT INTO exercises (id, scenario_id, scenario_hash, state) VALUES ($1, 'bench', '-', "
        "'running')",
        kExercise);
    tx.exec_params("INSERT INTO exercise_teams VALUES ($1, $2)", kExercise, *team);
    // The trainee agreed to recording; the writer checks it in every commit.
    tx.exec_params(
        "INSERT INTO consents (user_id, exercise_id, purpose, version) SELECT $1, $2, "
        "'scoring', max(version) FROM consent_texts WHERE purpose = 'scoring'",
        *user, kExercise);
    tx.commit();
  } catch (const std::exception& e) {
    return make_error(ErrorCode::internal,
                      std::string("Preparing the bench exercise failed: ") + e.what());
  }

  auto started = recorder::IngestPipeline::start(db->uri());
  if (!started) return started.error();
  const std::shared_ptr<recorder::IngestPipeline> pipeline = std::move(started).value();
  config::Config config;
  config.listen_address = "127.0.0.1:0";
  config.plaintext = true;  // loopback only; TLS cost is the same for every client
  rpc::ServerDeps deps;
  deps.recorder = pipeline;
  auto server = rpc::Server::start(config, ids, std::move(deps));
  if (!server) return server.error();

  const auto events = synthetic_events(options.events);
  char tmpl[] = "/tmp/cyrange-bench-ingest-XXXXXX";
  if (mkdtemp(tmpl) == nullptr)
    return make_error(ErrorCode::internal, "Cannot create a temporary directory.");
  const std::filesystem::path buffer_dir = tmpl;
  {
    client::ClientOptions copt;
    copt.target = (*server)->address();
    copt.plaintext = true;
    copt.token = token->token;
    auto connection = client::Connection::open(copt);
    if (!connection) return connection.error();
    auto buffer = client::EventBuffer::open({buffer_dir, std::size_t{1} << 30});
    if (!buffer) return buffer.error();
    client::RecorderOptions tuning;
    tuning.max_batch_events = options.batch_events;
    client::RecorderClient recorder(*connection, std::move(buffer).value(), tuning);
    // Warm-up, untimed, as for the COPY connection below: the stream is open and the
    // exercise's partition and the trainee's pseudonym exist, as in a running exercise.
    auto warm = recorder.record(events.front());
    if (!warm) return warm.error();
    if (!recorder.wait_until_acked(std::chrono::seconds(30))) {
      return make_error(ErrorCode::unavailable,
                        "The warm-up event was not acknowledged: " + recorder.last_error().message);
    }
    const recorder::IngestCounters before = pipeline->counters();
    const auto start = Clock::now();
    for (const auto& e : events) {
      auto seq = recorder.record(e);
      if (!seq) return seq.error();
    }
    const double appended = seconds_since(start);
    if (!recorder.wait_until_acked(std::chrono::minutes(10))) {
      return make_error(ErrorCode::internal,
                        "The server did not acknowledge every event within 10 minutes: " +
                            recorder.last_error().message);
    }
    const double took = seconds_since(start);
    result.ours_per_s = static_cast<double>(options.events) / took;
    out << "bench ingest: ours   " << options.events << " events in " << took
        << " s (recorded by the app in " << appended << " s)\n";
    const recorder::IngestCounters after = pipeline->counters();
    const auto transactions = after.transactions - before.transactions;
    out << "bench ingest: ours   " << transactions << " group commits, "
        << (after.submissions - before.submissions) << " submissions, "
        << (after.events - before.events) / std::max<std::uint64_t>(transactions, 1)
        << " events per commit on average\n";
  }
  std::filesystem::remove_all(buffer_dir);
  (*server)->shutdown(std::chrono::milliseconds(100));

  try {
    auto conn = store::Database::connect(db->uri());
    if (!conn) return conn.error();
    pqxx::connection& c = store::internal::PqxxAccess::connection(**conn);
    std::vector<recorder::EventRow> rows;
    rows.reserve(options.events);
    {
      pqxx::work tx(c);
      auto stored = tx.exec(
          "SELECT exercise_id, client_id, seq, team_id, trainee, kind, monotonic_ns, wall_at, data "
          "FROM recorder_events ORDER BY seq");
      for (const auto& r : stored) {
        recorder::EventRow row;
        for (std::size_t i = 0; i < row.size(); ++i) row[i] = r[static_cast<int>(i)].c_str();
        rows.push_back(std::move(row));
      }
      if (!rows.empty()) rows.erase(rows.begin());  // the warm-up event
      if (rows.size() != options.events) {
        return make_error(ErrorCode::internal, "Our path stored " + std::to_string(rows.size()) +
                                                   " rows for " + std::to_string(options.events) +
                                                   " events.");
      }
      tx.exec("CREATE TABLE bench_copy (LIKE recorder_events INCLUDING DEFAULTS)");
      tx.exec("CREATE TABLE bench_insert (LIKE recorder_events INCLUDING DEFAULTS)");
      tx.commit();
    }
    {
      const auto start = Clock::now();
      pqxx::work tx(c);
      pqxx::stream_to copy(tx, "bench_copy", recorder::kEventColumns);
      for (const auto& row : rows) copy << row;
      copy.complete();
      tx.commit();
      const double took = seconds_since(start);
      result.copy_per_s = static_cast<double>(rows.size()) / took;
      out << "bench ingest: copy   " << rows.size() << " rows in " << took << " s\n";
    }
    {
      const std::size_t sample = std::min(options.insert_sample, rows.size());
      c.prepare("bench_insert",
                "INSERT INTO bench_insert (exercise_id, client_id, seq, team_id, trainee, kind, "
                "monotonic_ns, "
                "wall_at, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
      const auto start = Clock::now();
      for (std::size_t i = 0; i < sample; ++i) {
        const auto& r = rows[i];
        pqxx::work tx(c);
        tx.exec_prepared("bench_insert", r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8]);
        tx.commit();
      }
      const double took = seconds_since(start);
      result.insert_per_s = static_cast<double>(sample) / took;
      out << "bench ingest: insert " << sample << " rows in " << took << " s (sample)\n";
    }
  } catch (const std::exception& e) {
    return make_error(ErrorCode::internal,
                      std::string("The COPY/INSERT comparison failed: ") + e.what());
  }
  return result;
}

}  // namespace cyrange::bench
