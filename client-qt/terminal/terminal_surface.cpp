#include <client-qt/terminal/terminal_surface.h>

#include <algorithm>
#include <cstring>

#include <vterm.h>

#include <client-qt/terminal/utf8.h>

namespace cyrange::terminal {

namespace {

// libvterm marks the right half of a wide glyph with this value in chars[0].
constexpr std::uint32_t kContinuation = 0xFFFFFFFF;

VTermModifier to_vterm(unsigned modifiers) {
  int mod = VTERM_MOD_NONE;
  if (modifiers & mod_shift) mod |= VTERM_MOD_SHIFT;
  if (modifiers & mod_alt) mod |= VTERM_MOD_ALT;
  if (modifiers & mod_ctrl) mod |= VTERM_MOD_CTRL;
  return static_cast<VTermModifier>(mod);
}

VTermKey to_vterm(Key key, int function_number) {
  switch (key) {
    case Key::enter:
      return VTERM_KEY_ENTER;
    case Key::tab:
      return VTERM_KEY_TAB;
    case Key::backspace:
      return VTERM_KEY_BACKSPACE;
    case Key::escape:
      return VTERM_KEY_ESCAPE;
    case Key::up:
      return VTERM_KEY_UP;
    case Key::down:
      return VTERM_KEY_DOWN;
    case Key::left:
      return VTERM_KEY_LEFT;
    case Key::right:
      return VTERM_KEY_RIGHT;
    case Key::insert:
      return VTERM_KEY_INS;
    case Key::del:
      return VTERM_KEY_DEL;
    case Key::home:
      return VTERM_KEY_HOME;
    case Key::end:
      return VTERM_KEY_END;
    case Key::page_up:
      return VTERM_KEY_PAGEUP;
    case Key::page_down:
      return VTERM_KEY_PAGEDOWN;
    case Key::function:
      return static_cast<VTermKey>(VTERM_KEY_FUNCTION(function_number));
  }
  return VTERM_KEY_NONE;
}

// The C0 byte a classic terminal sends for Ctrl+c, or -1. libvterm 0.1.4 would send
// CSI-u sequences for Ctrl+I/J/M/[ and upper-case letters, which shells do not read.
int control_byte(std::uint32_t c) {
  if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
  if (c >= 'a' && c <= 'z') return static_cast<int>(c & 0x1f);
  switch (c) {
    case ' ':
    case '@':
    case '2':
      return 0x00;
    case '[':
      return 0x1b;
    case '\\':
      return 0x1c;
    case ']':
      return 0x1d;
    case '^':
      return 0x1e;
    case '_':
    case '/':
      return 0x1f;
    case '?':
      return 0x7f;
    default:
      return -1;
  }
}

bool is_blank(const Cell& cell) {
  return cell.text.empty() && cell.width == 1 && cell.bg_default && !cell.reverse &&
         !cell.underline && !cell.strike;
}

}  // namespace

// Static trampolines from libvterm's C callbacks into the surface.
struct TerminalSurface::Callbacks {
  static TerminalSurface& self(void* user) { return *static_cast<TerminalSurface*>(user); }

  static int damage(VTermRect rect, void* user) {
    self(user).mark_damage(rect.start_row, rect.end_row);
    return 1;
  }
  static int movecursor(VTermPos pos, VTermPos oldpos, int visible, void* user) {
    auto& s = self(user);
    // Both rows repaint: the old one loses the cursor block, the new one gains it.
    s.mark_damage(oldpos.row, oldpos.row + 1);
    s.mark_damage(pos.row, pos.row + 1);
    s.cursor_visible_ = visible != 0;
    return 1;
  }
  static int settermprop(VTermProp prop, VTermValue* val, void* user) {
    auto& s = self(user);
    switch (prop) {
      case VTERM_PROP_TITLE:
        s.title_ = val->string ? val->string : "";
        if (s.on_title) s.on_title(s.title_);
        break;
      case VTERM_PROP_CURSORVISIBLE:
        s.cursor_visible_ = val->boolean != 0;
        s.mark_damage(0, s.rows_);
        break;
      case VTERM_PROP_ALTSCREEN:
        s.alt_screen_ = val->boolean != 0;
        s.mark_damage(0, s.rows_);
        break;
      default:
        break;
    }
    return 1;
  }
  static int bell(void* user) {
    auto& s = self(user);
    if (s.on_bell) s.on_bell();
    return 1;
  }
  static int sb_pushline(int cols, const VTermScreenCell* cells, void* user) {
    auto& s = self(user);
    Line line;
    line.reserve(static_cast<std::size_t>(cols));
    for (int c = 0; c < cols; ++c) line.push_back(s.convert(&cells[c]));
    // Trailing blanks cost memory in a 10,000-line ring and carry no information.
    while (!line.empty() && is_blank(line.back())) line.pop_back();
    s.push_line(std::move(line));
    return 1;
  }
  static int sb_popline(int cols, VTermScreenCell* cells, void* user) {
    auto& s = self(user);
    if (s.scrollback_.empty()) return 0;
    Line line = std::move(s.scrollback_.back());
    s.scrollback_.pop_back();
    static const Cell blank;
    for (int c = 0; c < cols; ++c) {
      const auto i = static_cast<std::size_t>(c);
      s.unconvert(i < line.size() ? line[i] : blank, &cells[c]);
    }
    return 1;
  }
  static void output(const char* bytes, std::size_t len, void* user) {
    self(user).emit_output(bytes, len);
  }
  static const VTermScreenCallbacks* screen() {
    static const VTermScreenCallbacks table = {
        &damage,
        nullptr,  // moverect: without it libvterm reports moved rows as damage, all we need
        &movecursor,  &settermprop, &bell,
        nullptr,  // resize: the owner initiates every resize
        &sb_pushline, &sb_popline,
    };
    return &table;
  }
};

TerminalSurface::TerminalSurface(int rows, int cols, std::size_t scrollback_capacity)
    : rows_(std::max(rows, 1)),
      cols_(std::max(cols, 1)),
      scrollback_capacity_(scrollback_capacity) {
  vt_ = vterm_new(rows_, cols_);
  vterm_set_utf8(vt_, 1);
  vterm_output_set_callback(vt_, &Callbacks::output, this);
  screen_ = vterm_obtain_screen(vt_);
  state_ = vterm_obtain_state(vt_);
  vterm_screen_set_callbacks(screen_, Callbacks::screen(), this);
  // Row merging keeps the callback count low; feed() flushes at the end of each chunk.
  vterm_screen_set_damage_merge(screen_, VTERM_DAMAGE_ROW);
  vterm_screen_enable_altscreen(screen_, 1);
  vterm_screen_reset(screen_, 1);
  mark_damage(0, rows_);
}

TerminalSurface::~TerminalSurface() { vterm_free(vt_); }

void TerminalSurface::feed(std::string_view bytes) {
  if (bytes.empty()) return;
  vterm_input_write(vt_, bytes.data(), bytes.size());
  vterm_screen_flush_damage(screen_);
  notify_changed();
}

void TerminalSurface::resize(int rows, int cols) {
  rows = std::max(rows, 1);
  cols = std::max(cols, 1);
  if (rows == rows_ && cols == cols_) return;
  vterm_set_size(vt_, rows, cols);
  rows_ = rows;
  cols_ = cols;
  vterm_screen_flush_damage(screen_);
  mark_damage(0, rows_);
  notify_changed();
}

void TerminalSurface::reset() {
  vterm_screen_reset(screen_, 1);
  vterm_screen_flush_damage(screen_);
  dropped_ += scrollback_.size();
  scrollback_.clear();
  title_.clear();
  cursor_visible_ = true;
  alt_screen_ = false;
  mark_damage(0, rows_);
  damage_scrolled_ = 0;
  notify_changed();
}

void TerminalSurface::clear_scrollback() {
  dropped_ += scrollback_.size();
  scrollback_.clear();
  mark_damage(0, rows_);
  notify_changed();
}

Cell TerminalSurface::cell(int row, int col) const {
  if (row < 0 || row >= rows_ || col < 0 || col >= cols_) return Cell{};
  VTermScreenCell raw;
  std::memset(&raw, 0, sizeof raw);
  vterm_screen_get_cell(screen_, VTermPos{row, col}, &raw);
  return convert(&raw);
}

Line TerminalSurface::screen_line(int row) const {
  Line line;
  line.reserve(static_cast<std::size_t>(cols_));
  for (int c = 0; c < cols_; ++c) line.push_back(cell(row, c));
  return line;
}

Cell TerminalSurface::cell_at(int line, int col) const {
  const int sb = static_cast<int>(scrollback_.size());
  if (line < 0 || col < 0) return Cell{};
  if (line >= sb) return cell(line - sb, col);
  const Line& l = scrollback_[static_cast<std::size_t>(line)];
  return static_cast<std::size_t>(col) < l.size() ? l[static_cast<std::size_t>(col)] : Cell{};
}

void TerminalSurface::set_scrollback_capacity(std::size_t capacity) {
  scrollback_capacity_ = capacity;
  while (scrollback_.size() > scrollback_capacity_) {
    scrollback_.pop_front();
    ++dropped_;
  }
}

Cursor TerminalSurface::cursor() const {
  VTermPos pos;
  vterm_state_get_cursorpos(state_, &pos);
  return Cursor{pos.row, pos.col, cursor_visible_};
}

Damage TerminalSurface::take_damage() {
  // A shrink since the damage was recorded may have removed some of its rows.
  Damage d{std::min(damage_first_, rows_), std::min(damage_end_, rows_), damage_scrolled_};
  damage_first_ = damage_end_ = damage_scrolled_ = 0;
  return d;
}

std::string TerminalSurface::text(const TextRange& range) const {
  Position begin = std::min(range.begin, range.end);
  Position end = std::max(range.begin, range.end);
  begin.line = std::max(begin.line, 0);
  end.line = std::min(end.line, total_lines() - 1);
  std::string out;
  for (int line = begin.line; line <= end.line; ++line) {
    const int first = line == begin.line ? std::max(begin.col, 0) : 0;
    const int last = line == end.line ? std::min(end.col, cols_ - 1) : cols_ - 1;
    std::string row;
    for (int col = first; col <= last; ++col) {
      const Cell c = cell_at(line, col);
      if (c.width == 0) continue;  // right half of a wide glyph: the left half carried the text
      row += c.text.empty() ? std::string(" ") : c.text;
    }
    while (!row.empty() && row.back() == ' ') row.pop_back();
    if (line != begin.line) out += '\n';
    out += row;
  }
  return out;
}

std::string TerminalSurface::key(Key k, unsigned modifiers, int function_number) {
  std::string bytes;
  capture_ = &bytes;
  vterm_keyboard_key(vt_, to_vterm(k, function_number), to_vterm(modifiers));
  capture_ = nullptr;
  flush_captured(bytes);
  return bytes;
}

std::string TerminalSurface::text_input(std::string_view utf8, unsigned modifiers) {
  std::string bytes;
  capture_ = &bytes;
  for (const std::uint32_t c : decode_utf8(utf8)) {
    const int control = (modifiers & mod_ctrl) ? control_byte(c) : -1;
    if (control >= 0) {
      // Alt is the classic ESC prefix, on control bytes as on text.
      if (modifiers & mod_alt) emit_output("\x1b", 1);
      const char byte = static_cast<char>(control);
      emit_output(&byte, 1);
    } else {
      vterm_keyboard_unichar(vt_, c, to_vterm(modifiers));
    }
  }
  capture_ = nullptr;
  flush_captured(bytes);
  return bytes;
}

std::string TerminalSurface::paste(std::string_view utf8) {
  // A pasted end marker would let clipboard content escape the bracket and run as typed input.
  std::string clean(utf8);
  for (auto pos = clean.find("\x1b[201~"); pos != std::string::npos; pos = clean.find("\x1b[201~"))
    clean.erase(pos, 6);
  std::string bytes;
  capture_ = &bytes;
  // libvterm writes ESC[200~ / ESC[201~ only when the host enabled mode 2004.
  vterm_keyboard_start_paste(vt_);
  const auto chars = decode_utf8(clean);
  for (std::size_t i = 0; i < chars.size(); ++i) {
    std::uint32_t c = chars[i];
    // Terminals send Enter as CR; CRLF from a Windows clipboard must not become two lines.
    if (c == '\r' && i + 1 < chars.size() && chars[i + 1] == '\n') continue;
    if (c == '\n') c = '\r';
    vterm_keyboard_unichar(vt_, c, VTERM_MOD_NONE);
  }
  vterm_keyboard_end_paste(vt_);
  capture_ = nullptr;
  flush_captured(bytes);
  return bytes;
}

void TerminalSurface::focus(bool in) {
  if (in)
    vterm_state_focus_in(state_);
  else
    vterm_state_focus_out(state_);
}

void TerminalSurface::mark_damage(int first_row, int end_row) {
  first_row = std::clamp(first_row, 0, rows_);
  end_row = std::clamp(end_row, 0, rows_);
  if (first_row >= end_row) return;
  if (damage_first_ >= damage_end_) {
    damage_first_ = first_row;
    damage_end_ = end_row;
  } else {
    damage_first_ = std::min(damage_first_, first_row);
    damage_end_ = std::max(damage_end_, end_row);
  }
}

void TerminalSurface::push_line(Line line) {
  if (scrollback_capacity_ == 0) {
    ++dropped_;
    return;
  }
  if (scrollback_.size() >= scrollback_capacity_) {
    scrollback_.pop_front();
    ++dropped_;
  }
  scrollback_.push_back(std::move(line));
  ++damage_scrolled_;
}

Cell TerminalSurface::convert(const void* vterm_cell) const {
  const auto& raw = *static_cast<const VTermScreenCell*>(vterm_cell);
  Cell cell;
  if (raw.chars[0] == kContinuation) {
    cell.width = 0;
  } else {
    cell.width = raw.width == 2 ? 2 : 1;
    // chars[] ends at the first 0; chars[1..] hold combining marks of chars[0].
    for (int i = 0; i < VTERM_MAX_CHARS_PER_CELL && raw.chars[i] != 0; ++i)
      append_utf8(cell.text, raw.chars[i]);
  }
  VTermColor fg = raw.fg;
  VTermColor bg = raw.bg;
  cell.fg_default = VTERM_COLOR_IS_DEFAULT_FG(&fg);
  cell.bg_default = VTERM_COLOR_IS_DEFAULT_BG(&bg);
  if (!cell.fg_default) {
    vterm_screen_convert_color_to_rgb(screen_, &fg);
    cell.fg = Rgb{fg.rgb.red, fg.rgb.green, fg.rgb.blue};
  }
  if (!cell.bg_default) {
    vterm_screen_convert_color_to_rgb(screen_, &bg);
    cell.bg = Rgb{bg.rgb.red, bg.rgb.green, bg.rgb.blue};
  }
  cell.bold = raw.attrs.bold;
  cell.underline = raw.attrs.underline != VTERM_UNDERLINE_OFF;
  cell.italic = raw.attrs.italic;
  cell.reverse = raw.attrs.reverse;
  cell.strike = raw.attrs.strike;
  return cell;
}

void TerminalSurface::unconvert(const Cell& cell, void* vterm_cell) const {
  auto& raw = *static_cast<VTermScreenCell*>(vterm_cell);
  std::memset(&raw, 0, sizeof raw);
  if (cell.width == 0) {
    raw.chars[0] = kContinuation;
  } else {
    const auto chars = decode_utf8(cell.text);
    for (std::size_t i = 0; i < chars.size() && i + 1 < VTERM_MAX_CHARS_PER_CELL; ++i)
      raw.chars[i] = chars[i];
  }
  raw.width = static_cast<char>(cell.width == 2 ? 2 : 1);
  VTermColor default_fg;
  VTermColor default_bg;
  vterm_state_get_default_colors(state_, &default_fg, &default_bg);
  if (cell.fg_default) {
    raw.fg = default_fg;
    raw.fg.type |= VTERM_COLOR_DEFAULT_FG;
  } else {
    vterm_color_rgb(&raw.fg, cell.fg.r, cell.fg.g, cell.fg.b);
  }
  if (cell.bg_default) {
    raw.bg = default_bg;
    raw.bg.type |= VTERM_COLOR_DEFAULT_BG;
  } else {
    vterm_color_rgb(&raw.bg, cell.bg.r, cell.bg.g, cell.bg.b);
  }
  raw.attrs.bold = cell.bold;
  raw.attrs.underline = cell.underline ? VTERM_UNDERLINE_SINGLE : VTERM_UNDERLINE_OFF;
  raw.attrs.italic = cell.italic;
  raw.attrs.reverse = cell.reverse;
  raw.attrs.strike = cell.strike;
}

void TerminalSurface::notify_changed() {
  if (on_changed) on_changed();
}

void TerminalSurface::emit_output(const char* bytes, std::size_t len) {
  if (capture_)
    capture_->append(bytes, len);
  else if (on_output)
    on_output(std::string_view(bytes, len));
}

void TerminalSurface::flush_captured(const std::string& bytes) {
  // One callback per user action, so a pasted text or an IME commit is one message.
  if (!bytes.empty() && on_output) on_output(bytes);
}

}  // namespace cyrange::terminal
