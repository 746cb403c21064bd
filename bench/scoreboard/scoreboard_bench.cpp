#include <bench/scoreboard/scoreboard_bench.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include <bench/scoreboard/bench_board.h>
#include <client-core/scoring_client.h>

namespace cyrange::bench {
namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kExercise = "bench-scoreboard";

// One watching console: the arrival time of every (team, objective) solve it sees.
struct Console {
  std::mutex mutex;
  std::condition_variable changed;
  bool has_snapshot = false;
  std::size_t snapshots = 0;
  std::map<std::string, Clock::time_point> arrivals;  // "team/objective" -> arrival
  client::Subscription watch;

  void on_update(const client::ScoreboardMessage& message) {
    const auto now = Clock::now();
    std::lock_guard lock(mutex);
    has_snapshot = has_snapshot || message.snapshot;
    for (const auto& e : message.entries) {
      if (e.kind == client::EntryKind::solve) arrivals.emplace(e.team + "/" + e.objective, now);
    }
    // A console that fell behind gets a snapshot instead of the deltas it missed: the
    // solves in it arrived now.
    if (message.snapshot) {
      ++snapshots;
      for (const auto& team : message.standings) {
        for (const auto& o : team.objectives) {
          if (o.status == client::ObjectiveStatus::solved)
            arrivals.emplace(team.team + "/" + o.objective, now);
        }
      }
    }
    changed.notify_all();
  }
  bool wait(std::size_t solves, std::chrono::seconds limit) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, limit, [&] { return has_snapshot && arrivals.size() >= solves; });
  }
};

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(sorted.size()));
  return sorted[std::min(rank, sorted.size() - 1)];
}

}  // namespace

std::string summary_line(const ScoreboardBenchResult& r) {
  char line[200];
  std::snprintf(line, sizeof line,
                "scoreboard: teams=%zu consoles=%zu p50_ms=%.2f p99_ms=%.2f max_ms=%.2f", r.teams,
                r.consoles, r.p50_ms, r.p99_ms, r.max_ms);
  return line;
}

Expected<ScoreboardBenchResult> run_scoreboard_bench(const ScoreboardBenchOptions& options,
                                                     std::ostream& out) {
  if (options.teams == 0 || options.consoles == 0 || options.objectives == 0 ||
      options.submitters == 0) {
    return make_error(ErrorCode::invalid_argument,
                      "--teams, --consoles, --objectives and --submitters must be at least 1.");
  }
  auto started_board = start_bench_board(kExercise, options.teams, options.objectives);
  if (!started_board) return started_board.error();
  BenchBoard& board = **started_board;
  out << "bench scoreboard: scratch database " << board.db->name() << " (dropped afterwards)\n";
  const auto& tokens = board.trainee_tokens;
  auto client_for = [&](const std::string& token) -> Expected<client::ScoringClient> {
    auto connection = board.connect(token);
    if (!connection) return connection.error();
    return client::ScoringClient(*connection);
  };

  // Consoles subscribe first; each must have its snapshot before the clock starts.
  auto staff = client_for(board.instructor_token);
  if (!staff) return staff.error();
  std::vector<std::unique_ptr<Console>> consoles;
  for (std::size_t m = 0; m < options.consoles; ++m) {
    auto console = std::make_unique<Console>();
    Console* raw = console.get();
    // A separate channel per console, as separate machines would have.
    auto own = client_for(board.instructor_token);
    if (!own) return own.error();
    console->watch = own->watch(
        kExercise, "", [raw](const client::ScoreboardMessage& m) { raw->on_update(m); }, nullptr);
    consoles.push_back(std::move(console));
  }
  for (auto& console : consoles) {
    if (!console->wait(0, std::chrono::seconds(30))) {
      return make_error(ErrorCode::unavailable, "A console received no snapshot within 30 s.");
    }
  }
  out << "bench scoreboard: " << options.consoles << " consoles watching, " << options.teams
      << " teams submitting " << options.objectives << " answers each\n";

  // Submissions: team i's answers go out from thread i % submitters, one at a time.
  std::mutex sent_mutex;
  std::map<std::string, Clock::time_point> sent;
  std::atomic<bool> failed{false};
  std::string failure;
  std::vector<std::thread> submitters;
  const auto started = Clock::now();
  for (std::size_t s = 0; s < options.submitters; ++s) {
    submitters.emplace_back([&, s] {
      std::vector<client::ScoringClient> clients;
      std::vector<std::size_t> teams;
      for (std::size_t i = s; i < options.teams; i += options.submitters) {
        auto c = client_for(tokens[i]);
        if (!c) continue;
        clients.push_back(*c);
        teams.push_back(i);
      }
      for (std::size_t k = 0; k < options.objectives; ++k) {
        for (std::size_t j = 0; j < teams.size(); ++j) {
          const std::string key = team_name(teams[j]) + "/" + objective_name(k);
          {
            std::lock_guard lock(sent_mutex);
            sent[key] = Clock::now();
          }
          auto reply = clients[j].submit_answer(kExercise, objective_name(k), "", answer_of(k));
          if (!reply || reply->verdict != client::Verdict::correct) {
            std::lock_guard lock(sent_mutex);
            if (!failed.exchange(true)) {
              failure = reply ? "verdict " + std::string(client::to_string(reply->verdict))
                              : reply.error().message;
            }
          }
        }
      }
    });
  }
  for (auto& t : submitters) t.join();
  if (failed) return make_error(ErrorCode::internal, "A bench submission failed: " + failure);
  const std::size_t expected = options.teams * options.objectives;
  for (auto& console : consoles) {
    if (!console->wait(expected, std::chrono::seconds(60))) {
      std::lock_guard lock(console->mutex);
      return make_error(ErrorCode::internal,
                        "A console received " + std::to_string(console->arrivals.size()) + " of " +
                            std::to_string(expected) + " submissions within 60 s (" +
                            std::to_string(console->snapshots) + " snapshots).");
    }
  }
  const double wall_s = std::chrono::duration<double>(Clock::now() - started).count();
  std::vector<double> latencies;
  for (auto& console : consoles) {
    console->watch.cancel_and_wait();
    std::lock_guard lock(console->mutex);
    for (const auto& [key, arrived] : console->arrivals) {
      latencies.push_back(
          std::chrono::duration<double, std::milli>(arrived - sent.at(key)).count());
    }
  }
  std::sort(latencies.begin(), latencies.end());
  ScoreboardBenchResult result;
  result.teams = options.teams;
  result.consoles = options.consoles;
  result.samples = latencies.size();
  result.p50_ms = percentile(latencies, 50);
  result.p99_ms = percentile(latencies, 99);
  result.max_ms = latencies.empty() ? 0 : latencies.back();
  out << "bench scoreboard: " << expected << " submissions in " << wall_s << " s, "
      << result.samples << " arrivals measured (submission sent -> delta read on a console)\n";
  return result;
}

}  // namespace cyrange::bench
