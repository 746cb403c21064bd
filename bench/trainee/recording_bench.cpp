// cyrange-bench-recording: what the trainee client's input recorder costs the GUI thread.
//   1. The filter alone: InputRecorder::eventFilter timed per call over N synthetic
//      events of each kind (keys in a normal field, a password field and a terminal,
//      mouse moves, clicks, wheel, focus, and an event it ignores), next to an empty
//      filter timed the same way (the cost of the clock reads and one virtual call).
//   2. A 1 kHz mouse storm through the real input path (qt_handleMouseEvent: the window
//      system interface, the QWidgetWindow, the widget), with the recorder in the
//      app's event filter and a real RecorderClient (durable disk buffer) streaming to
//      cyranged's recorder (IngestPipeline on a scratch PostgreSQL database, loopback
//      gRPC); the baseline is the same storm with an empty filter in the recorder's
//      place. Measured: the filter's time per move, the whole dispatch per move, the
//      longest gap of the storm's 1 ms timer (GUI stall), moves sampled and stored.
// Prints one line per phase and the ratios. Not a test: nothing is asserted.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <numbers>
#include <string>
#include <thread>
#include <vector>

#include <QApplication>
#include <QCommandLineParser>
#include <QEventLoop>
#include <QFocusEvent>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QSpontaneKeyEvent>
#include <QTest>
#include <QTimer>
#include <QVBoxLayout>
#include <QWheelEvent>
#include <QWindow>

#include <client-core/recorder_client.h>
#include <client-qt/recording/input_recorder.h>
#include <client-qt/terminal/terminal_view.h>
#include <orchestrator/recorder/tests/recorder_test_env.h>

namespace {

using Clock = std::chrono::steady_clock;
using namespace cyrange;

struct Options {
  std::size_t events = 100000;  // per kind in phase 1
  double seconds = 60;          // length of each storm
  double rate = 1000;           // moves per second in the storm
};

struct Stats {
  double p50_us = 0, p99_us = 0, max_us = 0;
};

Stats stats_of(std::vector<double> ns) {
  Stats s;
  if (ns.empty()) return s;
  std::sort(ns.begin(), ns.end());
  const auto at = [&](double p) {
    return ns[std::min(ns.size() - 1, static_cast<std::size_t>(p / 100.0 * ns.size()))] / 1000.0;
  };
  s.p50_us = at(50);
  s.p99_us = at(99);
  s.max_us = ns.back() / 1000.0;
  return s;
}

double ns_since(Clock::time_point start) {
  return static_cast<double>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count());
}

// Counts what reaches the sink behind it (or stands in for one); moves with their counts.
class CountingSink : public qt::recording::EventSink {
 public:
  explicit CountingSink(std::shared_ptr<qt::recording::EventSink> next = nullptr)
      : next_(std::move(next)) {}
  bool deliver(client::TraineeEvent event) override {
    if (event.kind == client::TraineeEventKind::mouse_move) {
      samples.fetch_add(1);
      moves.fetch_add(event.count);
    }
    return next_ ? next_->deliver(std::move(event)) : true;
  }
  std::uint64_t waiting() const override { return next_ ? next_->waiting() : 0; }
  std::atomic<std::uint64_t> samples{0}, moves{0};

 private:
  std::shared_ptr<qt::recording::EventSink> next_;
};

// A filter that notes nothing: the baseline in the recorder's place.
class EmptyFilter : public QObject {
 public:
  bool eventFilter(QObject*, QEvent*) override { return false; }
};

// Installed as the app's filter; times the filter it wraps on every mouse move.
class TimedFilter : public QObject {
 public:
  explicit TimedFilter(QObject* inner) : inner_(inner) {}
  bool eventFilter(QObject* watched, QEvent* event) override {
    if (event->type() != QEvent::MouseMove) return inner_->eventFilter(watched, event);
    const auto start = Clock::now();
    const bool consumed = inner_->eventFilter(watched, event);
    move_ns.push_back(ns_since(start));
    return consumed;
  }
  std::vector<double> move_ns;

 private:
  QObject* inner_;
};

// The trainee's window in miniature: a label, an answer box, a password box, a terminal.
struct BenchWindow {
  QWidget window;
  QLabel* label = new QLabel(QStringLiteral("Task 1"));
  QLineEdit* answer = new QLineEdit;
  QLineEdit* password = new QLineEdit;
  qt::TerminalView* terminal = new qt::TerminalView;

  BenchWindow() {
    window.setWindowTitle(QStringLiteral("Trainee"));
    auto* layout = new QVBoxLayout(&window);
    answer->setObjectName(QStringLiteral("answer"));
    password->setEchoMode(QLineEdit::Password);
    qt::InputRecorder::setTerminalHost(terminal, QStringLiteral("ws01"));
    layout->addWidget(label);
    layout->addWidget(answer);
    layout->addWidget(password);
    layout->addWidget(terminal);
    window.resize(800, 600);
    window.show();
    (void)QTest::qWaitForWindowExposed(&window);
  }
};

// Phase 1: one kind of event, N times through `filter`, each call timed.
std::vector<double> time_filter(QObject& filter, QObject* receiver, QEvent& event, std::size_t n) {
  std::vector<double> ns;
  ns.reserve(n);
  const bool is_move = event.type() == QEvent::MouseMove;
  for (std::size_t i = 0; i < n; ++i) {
    // Moves 1 ms apart on the input clock, as a real pointer at 1 kHz.
    if (is_move) static_cast<QInputEvent&>(event).setTimestamp(i);
    const auto start = Clock::now();
    filter.eventFilter(receiver, &event);
    ns.push_back(ns_since(start));
  }
  return ns;
}

struct FilterResult {
  Stats ours, empty;
  std::size_t events = 0;
};

FilterResult run_filter_phase(const Options& o, BenchWindow& w) {
  auto sink = std::make_shared<CountingSink>();
  qt::InputRecorder recorder(sink, QStringLiteral("bench-recording"));
  EmptyFilter empty;
  const QPointF at(100, 100);
  QKeyEvent key(QEvent::KeyPress, Qt::Key_A, Qt::NoModifier, QStringLiteral("a"));
  QMouseEvent move(QEvent::MouseMove, at, at, at, Qt::NoButton, Qt::NoButton, Qt::NoModifier);
  QMouseEvent press(QEvent::MouseButtonPress, at, at, at, Qt::LeftButton, Qt::LeftButton,
                    Qt::NoModifier);
  QWheelEvent wheel(at, at, {}, QPoint(0, 120), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase,
                    false);
  QFocusEvent focus(QEvent::FocusIn, Qt::TabFocusReason);
  QEvent ignored(QEvent::UpdateRequest);
  for (QEvent* e : std::initializer_list<QEvent*>{&key, &move, &press, &wheel}) {
    QSpontaneKeyEvent::setSpontaneous(e);  // as the window system delivers them
  }
  struct Kind {
    const char* name;
    QObject* receiver;
    QEvent* event;
  };
  const std::vector<Kind> kinds = {
      {"key", w.answer, &key},
      {"key_secret", w.password, &key},
      {"key_terminal", w.terminal, &key},
      {"mouse_move", &w.window, &move},
      {"click", w.label, &press},
      {"wheel", w.answer, &wheel},
      {"focus", w.answer, &focus},
      {"ignored", w.answer, &ignored},
  };
  FilterResult result;
  std::vector<double> all_ours, all_empty;
  for (const Kind& kind : kinds) {
    const auto ours = time_filter(recorder, kind.receiver, *kind.event, o.events);
    const auto none = time_filter(empty, kind.receiver, *kind.event, o.events);
    const Stats s = stats_of(ours), b = stats_of(none);
    std::printf(
        "filter %-12s n=%zu p50_us=%.3f p99_us=%.3f max_us=%.1f | empty filter p50_us=%.3f "
        "p99_us=%.3f max_us=%.1f\n",
        kind.name, ours.size(), s.p50_us, s.p99_us, s.max_us, b.p50_us, b.p99_us, b.max_us);
    std::fflush(stdout);
    // Everything but the ignored kind is recorded: count those into the summary.
    if (kind.event != &ignored) {
      all_ours.insert(all_ours.end(), ours.begin(), ours.end());
      all_empty.insert(all_empty.end(), none.begin(), none.end());
    }
    // Let the worker catch up so that one kind's backlog does not slow the next.
    for (;;) {
      const auto c = recorder.counters();
      if (c.delivered + c.refused - c.move_samples + c.raw_moves >= c.queued) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  result.events = all_ours.size();
  result.ours = stats_of(std::move(all_ours));
  result.empty = stats_of(std::move(all_empty));
  return result;
}

struct StormResult {
  std::size_t moves = 0;
  Stats filter, dispatch;
  double max_gap_ms = 0, gap_p99_ms = 0;
};

// Phase 2: `rate` moves a second for `seconds` through the window's real input path,
// with `filter` as the app's event filter; the GUI thread runs its event loop meanwhile.
StormResult run_storm(const Options& o, BenchWindow& w, QObject& filter, int timestamp_base) {
  TimedFilter timed(&filter);
  QCoreApplication::instance()->installEventFilter(&timed);
  QWindow* handle = w.window.windowHandle();
  const QPointF centre(w.window.width() / 2.0, w.window.height() / 2.0);
  const auto total = static_cast<std::size_t>(o.rate * o.seconds);
  std::vector<double> dispatch_ns;
  dispatch_ns.reserve(total);
  timed.move_ns.reserve(total);
  std::size_t sent = 0;
  std::vector<double> gaps_ns;
  gaps_ns.reserve(static_cast<std::size_t>(o.seconds * 1000) + 1);
  QEventLoop loop;
  QTimer tick;
  tick.setTimerType(Qt::PreciseTimer);
  tick.setInterval(1);
  const auto start = Clock::now();
  auto last_tick = start;
  QObject::connect(&tick, &QTimer::timeout, [&] {
    const auto now = Clock::now();
    gaps_ns.push_back(static_cast<double>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(now - last_tick).count()));
    last_tick = now;
    const auto due = std::min(
        total,
        static_cast<std::size_t>(std::chrono::duration<double>(now - start).count() * o.rate));
    for (; sent < due; ++sent) {
      // A circle of radius 200 px, one turn a second: every move changes the position.
      const double angle = 2 * std::numbers::pi * static_cast<double>(sent) / o.rate;
      const QPointF local = centre + QPointF(200 * std::cos(angle), 200 * std::sin(angle));
      const int timestamp =
          timestamp_base + static_cast<int>(static_cast<double>(sent) * 1000 / o.rate);
      const auto before = Clock::now();
      qt_handleMouseEvent(handle, local, handle->mapToGlobal(local), Qt::NoButton, Qt::NoButton,
                          QEvent::MouseMove, Qt::NoModifier, timestamp);
      dispatch_ns.push_back(ns_since(before));
    }
    if (sent >= total) loop.quit();
  });
  tick.start();
  loop.exec();
  tick.stop();
  QCoreApplication::instance()->removeEventFilter(&timed);
  StormResult r;
  r.moves = sent;
  r.filter = stats_of(std::move(timed.move_ns));
  r.dispatch = stats_of(std::move(dispatch_ns));
  const Stats gaps = stats_of(std::move(gaps_ns));
  r.max_gap_ms = gaps.max_us / 1000.0;
  r.gap_p99_ms = gaps.p99_us / 1000.0;
  return r;
}

struct RecordedStorm {
  StormResult storm;
  std::uint64_t sampled = 0, sampled_moves = 0, stored = 0, other = 0, dropped = 0, refused = 0;
};

// The storm recorded for real: InputRecorder -> RecorderClient (disk buffer) -> cyranged.
RecordedStorm run_recorded_storm(const Options& o, BenchWindow& w, int timestamp_base) {
  recorder::testing::RecordingStack stack;  // throws with a sentence when PostgreSQL is missing
  recorder::testing::TempDir dir;
  client::ClientOptions copt;
  copt.target = stack.server->address();
  copt.plaintext = true;
  copt.token = stack.alice_token;
  auto connection = client::Connection::open(copt);
  if (!connection) throw std::runtime_error(connection.error().message);
  auto buffer = client::EventBuffer::open({dir.path / "buffer"});
  if (!buffer) throw std::runtime_error(buffer.error().message);
  client::RecorderClient client(*connection, std::move(buffer).value());
  auto counting =
      std::make_shared<CountingSink>(std::make_shared<qt::recording::RecorderClientSink>(client));
  RecordedStorm r;
  {
    qt::InputRecorder recorder(counting, QStringLiteral("ex-red"));
    // Installed through the timing wrapper instead of start(), which would install it twice.
    r.storm = run_storm(o, w, recorder, timestamp_base);
    // The last window is sent once the pointer rests (after twice the interval).
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    while (counting->moves < r.storm.moves && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const auto counters = recorder.counters();
    r.dropped = counters.dropped;
    r.refused = counters.refused;
    r.other = counters.delivered - counters.move_samples;  // e.g. focus or activation changes
  }
  r.sampled = counting->samples;
  r.sampled_moves = counting->moves;
  if (!client.wait_until_acked(std::chrono::seconds(60))) {
    std::cout << "bench recording: not every event was acknowledged within 60 s: "
              << client.last_error().message << "\n";
  }
  r.stored = std::stoull(stack.db.query_one(
      "SELECT count(*) FROM recorder_events WHERE kind = 'mouse_move' AND client_id = '" +
      client.buffer().client_id() + "'"));
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("Benchmark of the trainee input recorder"));
  parser.addHelpOption();
  QCommandLineOption events(QStringLiteral("events"), QStringLiteral("events per kind (phase 1)"),
                            QStringLiteral("n"), QStringLiteral("100000"));
  QCommandLineOption seconds(QStringLiteral("seconds"), QStringLiteral("length of each storm"),
                             QStringLiteral("s"), QStringLiteral("60"));
  QCommandLineOption rate(QStringLiteral("rate"), QStringLiteral("mouse moves per second"),
                          QStringLiteral("n"), QStringLiteral("1000"));
  parser.addOptions({events, seconds, rate});
  parser.process(app);
  Options o;
  o.events = parser.value(events).toULong();
  o.seconds = parser.value(seconds).toDouble();
  o.rate = parser.value(rate).toDouble();

  BenchWindow window;
  std::cout << "bench recording: " << o.events << " events of each kind through the filter, then a "
            << o.rate << " Hz mouse storm for " << o.seconds
            << " s twice (baseline: an empty filter; ours: recorded into cyranged)\n"
            << std::flush;
  const FilterResult filter = run_filter_phase(o, window);

  EmptyFilter empty;
  const StormResult base = run_storm(o, window, empty, 1'000'000);
  std::printf(
      "storm-baseline: moves=%zu filter_p50_us=%.3f filter_p99_us=%.3f dispatch_p50_us=%.1f "
      "dispatch_p99_us=%.1f gui_gap_p99_ms=%.2f gui_stall_max_ms=%.1f\n",
      base.moves, base.filter.p50_us, base.filter.p99_us, base.dispatch.p50_us,
      base.dispatch.p99_us, base.gap_p99_ms, base.max_gap_ms);
  std::fflush(stdout);
  RecordedStorm ours;
  try {
    ours = run_recorded_storm(o, window, 2'000'000);
  } catch (const std::exception& e) {
    std::cout << "bench recording: the recorded storm could not run: " << e.what() << "\n";
    return 2;
  }
  std::printf(
      "storm: moves=%zu filter_p50_us=%.3f filter_p99_us=%.3f filter_max_us=%.1f "
      "dispatch_p50_us=%.1f dispatch_p99_us=%.1f gui_gap_p99_ms=%.2f gui_stall_max_ms=%.1f "
      "sampled=%llu sampled_moves=%llu stored=%llu other=%llu dropped=%llu refused=%llu\n",
      ours.storm.moves, ours.storm.filter.p50_us, ours.storm.filter.p99_us,
      ours.storm.filter.max_us, ours.storm.dispatch.p50_us, ours.storm.dispatch.p99_us,
      ours.storm.gap_p99_ms, ours.storm.max_gap_ms, static_cast<unsigned long long>(ours.sampled),
      static_cast<unsigned long long>(ours.sampled_moves),
      static_cast<unsigned long long>(ours.stored), static_cast<unsigned long long>(ours.other),
      static_cast<unsigned long long>(ours.dropped), static_cast<unsigned long long>(ours.refused));
  std::printf("ratio: dispatch_p99 ours/baseline=%.2f gui_stall ours/baseline=%.2f\n",
              base.dispatch.p99_us > 0 ? ours.storm.dispatch.p99_us / base.dispatch.p99_us : 0.0,
              base.max_gap_ms > 0 ? ours.storm.max_gap_ms / base.max_gap_ms : 0.0);
  std::printf(
      "recording-baseline: events=%zu filter_p50_us=%.3f filter_p99_us=%.3f "
      "gui_stall_max_ms=%.1f\n",
      filter.events, filter.empty.p50_us, filter.empty.p99_us, base.max_gap_ms);
  std::printf(
      "recording: events=%zu filter_p50_us=%.3f filter_p99_us=%.3f gui_stall_max_ms=%.1f "
      "sampled=%llu stored=%llu\n",
      filter.events, filter.ours.p50_us, filter.ours.p99_us, ours.storm.max_gap_ms,
      static_cast<unsigned long long>(ours.sampled), static_cast<unsigned long long>(ours.stored));
  return 0;
}
