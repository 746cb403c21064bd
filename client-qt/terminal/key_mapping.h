#pragma once

#include <optional>
#include <string>

#include <client-qt/terminal/terminal_surface.h>

class QKeyEvent;

namespace cyrange::qt {

/// What a key press means for the terminal, independent of the surface that encodes it.
struct TerminalKeyAction {
  /// Kind of action.
  enum class Kind { special_key, text, copy, paste, scroll_page_up, scroll_page_down };
  Kind kind = Kind::text;                    ///< what to do
  terminal::Key key = terminal::Key::enter;  ///< for special_key
  int function_number = 0;                   ///< for Key::function (F1 = 1)
  std::string text;                          ///< UTF-8 for text
  unsigned modifiers = terminal::mod_none;   ///< terminal modifier bits
};

/// Maps a Qt key event to a terminal action; empty for keys a terminal does not send.
std::optional<TerminalKeyAction> map_key_event(const QKeyEvent& event);

}  // namespace cyrange::qt
