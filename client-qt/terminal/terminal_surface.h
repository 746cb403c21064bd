#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

// libvterm's handles stay opaque here so that the Qt view never sees the C API.
struct VTerm;
struct VTermScreen;
struct VTermState;

namespace cyrange::terminal {

/// A colour resolved to 24-bit RGB.
struct Rgb {
  std::uint8_t r = 0;
  std::uint8_t g = 0;
  std::uint8_t b = 0;
  /// Component-wise equality.
  friend bool operator==(const Rgb&, const Rgb&) = default;
};

/// One character cell as the view paints it; colours already resolved from the palette.
struct Cell {
  std::string text;        ///< UTF-8 of the base character and its combining marks; empty: blank
  int width = 1;           ///< 1 or 2 for a glyph; 0 for the continuation cell of a wide glyph
  Rgb fg;                  ///< foreground; meaningful only when !fg_default
  Rgb bg;                  ///< background; meaningful only when !bg_default
  bool fg_default = true;  ///< no SGR colour: the view uses its palette's text colour
  bool bg_default = true;  ///< no SGR colour: the view uses its palette's base colour
  bool bold = false;       ///< SGR 1
  bool underline = false;  ///< SGR 4 (any underline style)
  bool italic = false;     ///< SGR 3
  bool reverse = false;    ///< SGR 7; the view swaps fg and bg
  bool strike = false;     ///< SGR 9
};

/// A line of cells; scrollback lines may be shorter than the screen (trailing blanks trimmed).
using Line = std::vector<Cell>;

/// A point in the whole buffer: line 0 is the oldest scrollback line, then the screen rows.
struct Position {
  int line = 0;  ///< absolute line (scrollback_size() + row for a screen row)
  int col = 0;   ///< column
  /// Lexicographic order (line, then column).
  friend auto operator<=>(const Position&, const Position&) = default;
};

/// A range of cells from `begin` to `end` inclusive, in reading order.
struct TextRange {
  Position begin;  ///< first cell
  Position end;    ///< last cell (inclusive)
};

/// Where the cursor is on the screen and whether the application shows it.
struct Cursor {
  int row = 0;          ///< screen row
  int col = 0;          ///< screen column
  bool visible = true;  ///< false after DECTCEM off (ESC[?25l)
};

/// Screen rows changed since the last take_damage(), so a view repaints only those.
struct Damage {
  int first_row = 0;       ///< first damaged screen row
  int end_row = 0;         ///< one past the last damaged row; empty when equal to first_row
  int lines_scrolled = 0;  ///< lines pushed into the scrollback (everything shifted)
  /// True when nothing changed.
  bool empty() const { return first_row >= end_row && lines_scrolled == 0; }
};

/// Keys that are not text; the surface encodes them as the application's mode requires.
enum class Key {
  enter,
  tab,
  backspace,
  escape,
  up,
  down,
  left,
  right,
  insert,
  del,
  home,
  end,
  page_up,
  page_down,
  function,
};

/// Modifier bits for key() and text().
enum Modifier : unsigned {
  mod_none = 0,
  mod_shift = 1,
  mod_alt = 2,
  mod_ctrl = 4,
};

/// A Qt-free terminal: owns a libvterm 0.1.4 VTerm, its screen and a scrollback ring.
///
/// Not thread-safe; the owner feeds and reads it from one thread.
class TerminalSurface {
 public:
  /// Default number of lines kept above the screen.
  static constexpr std::size_t kDefaultScrollback = 10'000;

  /// Creates a terminal of `rows` x `cols` that keeps `scrollback_capacity` old lines.
  TerminalSurface(int rows, int cols, std::size_t scrollback_capacity = kDefaultScrollback);
  /// Frees the VTerm; callbacks are not invoked any more.
  ~TerminalSurface();
  /// Not copyable: libvterm state cannot be cloned.
  TerminalSurface(const TerminalSurface&) = delete;
  /// Not copyable: libvterm state cannot be cloned.
  TerminalSurface& operator=(const TerminalSurface&) = delete;

  /// Interprets output of the host (escape sequences, UTF-8 text).
  void feed(std::string_view bytes);
  /// Changes the screen size; content is kept (no reflow in 0.1.4), lines move to/from scrollback.
  void resize(int rows, int cols);
  /// Hard reset (RIS) and an empty scrollback, e.g. before a replay seek.
  void reset();

  /// Screen rows.
  int rows() const { return rows_; }
  /// Screen columns.
  int cols() const { return cols_; }
  /// The cell at a screen position; a blank default cell when out of range.
  Cell cell(int row, int col) const;
  /// A whole screen row.
  Line screen_line(int row) const;

  /// Lines currently held above the screen.
  std::size_t scrollback_size() const { return scrollback_.size(); }
  /// Most lines kept above the screen.
  std::size_t scrollback_capacity() const { return scrollback_capacity_; }
  /// Drops every scrollback line (the screen stays: the host owns it).
  void clear_scrollback();
  /// Changes the capacity; drops the oldest lines when shrinking.
  void set_scrollback_capacity(std::size_t capacity);
  /// Scrollback line `i`, 0 being the oldest; trailing blank cells are trimmed.
  const Line& scrollback_line(std::size_t i) const { return scrollback_[i]; }
  /// Total lines dropped from the front of a full scrollback, so views can keep anchors.
  std::uint64_t scrollback_dropped() const { return dropped_; }
  /// Scrollback plus screen rows.
  int total_lines() const { return static_cast<int>(scrollback_.size()) + rows_; }
  /// Cell at an absolute line (see Position); blank when out of range.
  Cell cell_at(int line, int col) const;

  /// Cursor position and visibility.
  Cursor cursor() const;
  /// Window title set by OSC 0/2.
  const std::string& title() const { return title_; }
  /// True while the application uses the alternate screen (e.g. vim, less).
  bool alt_screen() const { return alt_screen_; }

  /// Returns and clears the rows changed since the previous call.
  Damage take_damage();

  /// Plain text of a range (continuation cells skipped, trailing blanks trimmed, '\n' per line).
  std::string text(const TextRange& range) const;

  /// Encodes a non-text key; returns the bytes, which also go to on_output.
  std::string key(Key k, unsigned modifiers = mod_none, int function_number = 0);
  /// Encodes typed text (Ctrl+letter, Alt as ESC prefix); returns the bytes, also sent to
  /// on_output.
  std::string text_input(std::string_view utf8, unsigned modifiers = mod_none);
  /// Encodes pasted text, bracketed when the host enabled it; returns the bytes, also sent.
  std::string paste(std::string_view utf8);
  /// Reports focus changes to applications that asked for them (ESC[?1004h).
  void focus(bool in);

  /// Bytes for the host: key encodings and answers to queries such as DA and DSR.
  std::function<void(std::string_view)> on_output;
  /// The host rang the bell.
  std::function<void()> on_bell;
  /// The host changed the window title.
  std::function<void(const std::string&)> on_title;
  /// Content, size or scrollback changed (after feed, resize, reset); views fetch the damage.
  std::function<void()> on_changed;

 private:
  struct Callbacks;
  friend struct Callbacks;

  void mark_damage(int first_row, int end_row);
  void push_line(Line line);
  Cell convert(const void* vterm_cell) const;
  void unconvert(const Cell& cell, void* vterm_cell) const;
  void emit_output(const char* bytes, std::size_t len);
  void notify_changed();
  void flush_captured(const std::string& bytes);

  VTerm* vt_ = nullptr;
  VTermScreen* screen_ = nullptr;
  VTermState* state_ = nullptr;
  int rows_;
  int cols_;
  std::size_t scrollback_capacity_;
  std::deque<Line> scrollback_;
  std::uint64_t dropped_ = 0;
  std::string title_;
  bool cursor_visible_ = true;
  bool alt_screen_ = false;
  int damage_first_ = 0;
  int damage_end_ = 0;
  int damage_scrolled_ = 0;
  // While key()/text_input()/paste() run, output is collected here and sent once at the end.
  std::string* capture_ = nullptr;
};

}  // namespace cyrange::terminal
