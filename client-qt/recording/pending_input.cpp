#include <client-qt/recording/pending_input.h>

#include <QKeySequence>

namespace cyrange::qt::recording {

std::string key_name(int key) {
  switch (key) {
    case Qt::Key_Return:
      return "Return";
    case Qt::Key_Enter:
      return "Enter";
    case Qt::Key_Tab:
      return "Tab";
    case Qt::Key_Backtab:
      return "Backtab";
    case Qt::Key_Backspace:
      return "Backspace";
    case Qt::Key_Delete:
      return "Delete";
    case Qt::Key_Insert:
      return "Insert";
    case Qt::Key_Escape:
      return "Escape";
    case Qt::Key_Left:
      return "Left";
    case Qt::Key_Right:
      return "Right";
    case Qt::Key_Up:
      return "Up";
    case Qt::Key_Down:
      return "Down";
    case Qt::Key_Home:
      return "Home";
    case Qt::Key_End:
      return "End";
    case Qt::Key_PageUp:
      return "PageUp";
    case Qt::Key_PageDown:
      return "PageDown";
    case Qt::Key_Shift:
      return "Shift";
    case Qt::Key_Control:
      return "Control";
    case Qt::Key_Alt:
      return "Alt";
    case Qt::Key_Meta:
      return "Meta";
    case Qt::Key_CapsLock:
      return "CapsLock";
    case Qt::Key_Space:
      return "Space";
    case 0:
    case Qt::Key_unknown:
      return {};
    default:
      break;
  }
  if (key >= Qt::Key_F1 && key <= Qt::Key_F35) return "F" + std::to_string(key - Qt::Key_F1 + 1);
  if (key > Qt::Key_Space && key < Qt::Key_Escape) {
    // Printable keys are named by their character; Qt names letters in upper case.
    const auto code = static_cast<char32_t>(key);
    return QString::fromUcs4(&code, 1).toLower().toStdString();
  }
  return QKeySequence(key).toString(QKeySequence::PortableText).toStdString();
}

client::TraineeEvent to_trainee_event(const PendingInput& input) {
  client::TraineeEvent event;
  event.kind = input.kind;
  event.exercise_id = input.exercise.toStdString();
  event.monotonic_ns = input.monotonic_ns;
  event.wall_unix_us = input.wall_unix_us;
  event.secret = input.secret;
  event.x = input.x;
  event.y = input.y;
  event.count = input.count;
  event.removed = input.removed;
  event.target = input.target.toStdString();
  // The filter already leaves these out of secret and terminal keys; checked again
  // here because a leak would be a privacy breach, not a cosmetic bug.
  const bool withheld =
      input.kind == client::TraineeEventKind::key && (input.secret || input.timing_only);
  if (!withheld) {
    event.key = key_name(input.key);
    event.text = input.text.toStdString();
    event.modifiers = input.modifiers;
  }
  return event;
}

}  // namespace cyrange::qt::recording
