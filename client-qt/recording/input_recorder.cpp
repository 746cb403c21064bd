#include <client-qt/recording/input_recorder.h>

#include <QApplication>
#include <QKeyEvent>
#include <QLineEdit>
#include <QWidget>

#include <client-qt/terminal/terminal_view.h>

namespace cyrange::qt {
namespace {

using client::TraineeEventKind;
using recording::PendingInput;

// The dynamic property setTerminalHost() writes on a terminal widget.
constexpr const char* kTerminalHostProperty = "cyrangeTerminalHost";

std::int64_t nanoseconds(std::chrono::nanoseconds since_epoch) { return since_epoch.count(); }

std::uint32_t modifier_bits(Qt::KeyboardModifiers modifiers) {
  std::uint32_t bits = 0;
  if (modifiers & Qt::ShiftModifier) bits |= 1;
  if (modifiers & Qt::ControlModifier) bits |= 2;
  if (modifiers & Qt::AltModifier) bits |= 4;
  if (modifiers & Qt::MetaModifier) bits |= 8;
  return bits;
}

std::uint32_t button_number(Qt::MouseButton button) {
  switch (button) {
    case Qt::LeftButton:
      return 1;
    case Qt::MiddleButton:
      return 2;
    case Qt::RightButton:
      return 3;
    case Qt::BackButton:
      return 4;
    case Qt::ForwardButton:
      return 5;
    default:
      return 0;
  }
}

// Secret when the widget asks input methods to hide or not learn its text, or is a
// line edit that does not show what is typed (password, no echo).
bool is_secret(const QWidget& widget) {
  if (widget.inputMethodHints() & (Qt::ImhHiddenText | Qt::ImhSensitiveData)) return true;
  const auto* edit = qobject_cast<const QLineEdit*>(&widget);
  return edit != nullptr && edit->echoMode() != QLineEdit::Normal;
}

// The terminal widget a key went to: the view itself or its viewport.
const TerminalView* terminal_of(const QWidget* widget) {
  for (int depth = 0; widget != nullptr && depth < 2; ++depth, widget = widget->parentWidget()) {
    if (const auto* view = qobject_cast<const TerminalView*>(widget)) return view;
  }
  return nullptr;
}

QString stable_name(const QWidget& widget) {
  const QString name = widget.objectName();
  return name.isEmpty() ? QString::fromLatin1(widget.metaObject()->className()) : name;
}

}  // namespace

InputRecorder::InputRecorder(std::shared_ptr<recording::EventSink> sink, const QString& exercise,
                             InputRecorderOptions options, QObject* parent)
    : QObject(parent), exercise_(exercise) {
  recording::WorkerOptions worker;
  worker.move_interval = options.move_interval;
  worker.move_idle = 2 * options.move_interval;
  worker.waiting_poll = options.waiting_refresh;
  worker.max_queued = options.max_queued;
  worker_ = std::make_unique<recording::RecordingWorker>(std::move(sink), worker);
  // Reads the worker's copy of the backlog: never the buffer (whose lock an fsync holds).
  waiting_timer_.setInterval(options.waiting_refresh);
  connect(&waiting_timer_, &QTimer::timeout, this, &InputRecorder::refresh_waiting);
  waiting_timer_.start();
}

InputRecorder::InputRecorder(client::RecorderClient& recorder, const QString& exercise,
                             QObject* parent)
    : InputRecorder(std::make_shared<recording::RecorderClientSink>(recorder), exercise, {},
                    parent) {}

InputRecorder::~InputRecorder() { stop(); }

QString InputRecorder::description() const { return recording_ ? whatIsRecorded() : QString(); }

QString InputRecorder::whatIsRecorded() {
  return tr(
      "Recorded: the keys you press in this window (never what you type into password "
      "fields), mouse clicks, wheel and movements, the active window and field, and your "
      "answers, hints and report saves. In terminals only when keys are pressed: the "
      "server records the terminal session itself.");
}

void InputRecorder::setTerminalHost(QWidget* terminal, const QString& host) {
  if (terminal != nullptr) terminal->setProperty(kTerminalHostProperty, host);
}

void InputRecorder::start() {
  if (recording_) return;
  QCoreApplication::instance()->installEventFilter(this);
  recording_ = true;
  PendingInput started = make(TraineeEventKind::focus);
  started.target = QStringLiteral("recording:started");
  push(std::move(started));
  emit recordingChanged(true);
  emit descriptionChanged(description());
}

void InputRecorder::stop() {
  if (!recording_) return;
  if (auto* app = QCoreApplication::instance()) app->removeEventFilter(this);
  recording_ = false;
  emit recordingChanged(false);
  emit descriptionChanged(QString());
}

PendingInput InputRecorder::make(TraineeEventKind kind) const {
  PendingInput input;
  input.kind = kind;
  input.monotonic_ns = nanoseconds(std::chrono::steady_clock::now().time_since_epoch());
  input.wall_unix_us = std::chrono::duration_cast<std::chrono::microseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
  input.exercise = exercise_;
  return input;
}

void InputRecorder::push(PendingInput&& input) { worker_->push(std::move(input)); }

bool InputRecorder::eventFilter(QObject* watched, QEvent* event) {
  // Every event of the app passes here: decide on the type first, then on the receiver.
  // Real input arrives spontaneous at the window, then at the widget; the copies Qt
  // passes on to parent widgets are not spontaneous: one event per action.
  switch (event->type()) {
    case QEvent::KeyPress:
      if (event->spontaneous() && watched->isWidgetType()) {
        record_key(static_cast<QWidget*>(watched), *static_cast<QKeyEvent*>(event));
      }
      break;
    case QEvent::InputMethod:
      // Input methods (Japanese) commit text by sending this to the focus widget.
      if (watched->isWidgetType()) {
        const QString& commit = static_cast<QInputMethodEvent*>(event)->commitString();
        if (!commit.isEmpty()) record_commit(static_cast<QWidget*>(watched), commit);
      }
      break;
    case QEvent::MouseButtonPress:
    case QEvent::MouseMove:
      if (event->spontaneous() && watched->isWidgetType()) {
        const auto* mouse = static_cast<const QMouseEvent*>(event);
        const bool press = event->type() == QEvent::MouseButtonPress;
        PendingInput input = make(press ? TraineeEventKind::click : TraineeEventKind::mouse_move);
        const QPointF at = mouse->scenePosition();
        input.x = qRound(at.x());
        input.y = qRound(at.y());
        if (press) {
          input.count = button_number(mouse->button());
          input.modifiers = modifier_bits(mouse->modifiers());
        } else {
          input.count = 1;
          // Sampled on the input's own clock; events made by the app may carry none.
          input.input_ms = mouse->timestamp() != 0 ? static_cast<std::int64_t>(mouse->timestamp())
                                                   : input.monotonic_ns / 1'000'000;
        }
        push(std::move(input));
      }
      break;
    case QEvent::Wheel:
      if (event->spontaneous() && watched->isWidgetType()) {
        const QPoint delta = static_cast<const QWheelEvent*>(event)->angleDelta();
        PendingInput input = make(TraineeEventKind::scroll);
        input.x = delta.x();
        input.y = delta.y();
        push(std::move(input));
      }
      break;
    case QEvent::FocusIn:
      // Style objects get focus events too; only widgets count.
      if (watched->isWidgetType()) record_focus("widget:", *static_cast<QWidget*>(watched));
      break;
    case QEvent::WindowActivate:
      if (watched->isWidgetType() && static_cast<QWidget*>(watched)->isWindow()) {
        record_focus("window:", *static_cast<QWidget*>(watched));
      }
      break;
    case QEvent::ApplicationStateChange:
      if (watched == QCoreApplication::instance()) {
        const bool active = static_cast<QApplicationStateChangeEvent*>(event)->applicationState() ==
                            Qt::ApplicationActive;
        PendingInput input = make(TraineeEventKind::focus);
        input.target = active ? QStringLiteral("app:active") : QStringLiteral("app:inactive");
        push(std::move(input));
      }
      break;
    default:
      break;
  }
  return false;
}

void InputRecorder::classify(QWidget* receiver, PendingInput& input) const {
  if (const TerminalView* terminal = terminal_of(receiver)) {
    input.timing_only = true;
    input.target = terminal->property(kTerminalHostProperty).toString();
    return;
  }
  const QWidget* focus = QApplication::focusWidget();
  input.secret =
      is_secret(*receiver) || (focus != nullptr && focus != receiver && is_secret(*focus));
}

void InputRecorder::record_key(QWidget* receiver, const QKeyEvent& key) {
  PendingInput input = make(TraineeEventKind::key);
  classify(receiver, input);
  if (!input.secret && !input.timing_only) {
    input.key = key.key();
    input.text = key.text();
    input.modifiers = modifier_bits(key.modifiers());
  }
  push(std::move(input));
}

void InputRecorder::record_commit(QWidget* receiver, const QString& commit) {
  PendingInput input = make(TraineeEventKind::key);
  classify(receiver, input);
  if (!input.secret && !input.timing_only) input.text = commit;
  push(std::move(input));
}

void InputRecorder::record_focus(const char* prefix, const QWidget& widget) {
  PendingInput input = make(TraineeEventKind::focus);
  input.target = QLatin1String(prefix) + stable_name(widget) + QLatin1Char('@') +
                 widget.window()->windowTitle();
  push(std::move(input));
}

void InputRecorder::answerSubmitted(const QString& objective, const QString& answer) {
  recordAction(TraineeEventKind::answer, objective, answer);
}

void InputRecorder::hintTaken(const QString& objective, const QString& hint) {
  recordAction(TraineeEventKind::hint,
               objective.isEmpty() ? hint : objective + QLatin1Char('/') + hint, {});
}

void InputRecorder::tabOpened(const QString& tab) {
  recordAction(TraineeEventKind::focus, QStringLiteral("tab:") + tab, {});
}

void InputRecorder::reportSaved(const QString& section, quint32 added, quint32 removed) {
  if (!recording_) return;
  PendingInput input = make(TraineeEventKind::report_edit);
  input.target = section;
  input.count = added;
  input.removed = removed;
  push(std::move(input));
}

void InputRecorder::recordAction(client::TraineeEventKind kind, const QString& target,
                                 const QString& text) {
  if (!recording_) return;
  switch (kind) {
    case TraineeEventKind::answer:
    case TraineeEventKind::hint:
    case TraineeEventKind::focus:
    case TraineeEventKind::report_edit:
      break;
    default:
      // Input comes from the filter; terminal commands are recorded by the server.
      return;
  }
  PendingInput input = make(kind);
  input.target = target;
  input.text = text;
  push(std::move(input));
}

void InputRecorder::refresh_waiting() {
  const quint64 now = worker_->waiting();
  if (now == waiting_) return;
  waiting_ = now;
  emit waitingEventsChanged(now);
}

}  // namespace cyrange::qt
