#include <client-qt/recording/input_recorder.h>

#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include <QApplication>
#include <QInputMethodEvent>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpontaneKeyEvent>
#include <QTest>
#include <QVBoxLayout>
#include <QWheelEvent>
#include <QWindow>

#include <gtest/gtest.h>

#include <client-qt/terminal/terminal_view.h>

namespace cyrange::qt {
namespace {

using client::TraineeEvent;
using client::TraineeEventKind;
using Events = std::vector<TraineeEvent>;

// The test's sink: keeps every event and lets the test wait for a condition on them,
// so that no test sleeps and then asserts that nothing happened.
class MemorySink : public recording::EventSink {
 public:
  bool deliver(TraineeEvent event) override {
    {
      std::lock_guard lock(mutex_);
      events_.push_back(std::move(event));
    }
    arrived_.notify_all();
    return true;
  }
  std::uint64_t waiting() const override { return waiting_value.load(); }

  // The events once `done` holds for them; fails the test after `timeout`.
  Events wait_for(const std::function<bool(const Events&)>& done,
                  std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    std::unique_lock lock(mutex_);
    const bool ok = arrived_.wait_for(lock, timeout, [&] { return done(events_); });
    EXPECT_TRUE(ok) << "the awaited events did not arrive; " << events_.size() << " arrived";
    return events_;
  }

  std::atomic<std::uint64_t> waiting_value{0};

 private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  Events events_;
};

bool is_marker(const TraineeEvent& e, const std::string& marker) {
  return e.kind == TraineeEventKind::answer && e.target == "marker" && e.text == marker;
}

Events of_kind(const Events& events, TraineeEventKind kind) {
  Events out;
  std::copy_if(events.begin(), events.end(), std::back_inserter(out),
               [&](const TraineeEvent& e) { return e.kind == kind; });
  return out;
}

class InputRecorderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sink = std::make_shared<MemorySink>();
    recorder = std::make_unique<InputRecorder>(sink, QStringLiteral("ex-7"));
    window = std::make_unique<QWidget>();
    window->setObjectName(QStringLiteral("traineeWindow"));
    window->setWindowTitle(QStringLiteral("Trainee"));
    auto* layout = new QVBoxLayout(window.get());
    label = new QLabel(QStringLiteral("Task 1"));
    label->setObjectName(QStringLiteral("task"));
    answer = new QLineEdit;
    answer->setObjectName(QStringLiteral("answer"));
    password = new QLineEdit;
    password->setObjectName(QStringLiteral("password"));
    password->setEchoMode(QLineEdit::Password);
    token = new QLineEdit;  // echoes, but says its content is sensitive
    token->setObjectName(QStringLiteral("token"));
    token->setInputMethodHints(Qt::ImhSensitiveData);
    terminal = new TerminalView;
    terminal->setObjectName(QStringLiteral("terminal"));
    InputRecorder::setTerminalHost(terminal, QStringLiteral("ws01"));
    for (QWidget* w : std::initializer_list<QWidget*>{label, answer, password, token, terminal}) {
      layout->addWidget(w);
    }
    window->resize(640, 600);
    window->show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(window.get()));
    window->activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(window.get()));
    handle = window->windowHandle();
    ASSERT_NE(handle, nullptr);
  }

  void TearDown() override {
    recorder.reset();  // removes the filter before the widgets go
    window.reset();
  }

  // Records a marker action and waits for it: everything recorded before it is there.
  // Returns the events after the previous marker (or the start) and before this one.
  Events mark_and_wait(const std::string& marker) {
    recorder->answerSubmitted(QStringLiteral("marker"), QString::fromStdString(marker));
    const Events all = sink->wait_for([&](const Events& events) {
      return std::any_of(events.begin(), events.end(),
                         [&](const TraineeEvent& e) { return is_marker(e, marker); });
    });
    auto end = std::find_if(all.begin(), all.end(),
                            [&](const TraineeEvent& e) { return is_marker(e, marker); });
    auto begin = end;
    while (begin != all.begin() && !is_marker(*(begin - 1), previous_marker_)) --begin;
    if (previous_marker_.empty()) begin = all.begin();
    previous_marker_ = marker;
    return Events(begin, end);
  }

  // Types ASCII `text` (no capitals) through the window, as a keyboard would.
  void type(const char* text) {
    for (const char* c = text; *c != '\0'; ++c) QTest::keyClick(handle, *c);
  }

  void focus(QWidget* widget) {
    widget->setFocus();
    ASSERT_TRUE(widget->hasFocus());
  }

  QPoint centre_of(const QWidget* widget) const {
    return widget->mapTo(window.get(), widget->rect().center());
  }

  std::shared_ptr<MemorySink> sink;
  std::unique_ptr<InputRecorder> recorder;
  std::unique_ptr<QWidget> window;
  QLabel* label = nullptr;
  QLineEdit* answer = nullptr;
  QLineEdit* password = nullptr;
  QLineEdit* token = nullptr;
  TerminalView* terminal = nullptr;
  QWindow* handle = nullptr;

 private:
  std::string previous_marker_;
};

TEST_F(InputRecorderTest, KeysOfSecretFieldsNeverReachTheSink) {
  recorder->start();
  focus(password);
  type("hunter2");
  focus(token);
  type("s3cr3t");
  EXPECT_EQ(password->text(), QStringLiteral("hunter2"));  // the filter consumed nothing
  const Events events = mark_and_wait("typed");
  const Events keys = of_kind(events, TraineeEventKind::key);
  ASSERT_EQ(keys.size(), 13u);
  for (const TraineeEvent& key : keys) {
    EXPECT_TRUE(key.secret);
    EXPECT_EQ(key.key, "");
    EXPECT_EQ(key.text, "");
    EXPECT_EQ(key.modifiers, 0u);
    EXPECT_GT(key.monotonic_ns, 0);
  }
  for (const TraineeEvent& e : events) {
    for (const char* secret : {"hunter", "s3cr3t"}) {
      EXPECT_EQ(e.text.find(secret), std::string::npos);
      EXPECT_EQ(e.target.find(secret), std::string::npos);
    }
  }
}

TEST_F(InputRecorderTest, KeysOfANormalFieldKeepTheirNameAndText) {
  recorder->start();
  focus(answer);
  type("ls -a");
  QTest::keyClick(handle, Qt::Key_Return);
  QTest::keyClick(handle, Qt::Key_B, Qt::ShiftModifier);
  const Events keys = of_kind(mark_and_wait("typed"), TraineeEventKind::key);
  ASSERT_EQ(keys.size(), 8u);  // l s space - a Return, then Shift and B
  const std::vector<std::string> names = {"l", "s", "Space", "-", "a", "Return", "Shift", "b"};
  const std::vector<std::string> texts = {"l", "s", " ", "-", "a", "\r", "", "B"};
  for (std::size_t i = 0; i < keys.size(); ++i) {
    EXPECT_FALSE(keys[i].secret);
    EXPECT_EQ(keys[i].key, names[i]) << i;
    if (i < 6) {
      EXPECT_EQ(keys[i].text, texts[i]) << i;
    }
    EXPECT_EQ(keys[i].exercise_id, "ex-7");
  }
  EXPECT_EQ(keys[7].modifiers & 1u, 1u);
  EXPECT_EQ(answer->text().left(5), QStringLiteral("ls -a"));
}

TEST_F(InputRecorderTest, TerminalKeysKeepOnlyTheirTimingAndHost) {
  QSignalSpy input(terminal, &TerminalView::input);
  recorder->start();
  focus(terminal);
  type("id");
  QTest::keyClick(handle, Qt::Key_Return);
  EXPECT_EQ(input.count(), 3);  // the terminal still got every key
  const Events keys = of_kind(mark_and_wait("typed"), TraineeEventKind::key);
  ASSERT_EQ(keys.size(), 3u);
  std::int64_t previous = 0;
  for (const TraineeEvent& key : keys) {
    EXPECT_EQ(key.key, "");
    EXPECT_EQ(key.text, "");
    EXPECT_FALSE(key.secret);
    EXPECT_EQ(key.target, "ws01");
    EXPECT_GT(key.wall_unix_us, 0);
    EXPECT_GE(key.monotonic_ns, previous);
    previous = key.monotonic_ns;
  }
}

TEST_F(InputRecorderTest, InputMethodCommitsKeepTheirTextUnlessSecretOrInATerminal) {
  recorder->start();
  const auto commit = [](QWidget* widget, const QString& text) {
    widget->setFocus();
    QInputMethodEvent event;
    event.setCommitString(text);
    QApplication::sendEvent(widget, &event);
  };
  commit(answer, QStringLiteral("日本語"));
  commit(password, QStringLiteral("秘密"));
  commit(terminal, QStringLiteral("端末"));
  const Events keys = of_kind(mark_and_wait("committed"), TraineeEventKind::key);
  ASSERT_EQ(keys.size(), 3u);
  EXPECT_EQ(keys[0].text, "日本語");
  EXPECT_FALSE(keys[0].secret);
  EXPECT_TRUE(keys[1].secret);
  EXPECT_EQ(keys[1].text, "");
  EXPECT_EQ(keys[2].text, "");
  EXPECT_EQ(keys[2].target, "ws01");
}

TEST_F(InputRecorderTest, ABurstOfMovesWithinFiftyMillisecondsIsOneSampleOfItsSize) {
  recorder->start();
  for (int i = 0; i < 10; ++i) QTest::mouseMove(handle, QPoint(20 + i, 30 + 2 * i));
  // No marker: the open window is sent once the pointer rests.
  sink->wait_for([](const Events& e) { return !of_kind(e, TraineeEventKind::mouse_move).empty(); });
  const Events moves = of_kind(mark_and_wait("moved"), TraineeEventKind::mouse_move);
  ASSERT_EQ(moves.size(), 1u);
  EXPECT_EQ(moves[0].count, 10u);
  EXPECT_EQ(moves[0].x, 29);
  EXPECT_EQ(moves[0].y, 48);
  EXPECT_EQ(recorder->counters().raw_moves, 10u);
  EXPECT_EQ(recorder->counters().move_samples, 1u);
}

TEST_F(InputRecorderTest, MovesOverOneSecondGiveAtMostTwentySamples) {
  recorder->start();
  // 1,000 moves 1 ms apart on the input clock (QTest advances it; Qt's advice is that
  // input handling relies on event timestamps so that tests run faster than real time).
  for (int i = 0; i < 1000; ++i) {
    QTest::mouseMove(handle, QPoint(10 + i % 300, 60 + i / 300), 1);
  }
  const Events moves = of_kind(mark_and_wait("moved"), TraineeEventKind::mouse_move);
  std::uint32_t total = 0;
  for (const TraineeEvent& move : moves) total += move.count;
  EXPECT_EQ(total, 1000u);
  EXPECT_GE(moves.size(), 20u);
  EXPECT_LE(moves.size(), 21u);  // one more only if the GUI thread stalled for 100 ms
  EXPECT_EQ(moves.back().x, 10 + 999 % 300);
}

TEST_F(InputRecorderTest, EveryClickIsRecordedOnce) {
  recorder->start();
  // A label ignores the press, which Qt then passes on to its parent: still one click.
  QTest::mouseClick(handle, Qt::LeftButton, {}, centre_of(label));
  QTest::mouseClick(handle, Qt::LeftButton, Qt::ControlModifier, centre_of(answer));
  QTest::mouseClick(handle, Qt::MiddleButton, {}, centre_of(label));
  const Events clicks = of_kind(mark_and_wait("clicked"), TraineeEventKind::click);
  ASSERT_EQ(clicks.size(), 3u);
  EXPECT_EQ(clicks[0].count, 1u);
  EXPECT_EQ(clicks[0].x, centre_of(label).x());
  EXPECT_EQ(clicks[0].y, centre_of(label).y());
  EXPECT_EQ(clicks[1].count, 1u);
  EXPECT_EQ(clicks[1].modifiers, 2u);
  EXPECT_EQ(clicks[2].count, 2u);
}

TEST_F(InputRecorderTest, WheelEventsAreRecordedOnce) {
  recorder->start();
  // The window system's path without a wheel in QTest 6.4: a spontaneous event to the
  // window, which passes it on to the widget under the pointer (as QTest does for keys).
  const QPointF at = centre_of(label);
  QWheelEvent real(at, window->mapToGlobal(at), {}, QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                   Qt::NoScrollPhase, false);
  QSpontaneKeyEvent::setSpontaneous(&real);
  QApplication::instance()->notify(handle, &real);
  // An event the app sends itself is not input.
  QWheelEvent sent(at, window->mapToGlobal(at), {}, QPoint(0, -240), Qt::NoButton, Qt::NoModifier,
                   Qt::NoScrollPhase, false);
  QApplication::sendEvent(answer, &sent);
  const Events scrolls = of_kind(mark_and_wait("scrolled"), TraineeEventKind::scroll);
  ASSERT_EQ(scrolls.size(), 1u);
  EXPECT_EQ(scrolls[0].x, 0);
  EXPECT_EQ(scrolls[0].y, 120);
}

TEST_F(InputRecorderTest, FocusAndWindowChangesNameTheirTarget) {
  recorder->start();
  focus(token);
  focus(answer);
  auto* unnamed = new QLineEdit(window.get());
  unnamed->show();
  focus(unnamed);
  QWidget dialog;
  dialog.setObjectName(QStringLiteral("hintDialog"));
  dialog.setWindowTitle(QStringLiteral("Hint"));
  dialog.resize(200, 100);
  dialog.show();
  dialog.activateWindow();
  ASSERT_TRUE(QTest::qWaitForWindowActive(&dialog));
  const Events focus = of_kind(mark_and_wait("focused"), TraineeEventKind::focus);
  std::vector<std::string> targets;
  for (const TraineeEvent& e : focus) targets.push_back(e.target);
  const auto position = [&](const std::string& target) {
    return std::find(targets.begin(), targets.end(), target) - targets.begin();
  };
  const auto n = static_cast<std::ptrdiff_t>(targets.size());
  EXPECT_EQ(position("recording:started"), 0);
  EXPECT_LT(position("widget:answer@Trainee"), n);
  EXPECT_LT(position("widget:QLineEdit@Trainee"), n);
  EXPECT_LT(position("window:hintDialog@Hint"), n);
  EXPECT_LT(position("widget:answer@Trainee"), position("widget:QLineEdit@Trainee"));
  EXPECT_LT(position("widget:QLineEdit@Trainee"), position("window:hintDialog@Hint"));
}

TEST_F(InputRecorderTest, NothingIsRecordedBeforeStartOrAfterStop) {
  const auto act = [&](int round) {
    focus(answer);
    type("abc");
    QTest::mouseClick(handle, Qt::LeftButton, {}, centre_of(label) + QPoint(round, 0));
    QTest::mouseMove(handle, QPoint(40 + round, 40));
    QTest::mouseMove(handle, QPoint(41 + round, 41));
    recorder->answerSubmitted(QStringLiteral("q1"), QStringLiteral("kakuu"));
    recorder->hintTaken(QStringLiteral("q1"), QStringLiteral("hint-1"));
    recorder->tabOpened(QStringLiteral("ws01"));
    recorder->reportSaved(QStringLiteral("timeline"), 5, 0);
  };
  EXPECT_FALSE(recorder->isRecording());
  act(0);
  recorder->start();
  Events events = mark_and_wait("first");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].target, "recording:started");

  recorder->stop();
  EXPECT_FALSE(recorder->isRecording());
  act(1);
  recorder->start();
  events = mark_and_wait("second");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].target, "recording:started");
}

TEST_F(InputRecorderTest, SemanticActionsArriveWithTheExercise) {
  recorder->start();
  recorder->answerSubmitted(QStringLiteral("q1"), QStringLiteral("kakuu"));
  recorder->hintTaken(QStringLiteral("q1"), QStringLiteral("hint-1"));
  recorder->tabOpened(QStringLiteral("terminal:ws01"));
  recorder->reportSaved(QStringLiteral("timeline"), 12, 3);
  recorder->recordAction(TraineeEventKind::command, QStringLiteral("ws01"), QStringLiteral("id"));
  recorder->setExercise(QStringLiteral("ex-8"));
  recorder->recordAction(TraineeEventKind::answer, QStringLiteral("q2"), QStringLiteral("x"));
  const Events events = mark_and_wait("acted");
  ASSERT_EQ(events.size(), 6u);  // recording:started, then five (the command is not ours)
  EXPECT_EQ(events[1].kind, TraineeEventKind::answer);
  EXPECT_EQ(events[1].target, "q1");
  EXPECT_EQ(events[1].text, "kakuu");
  EXPECT_EQ(events[2].kind, TraineeEventKind::hint);
  EXPECT_EQ(events[2].target, "q1/hint-1");
  EXPECT_EQ(events[3].kind, TraineeEventKind::focus);
  EXPECT_EQ(events[3].target, "tab:terminal:ws01");
  EXPECT_EQ(events[4].kind, TraineeEventKind::report_edit);
  EXPECT_EQ(events[4].target, "timeline");
  EXPECT_EQ(events[4].count, 12u);
  EXPECT_EQ(events[4].removed, 3u);
  EXPECT_EQ(events[5].target, "q2");
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].exercise_id, i < 5 ? "ex-7" : "ex-8") << i;
    EXPECT_GT(events[i].wall_unix_us, 0);
  }
}

TEST_F(InputRecorderTest, TheIndicatorSaysWhatIsRecordedOnlyWhileRecording) {
  QSignalSpy description(recorder.get(), &InputRecorder::descriptionChanged);
  QSignalSpy recording(recorder.get(), &InputRecorder::recordingChanged);
  EXPECT_TRUE(recorder->description().isEmpty());
  recorder->start();
  EXPECT_FALSE(recorder->description().isEmpty());
  EXPECT_EQ(recorder->description(), InputRecorder::whatIsRecorded());
  recorder->stop();
  EXPECT_TRUE(recorder->description().isEmpty());
  ASSERT_EQ(description.count(), 2);
  EXPECT_FALSE(description.at(0).at(0).toString().isEmpty());
  EXPECT_TRUE(description.at(1).at(0).toString().isEmpty());
  ASSERT_EQ(recording.count(), 2);
  EXPECT_TRUE(recording.at(0).at(0).toBool());
  EXPECT_FALSE(recording.at(1).at(0).toBool());
}

TEST_F(InputRecorderTest, WaitingEventsFollowTheSinksBacklog) {
  QSignalSpy waiting(recorder.get(), &InputRecorder::waitingEventsChanged);
  sink->waiting_value = 42;
  ASSERT_TRUE(waiting.wait(5000));
  EXPECT_EQ(waiting.last().at(0).toULongLong(), 42u);
  EXPECT_EQ(recorder->waitingEvents(), 42u);
}

// The production sink: events land in the RecorderClient's durable buffer, and those the
// server has not acknowledged (here: no server at all) are counted as waiting.
TEST(InputRecorderWithRecorderClient, EventsWaitInTheDiskBufferWhileTheServerIsAway) {
  char tmpl[] = "/tmp/cyrange-recording-test-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::filesystem::path dir = tmpl;
  {
    client::ClientOptions options;
    options.target = "127.0.0.1:1";  // nothing listens there
    options.plaintext = true;
    options.token = "red";
    auto connection = client::Connection::open(options);
    ASSERT_TRUE(connection);
    auto buffer = client::EventBuffer::open({dir / "buffer"});
    ASSERT_TRUE(buffer);
    client::RecorderClient client(*connection, std::move(buffer).value());
    InputRecorder recorder(client, QStringLiteral("ex-7"));
    QSignalSpy waiting(&recorder, &InputRecorder::waitingEventsChanged);
    recorder.start();
    recorder.answerSubmitted(QStringLiteral("q1"), QStringLiteral("kakuu"));
    while (recorder.waitingEvents() < 2 && waiting.wait(5000)) {
    }
    EXPECT_EQ(recorder.waitingEvents(), 2u);  // recording:started and the answer
    EXPECT_EQ(client.buffer().last_seq(), 2u);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cyrange::qt
