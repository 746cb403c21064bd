// cyrange-bench-terminal: how long a trainee waits to see the key they typed.
//   Ours: a key pressed in the trainee client's terminal tab (TerminalTab: a TerminalView
//   on a TerminalSession), delivered through the window system (offscreen platform), sent
//   over cyranged's RangeTerminal stream (TLS on loopback), written to the guest's serial
//   console, echoed by the guest's shell, streamed back and painted in the widget.
//   Baseline: the same console read straight through libvirt (cyranged's own console
//   reader, no gRPC, no daemon) by cyrange-bench-terminal-console, run by this bench in a
//   process of its own (see there why).
// The guest is ws01 of a real quick-check range (tiny image) served by a cyranged child
// process over TLS (tests/reliability's LiveExerciseTest). Keys go one at a time (see
// type_keys). Printed, not asserted: the hops of our path, the baseline, then
//   terminal: keys=500 p50_ms=.. p99_ms=.. baseline_p99_ms=.. ratio=..
// CYRANGE_BENCH_KEYS sets another number of keys (e.g. 50 for a quick look).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <QCoreApplication>
#include <QEvent>
#include <QEventLoop>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>
#include <QTimer>
#include <QWindow>

#include <bench/trainee/echo_path.h>
#include <client-core/privacy_client.h>
#include <client-qt/session.h>
#include <client-qt/terminal/terminal_view.h>
#include <client-qt/terminal_session.h>
#include <orchestrator/range/naming.h>
#include <testing/qt_ui.h>
#include <tests/reliability/live_exercise_fixture.h>
#include <trainee-client/app/terminal_tab.h>

namespace cyrange::bench {
namespace {

using namespace std::chrono_literals;
using terminal::TerminalSurface;
using Moment = EchoClock::time_point;

const std::string kHost = "ws01";

int keys_to_type() {
  const QByteArray keys = qgetenv("CYRANGE_BENCH_KEYS");
  return keys.isEmpty() ? 500 : std::max(1, keys.toInt());
}

// The key on a keyboard that sends `key`'s byte.
Qt::Key qt_key(EchoKey key) {
  switch (key) {
    case EchoKey::enter:
      return Qt::Key_Return;
    case EchoKey::text:
      return Qt::Key_X;
    case EchoKey::erase:
      return Qt::Key_Backspace;
  }
  return Qt::Key_Return;
}

// Moments of one key on our path, for the hops line.
struct Hops {
  Moment pressed, sent, fed, paint_event, painted;
};

// Ours: the trainee client's terminal tab in a window of its own. The echo counts as
// shown once a Paint event of the view's viewport finds it on the surface and that paint
// (with the flush of the window's backing store) is over.
class WidgetTerminal final : public QObject, public EchoPath {
 public:
  explicit WidgetTerminal(trainee::TerminalTab& tab)
      : tab_(tab), view_(*tab.view()), session_(*tab.findChild<qt::TerminalSession*>()) {
    view_.viewport()->installEventFilter(this);
    // Connected after the tab's own connections, so these run once the bytes went out
    // (input -> sendKeys) and once they were fed to the surface (output -> feed).
    connect(&view_, &qt::TerminalView::input, this, [this] { hops_.sent = EchoClock::now(); });
    connect(&session_, &qt::TerminalSession::output, this, [this] {
      if (shown_ && hops_.fed == Moment{} && (*shown_)(view_.surface()))
        hops_.fed = EchoClock::now();
    });
  }
  ~WidgetTerminal() override { view_.viewport()->removeEventFilter(this); }

  const TerminalSurface& screen() const override { return view_.surface(); }

  Moment press(EchoKey key) override {
    const QString text = key == EchoKey::text ? QString(QLatin1Char(key_byte(key))) : QString();
    view_.setFocus();
    hops_ = {};
    hops_.pressed = EchoClock::now();
    QTest::sendKeyEvent(QTest::KeyAction::Click, tab_.window()->windowHandle(), qt_key(key), text,
                        {});
    return hops_.pressed;
  }

  std::optional<Moment> wait_shown(const std::function<bool(const TerminalSurface&)>& shown,
                                   std::chrono::milliseconds budget) override {
    // A real event loop: QTest::qWait would sleep between its rounds and add that to the echo.
    QEventLoop loop;
    shown_ = &shown;
    done_ = &loop;
    QTimer::singleShot(budget, &loop, &QEventLoop::quit);
    loop.exec();
    shown_ = nullptr;
    done_ = nullptr;
    if (hops_.painted == Moment{}) return {};
    return hops_.painted;
  }

  void settle(std::chrono::milliseconds quiet) override {
    QEventLoop loop;
    QTimer silence;
    silence.setSingleShot(true);
    connect(&silence, &QTimer::timeout, &loop, &QEventLoop::quit);
    const auto restart =
        connect(&session_, &qt::TerminalSession::output, &silence, [&] { silence.start(quiet); });
    silence.start(quiet);
    loop.exec();
    disconnect(restart);
  }

  /// The moments of the last key.
  const Hops& hops() const { return hops_; }

  bool eventFilter(QObject* watched, QEvent* event) override {
    if (event->type() == QEvent::Paint && shown_ && hops_.paint_event == Moment{} &&
        (*shown_)(view_.surface())) {
      hops_.paint_event = EchoClock::now();
      // Runs once this paint and the backing store's flush are done (dropped with the loop).
      QTimer::singleShot(0, done_, [this, loop = done_] {
        hops_.painted = EchoClock::now();
        loop->quit();
      });
    }
    return QObject::eventFilter(watched, event);
  }

 private:
  trainee::TerminalTab& tab_;
  qt::TerminalView& view_;
  qt::TerminalSession& session_;
  const std::function<bool(const TerminalSurface&)>* shown_ = nullptr;
  QEventLoop* done_ = nullptr;
  Hops hops_;
};

// Runs cyrange-bench-terminal-console on `domain`; its result line, or an error.
Expected<std::string> run_baseline(const std::string& domain, int keys) {
  QProcess baseline;
  baseline.setProgram(QCoreApplication::applicationDirPath() +
                      QStringLiteral("/cyrange-bench-terminal-console"));
  baseline.setArguments({QString::fromStdString(domain), QString::number(keys)});
  baseline.start();
  if (!baseline.waitForFinished(30 * 60 * 1000) || baseline.exitCode() != 0)
    return make_error(ErrorCode::internal, "cyrange-bench-terminal-console failed: " +
                                               baseline.readAllStandardError().toStdString() +
                                               baseline.errorString().toStdString());
  return baseline.readAllStandardOutput().trimmed().toStdString();
}

class TerminalEcho : public reliability::LiveExerciseTest {
 protected:
  TerminalEcho() : LiveExerciseTest("bench_terminal") {}
};

TEST_F(TerminalEcho, KeystrokeToPaintAgainstTheDirectConsole) {
  const int keys = keys_to_type();

  // Baseline first: libvirt hands the console to whoever opened it last, so the two
  // paths take turns (cyranged opens it when the tab connects).
  const auto baseline = run_baseline(range::object_prefix(exercise_, team_) + kHost, keys);
  ASSERT_TRUE(baseline) << baseline.error().message;
  const auto base_p99 = QRegularExpression(QStringLiteral("p99_ms=([0-9.]+)"))
                            .match(QString::fromStdString(*baseline))
                            .captured(1)
                            .toDouble();

  // The trainee agreed to recording, as on a real day: the terminal is recorded.
  auto consent =
      client::PrivacyClient(trainee()).give_current(exercise_, client::ConsentPurpose::scoring);
  ASSERT_TRUE(consent) << consent.error().message;
  qt::Session session(trainee());
  trainee::TerminalTab tab(&session, {exercise_, team_, kHost});
  tab.resize(800, 600);
  tab.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&tab));
  tab.open();
  ASSERT_TRUE(testing::eventually([&] { return tab.isOpen(); }, 60s));

  WidgetTerminal widget(tab);
  std::vector<double> to_sent, to_fed, to_paint_event;
  const auto ours = type_keys(widget, keys, [&] {
    const Hops& h = widget.hops();
    to_sent.push_back(ms_between(h.pressed, h.sent));
    to_fed.push_back(ms_between(h.pressed, h.fed));
    to_paint_event.push_back(ms_between(h.pressed, h.paint_event));
  });
  ASSERT_TRUE(ours) << ours.error().message;

  const double ours_p99 = percentile(*ours, 99);
  std::printf(
      "terminal-hops (ms from the key press, p50/p99): sent %.2f/%.2f, output fed %.2f/%.2f, "
      "paint event %.2f/%.2f, painted %.2f/%.2f\n",
      percentile(to_sent, 50), percentile(to_sent, 99), percentile(to_fed, 50),
      percentile(to_fed, 99), percentile(to_paint_event, 50), percentile(to_paint_event, 99),
      percentile(*ours, 50), ours_p99);
  std::printf("%s\n", baseline->c_str());
  std::printf("terminal: keys=%d p50_ms=%.2f p99_ms=%.2f baseline_p99_ms=%.2f ratio=%.2f\n", keys,
              percentile(*ours, 50), ours_p99, base_p99, base_p99 > 0 ? ours_p99 / base_p99 : 0.0);
  std::fflush(stdout);
}

}  // namespace
}  // namespace cyrange::bench
