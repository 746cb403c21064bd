// cyrange-bench-console: the instructor console's live board under a burst of score
// changes. A real DashboardModel and DashboardView (offscreen) watch cyranged's real
// scoring server (PostgreSQL ledger, gRPC on loopback) while trainees of 100 teams x 12
// objectives submit correct answers at a steady rate. Measured in one run, side by side:
//   - latency: answer sent -> the changed matrix cell painted (an upper bound of
//     "committed -> painted": it includes the submission's own round trip);
//   - GUI stall: the longest gap of a 10 ms heartbeat timer on the GUI thread;
// for the console as built (a change after a quiet 50 ms is published at once, later ones
// at most every 50 ms) and for a baseline that notifies the views on every message
// (coalescing off). Prints one line per mode and the ratios. Not a test: nothing is
// asserted.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTableView>
#include <QTimer>

#include <bench/scoreboard/bench_board.h>
#include <client-core/scoring_client.h>
#include <client-qt/scoring_adapter.h>
#include <client-qt/session.h>
#include <console/models/dashboard_model.h>
#include <console/models/matrix_model.h>
#include <console/widgets/dashboard_view.h>

namespace {

using Clock = std::chrono::steady_clock;
using namespace cyrange;

struct Options {
  std::size_t teams = 100, objectives = 12;
  double rate = 50;  // answers per second
  double seconds = 60;
};

struct Result {
  std::size_t updates = 0;
  double p50_ms = 0, p99_ms = 0, max_gui_stall_ms = 0;
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p / 100.0 * v.size()))];
}

// Paint events of the matrix: every cell changed since the last paint counts as painted.
class PaintProbe : public QObject {
 public:
  std::vector<std::pair<int, int>> pending;  // (row, column) notified, not yet painted
  std::map<std::pair<int, int>, Clock::time_point> painted;

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override {
    if (event->type() == QEvent::Paint) {
      const auto now = Clock::now();
      for (const auto& cell : pending) painted.emplace(cell, now);
      pending.clear();
    }
    return QObject::eventFilter(watched, event);
  }
};

Result run(const Options& o, bool coalesce, std::ostream& out) {
  const std::string exercise = coalesce ? "bench-console" : "bench-console-base";
  auto board = bench::start_bench_board(exercise, o.teams, o.objectives);
  if (!board) {
    out << "bench console: " << board.error().message << "\n";
    std::exit(2);
  }
  auto link = (*board)->connect((*board)->instructor_token);
  qt::Session session(*link);
  console::DashboardModel model;
  if (!coalesce) model.setCoalesceInterval(0);
  console::DashboardView view(&model);
  view.resize(1600, 1000);
  view.show();
  PaintProbe probe;
  view.matrixView()->viewport()->installEventFilter(&probe);
  QObject::connect(&model, &console::DashboardModel::cellsChanged,
                   [&](int r0, int r1, int c0, int c1) {
                     for (int r = r0; r <= r1; ++r)
                       for (int c = c0; c <= c1; ++c) probe.pending.emplace_back(r, c);
                     view.matrixView()->viewport()->update();
                   });
  qt::ScoringAdapter scoring(&session);
  QObject::connect(&scoring, &qt::ScoringAdapter::boardUpdated, &model,
                   &console::DashboardModel::applyBoard);
  scoring.watch(QString::fromStdString(exercise));
  // Wait for the snapshot: every team row is in the matrix.
  while (view.matrixModel()->rowCount() < static_cast<int>(o.teams))
    QApplication::processEvents(QEventLoop::AllEvents, 50);

  // The heartbeat: the longest gap between ticks is the worst GUI stall.
  double max_gap_ms = 0;
  QElapsedTimer beat;
  beat.start();
  QTimer heartbeat;
  heartbeat.setInterval(10);
  QObject::connect(&heartbeat, &QTimer::timeout, [&] {
    max_gap_ms = std::max(max_gap_ms, static_cast<double>(beat.nsecsElapsed()) / 1e6 - 10.0);
    beat.restart();
  });
  heartbeat.start();

  // Submitters: one thread per 25 teams, answers spread evenly over the run.
  const std::size_t total =
      std::min<std::size_t>(static_cast<std::size_t>(o.rate * o.seconds), o.teams * o.objectives);
  std::vector<std::pair<std::size_t, std::size_t>> order;  // (team, objective)
  for (std::size_t k = 0; k < o.objectives; ++k)
    for (std::size_t t = 0; t < o.teams; ++t) order.emplace_back(t, k);
  std::shuffle(order.begin(), order.end(), std::mt19937(42));
  order.resize(total);
  std::mutex sent_mutex;
  std::map<std::pair<std::string, std::string>, Clock::time_point> sent;
  std::atomic<std::size_t> done{0};
  const auto start = Clock::now();
  const auto gap = std::chrono::duration<double>(1.0 / o.rate);
  std::vector<std::thread> threads;
  const std::size_t workers = 4;
  for (std::size_t w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      std::map<std::size_t, client::ScoringClient> clients;
      for (std::size_t i = w; i < order.size(); i += workers) {
        const auto [team, k] = order[i];
        if (!clients.contains(team)) {
          auto c = (*board)->connect((*board)->trainee_tokens[team]);
          clients.emplace(team, client::ScoringClient(*c));
        }
        std::this_thread::sleep_until(start + std::chrono::duration_cast<Clock::duration>(gap * i));
        {
          std::lock_guard lock(sent_mutex);
          sent[{bench::team_name(team), bench::objective_name(k)}] = Clock::now();
        }
        (void)clients.at(team).submit_answer(exercise, bench::objective_name(k), "",
                                             bench::answer_of(k));
        ++done;
      }
    });
  }
  // The GUI thread runs its event loop until every change was painted.
  const auto deadline = start + std::chrono::duration<double>(o.seconds + 60);
  while (Clock::now() < deadline) {
    QApplication::processEvents(QEventLoop::AllEvents, 5);
    if (done == total && probe.painted.size() >= total && probe.pending.empty()) break;
  }
  for (auto& t : threads) t.join();
  heartbeat.stop();
  scoring.stopWatching();

  std::vector<double> latencies;
  const auto& state = model.state();
  for (const auto& [cell, at] : probe.painted) {
    const auto key = std::make_pair(state.teams()[cell.first], state.objectives()[cell.second].id);
    std::lock_guard lock(sent_mutex);
    if (auto it = sent.find(key); it != sent.end())
      latencies.push_back(std::chrono::duration<double, std::milli>(at - it->second).count());
  }
  return Result{latencies.size(), percentile(latencies, 50), percentile(latencies, 99), max_gap_ms};
}

void print(const char* mode, const Options& o, const Result& r) {
  std::printf(
      "console%s: teams=%zu objectives=%zu updates=%zu p50_ms=%.1f p99_ms=%.1f "
      "max_gui_stall_ms=%.1f\n",
      mode, o.teams, o.objectives, r.updates, r.p50_ms, r.p99_ms, r.max_gui_stall_ms);
}

}  // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("Benchmark of the console's live board"));
  parser.addHelpOption();
  QCommandLineOption teams(QStringLiteral("teams"), QStringLiteral("teams"), QStringLiteral("n"),
                           QStringLiteral("100"));
  QCommandLineOption objectives(QStringLiteral("objectives"), QStringLiteral("objectives per team"),
                                QStringLiteral("n"), QStringLiteral("12"));
  QCommandLineOption rate(QStringLiteral("rate"), QStringLiteral("answers per second"),
                          QStringLiteral("n"), QStringLiteral("50"));
  QCommandLineOption seconds(QStringLiteral("seconds"), QStringLiteral("length of the burst"),
                             QStringLiteral("s"), QStringLiteral("60"));
  parser.addOptions({teams, objectives, rate, seconds});
  parser.process(app);
  Options o;
  o.teams = parser.value(teams).toULong();
  o.objectives = parser.value(objectives).toULong();
  o.rate = parser.value(rate).toDouble();
  o.seconds = parser.value(seconds).toDouble();

  std::cout << "bench console: " << o.teams << " teams x " << o.objectives << " objectives, "
            << o.rate << " answers/s for " << o.seconds << " s, twice (baseline, then ours)\n"
            << std::flush;
  const Result base = run(o, /*coalesce=*/false, std::cout);
  print("-baseline(no coalescing)", o, base);
  const Result ours = run(o, /*coalesce=*/true, std::cout);
  std::printf("ratio: p99 ours/baseline=%.2f stall ours/baseline=%.2f\n",
              base.p99_ms > 0 ? ours.p99_ms / base.p99_ms : 0,
              base.max_gui_stall_ms > 0 ? ours.max_gui_stall_ms / base.max_gui_stall_ms : 0);
  print("", o, ours);
  return 0;
}
