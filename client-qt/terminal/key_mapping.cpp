#include <client-qt/terminal/key_mapping.h>

#include <QKeyEvent>

namespace cyrange::qt {

namespace {

using terminal::Key;

std::optional<Key> special_key(int qt_key) {
  switch (qt_key) {
    case Qt::Key_Return:
    case Qt::Key_Enter:
      return Key::enter;
    case Qt::Key_Tab:
    case Qt::Key_Backtab:
      return Key::tab;
    case Qt::Key_Backspace:
      return Key::backspace;
    case Qt::Key_Escape:
      return Key::escape;
    case Qt::Key_Up:
      return Key::up;
    case Qt::Key_Down:
      return Key::down;
    case Qt::Key_Left:
      return Key::left;
    case Qt::Key_Right:
      return Key::right;
    case Qt::Key_Insert:
      return Key::insert;
    case Qt::Key_Delete:
      return Key::del;
    case Qt::Key_Home:
      return Key::home;
    case Qt::Key_End:
      return Key::end;
    case Qt::Key_PageUp:
      return Key::page_up;
    case Qt::Key_PageDown:
      return Key::page_down;
    default:
      return std::nullopt;
  }
}

unsigned terminal_modifiers(Qt::KeyboardModifiers mods) {
  unsigned out = terminal::mod_none;
  if (mods & Qt::ShiftModifier) out |= terminal::mod_shift;
  if (mods & Qt::AltModifier) out |= terminal::mod_alt;
  if (mods & Qt::ControlModifier) out |= terminal::mod_ctrl;
  return out;
}

}  // namespace

std::optional<TerminalKeyAction> map_key_event(const QKeyEvent& event) {
  const int key = event.key();
  const Qt::KeyboardModifiers mods = event.modifiers() & ~Qt::KeypadModifier;
  const bool ctrl = mods & Qt::ControlModifier;
  const bool shift = mods & Qt::ShiftModifier;
  TerminalKeyAction action;
  action.modifiers = terminal_modifiers(mods);

  using Kind = TerminalKeyAction::Kind;
  const auto local = [&action](Kind kind) {
    action.kind = kind;
    return std::optional<TerminalKeyAction>(action);
  };
  // Ctrl+Shift+C/V are the terminal convention, since Ctrl+C and Ctrl+V belong to the host.
  if (ctrl && shift && key == Qt::Key_C) return local(Kind::copy);
  if (ctrl && shift && key == Qt::Key_V) return local(Kind::paste);
  if (shift && !ctrl && key == Qt::Key_PageUp) return local(Kind::scroll_page_up);
  if (shift && !ctrl && key == Qt::Key_PageDown) return local(Kind::scroll_page_down);

  if (const auto special = special_key(key)) {
    action.kind = Kind::special_key;
    action.key = *special;
    if (key == Qt::Key_Backtab) action.modifiers |= terminal::mod_shift;
    return action;
  }
  if (key >= Qt::Key_F1 && key <= Qt::Key_F35) {
    action.kind = Kind::special_key;
    action.key = Key::function;
    action.function_number = key - Qt::Key_F1 + 1;
    return action;
  }

  action.kind = Kind::text;
  // With Ctrl or Alt the event text is unreliable across platforms (X11 gives "\x03" for
  // Ctrl+C, others give "c" or nothing), so the key code decides for ASCII keys.
  if ((ctrl || (mods & Qt::AltModifier)) && key >= 0x20 && key < 0x7f) {
    char c = static_cast<char>(key);
    if (c >= 'A' && c <= 'Z' && !(shift && !ctrl)) c = static_cast<char>(c - 'A' + 'a');
    if (!ctrl && !event.text().isEmpty() && event.text().at(0).unicode() >= 0x20)
      action.text = event.text().toStdString();  // Alt+key keeps the layout's character
    else
      action.text = std::string(1, c);
    return action;
  }
  const QString text = event.text();
  if (text.isEmpty()) return std::nullopt;
  // Control characters in text are only what the platform made of keys handled above.
  if (text.size() == 1 && text.at(0).unicode() < 0x20) return std::nullopt;
  action.text = text.toStdString();
  // Shift is already part of the text ("A"); sending it too would ask for CSI-u encodings.
  action.modifiers &= ~terminal::mod_shift;
  return action;
}

}  // namespace cyrange::qt
