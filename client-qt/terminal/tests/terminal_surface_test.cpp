#include <client-qt/terminal/terminal_surface.h>

#include <string>

#include <gtest/gtest.h>

namespace cyrange::terminal {
namespace {

// Text of a screen row as the user sees it (wide glyphs once, trailing blanks trimmed).
std::string row_text(const TerminalSurface& s, int row) {
  const int line = static_cast<int>(s.scrollback_size()) + row;
  return s.text(TextRange{{line, 0}, {line, s.cols() - 1}});
}

std::string line_text(const Line& line) {
  std::string out;
  for (const Cell& c : line)
    if (c.width != 0) out += c.text.empty() ? " " : c.text;
  return out;
}

TEST(TerminalSurface, AsciiCellsAndCursor) {
  TerminalSurface s(5, 20);
  s.feed("hello\r\nworld");
  EXPECT_EQ(s.cell(0, 0).text, "h");
  EXPECT_EQ(s.cell(0, 4).text, "o");
  EXPECT_EQ(s.cell(0, 5).text, "");
  EXPECT_EQ(s.cell(1, 0).text, "w");
  EXPECT_EQ(s.cell(0, 0).width, 1);
  EXPECT_TRUE(s.cell(0, 0).fg_default);
  EXPECT_TRUE(s.cell(0, 0).bg_default);
  EXPECT_EQ(s.cursor().row, 1);
  EXPECT_EQ(s.cursor().col, 5);
  EXPECT_TRUE(s.cursor().visible);
  s.feed("\x1b[?25l");
  EXPECT_FALSE(s.cursor().visible);
  EXPECT_EQ(row_text(s, 0), "hello");
}

TEST(TerminalSurface, SgrSixteenColoursAndAttributes) {
  TerminalSurface s(5, 20);
  s.feed("\x1b[1;4;3;7;31;42mX\x1b[0mY\x1b[91mZ");
  const Cell x = s.cell(0, 0);
  EXPECT_FALSE(x.fg_default);
  EXPECT_FALSE(x.bg_default);
  EXPECT_TRUE(x.bold);
  EXPECT_TRUE(x.underline);
  EXPECT_TRUE(x.italic);
  EXPECT_TRUE(x.reverse);
  // libvterm's default palette: red 224,0,0 and green 0,224,0.
  EXPECT_EQ(x.fg, (Rgb{224, 0, 0}));
  EXPECT_EQ(x.bg, (Rgb{0, 224, 0}));
  const Cell y = s.cell(0, 1);
  EXPECT_TRUE(y.fg_default);
  EXPECT_FALSE(y.bold);
  EXPECT_FALSE(y.reverse);
  EXPECT_EQ(s.cell(0, 2).fg, (Rgb{255, 64, 64}));  // bright red
}

TEST(TerminalSurface, Sgr256AndTruecolor) {
  TerminalSurface s(5, 20);
  // 196 is the 6x6x6 cube's pure red; 244 a grey ramp entry; then 24-bit colours.
  s.feed("\x1b[38;5;196mA\x1b[48;5;244mB\x1b[0m\x1b[38;2;12;34;56;48;2;200;150;100mC");
  EXPECT_EQ(s.cell(0, 0).fg, (Rgb{255, 0, 0}));
  EXPECT_TRUE(s.cell(0, 0).bg_default);
  // libvterm's grey ramp (not xterm's): entry 244 is 0x85.
  EXPECT_EQ(s.cell(0, 1).bg, (Rgb{0x85, 0x85, 0x85}));
  EXPECT_EQ(s.cell(0, 2).fg, (Rgb{12, 34, 56}));
  EXPECT_EQ(s.cell(0, 2).bg, (Rgb{200, 150, 100}));
}

TEST(TerminalSurface, CjkWideCellsHaveContinuation) {
  TerminalSurface s(5, 20);
  s.feed("日本語x");
  EXPECT_EQ(s.cell(0, 0).text, "日");
  EXPECT_EQ(s.cell(0, 0).width, 2);
  EXPECT_EQ(s.cell(0, 1).width, 0);
  EXPECT_EQ(s.cell(0, 1).text, "");
  EXPECT_EQ(s.cell(0, 2).text, "本");
  EXPECT_EQ(s.cell(0, 4).text, "語");
  EXPECT_EQ(s.cell(0, 6).text, "x");
  EXPECT_EQ(s.cell(0, 6).width, 1);
  EXPECT_EQ(s.cursor().col, 7);
  EXPECT_EQ(row_text(s, 0), "日本語x");
}

TEST(TerminalSurface, Utf8SplitAcrossFeeds) {
  TerminalSurface s(5, 20);
  const std::string nichi = "日";
  s.feed(nichi.substr(0, 1));
  s.feed(nichi.substr(1));
  EXPECT_EQ(s.cell(0, 0).text, "日");
}

TEST(TerminalSurface, CombiningMarkJoinsItsBase) {
  TerminalSurface s(5, 20);
  s.feed("e\xCC\x81x");  // e + U+0301 COMBINING ACUTE ACCENT, then x
  EXPECT_EQ(s.cell(0, 0).text, "e\xCC\x81");
  EXPECT_EQ(s.cell(0, 1).text, "x");
  EXPECT_EQ(s.cursor().col, 2);
}

TEST(TerminalSurface, ScrollbackKeepsLinesPushedOffTheScreen) {
  TerminalSurface s(3, 10);
  for (int i = 0; i < 8; ++i) s.feed("line" + std::to_string(i) + "\r\n");
  // 8 lines and a final empty cursor line on a 3-row screen: 6 lines went up.
  ASSERT_EQ(s.scrollback_size(), 6u);
  EXPECT_EQ(line_text(s.scrollback_line(0)), "line0");
  EXPECT_EQ(line_text(s.scrollback_line(5)), "line5");
  EXPECT_EQ(row_text(s, 0), "line6");
  EXPECT_EQ(row_text(s, 2), "");
  // Trailing blanks are not stored.
  EXPECT_EQ(s.scrollback_line(0).size(), 5u);
  EXPECT_EQ(s.cell_at(0, 4).text, "0");
  EXPECT_EQ(s.text(TextRange{{4, 0}, {6, 9}}), "line4\nline5\nline6");
}

TEST(TerminalSurface, ScrollbackRespectsCapacity) {
  TerminalSurface s(2, 10, 4);
  EXPECT_EQ(s.scrollback_capacity(), 4u);
  for (int i = 0; i < 20; ++i) s.feed("l" + std::to_string(i) + "\r\n");
  ASSERT_EQ(s.scrollback_size(), 4u);
  // 19 lines were pushed; the four newest stay.
  EXPECT_EQ(line_text(s.scrollback_line(0)), "l15");
  EXPECT_EQ(line_text(s.scrollback_line(3)), "l18");
  EXPECT_EQ(s.scrollback_dropped(), 15u);
  s.set_scrollback_capacity(2);
  ASSERT_EQ(s.scrollback_size(), 2u);
  EXPECT_EQ(line_text(s.scrollback_line(0)), "l17");
}

TEST(TerminalSurface, DefaultScrollbackCapacityIsTenThousand) {
  TerminalSurface s(24, 80);
  EXPECT_EQ(s.scrollback_capacity(), 10'000u);
}

TEST(TerminalSurface, ResizeKeepsContentAndUsesScrollback) {
  TerminalSurface s(4, 10);
  s.feed("a\r\nb\r\nc\r\nd\r\ne");  // "a" goes to the scrollback
  ASSERT_EQ(s.scrollback_size(), 1u);
  s.resize(6, 20);
  EXPECT_EQ(s.rows(), 6);
  EXPECT_EQ(s.cols(), 20);
  // Growing pulls "a" back from the scrollback onto the screen.
  EXPECT_EQ(s.scrollback_size(), 0u);
  EXPECT_EQ(row_text(s, 0), "a");
  EXPECT_EQ(row_text(s, 4), "e");
  s.resize(3, 5);
  EXPECT_EQ(s.rows(), 3);
  EXPECT_EQ(row_text(s, 2), "e");
  EXPECT_EQ(s.scrollback_size(), 2u);
  const Damage d = s.take_damage();
  EXPECT_EQ(d.first_row, 0);
  EXPECT_EQ(d.end_row, 3);
}

TEST(TerminalSurface, PoppedLineKeepsWideGlyphsAndColours) {
  TerminalSurface s(2, 10);
  s.feed("\x1b[31m日本\x1b[0m\r\nx\r\ny");
  ASSERT_EQ(s.scrollback_size(), 1u);
  s.resize(3, 10);
  ASSERT_EQ(s.scrollback_size(), 0u);
  EXPECT_EQ(s.cell(0, 0).text, "日");
  EXPECT_EQ(s.cell(0, 0).width, 2);
  EXPECT_EQ(s.cell(0, 1).width, 0);
  EXPECT_EQ(s.cell(0, 2).text, "本");
  EXPECT_EQ(s.cell(0, 0).fg, (Rgb{224, 0, 0}));
  EXPECT_TRUE(s.cell(0, 5).fg_default);
}

TEST(TerminalSurface, DamageNamesChangedRowsOnly) {
  TerminalSurface s(10, 20);
  s.feed("\x1b[5;1H");
  (void)s.take_damage();
  s.feed("abc");
  const Damage d = s.take_damage();
  EXPECT_EQ(d.first_row, 4);
  EXPECT_EQ(d.end_row, 5);
  EXPECT_EQ(d.lines_scrolled, 0);
  EXPECT_TRUE(s.take_damage().empty());
}

TEST(TerminalSurface, TitleAndBellCallbacks) {
  TerminalSurface s(5, 20);
  std::string title;
  int bells = 0;
  s.on_title = [&](const std::string& t) { title = t; };
  s.on_bell = [&] { ++bells; };
  s.feed("\x1b]2;host01: ~\x07");
  s.feed("\x07\x07");
  EXPECT_EQ(title, "host01: ~");
  EXPECT_EQ(s.title(), "host01: ~");
  EXPECT_EQ(bells, 2);
}

TEST(TerminalSurface, AnswersDeviceStatusReport) {
  TerminalSurface s(5, 20);
  std::string out;
  s.on_output = [&](std::string_view b) { out += b; };
  s.feed("ab\x1b[6n");  // where is the cursor?
  EXPECT_EQ(out, "\x1b[1;3R");
  out.clear();
  s.feed("\x1b[c");  // primary device attributes
  EXPECT_FALSE(out.empty());
  EXPECT_EQ(out.rfind("\x1b[?", 0), 0u);
}

TEST(TerminalSurface, KeyboardEncodings) {
  TerminalSurface s(5, 20);
  std::string sent;
  s.on_output = [&](std::string_view b) { sent += b; };
  EXPECT_EQ(s.key(Key::enter), "\r");
  EXPECT_EQ(s.key(Key::up), "\x1b[A");
  EXPECT_EQ(s.key(Key::left), "\x1b[D");
  EXPECT_EQ(s.key(Key::backspace), "\x7f");
  EXPECT_EQ(s.key(Key::tab), "\t");
  EXPECT_EQ(s.key(Key::home), "\x1b[H");
  EXPECT_EQ(s.key(Key::page_up), "\x1b[5~");
  EXPECT_EQ(s.key(Key::function, mod_none, 1), "\x1bOP");
  EXPECT_EQ(s.key(Key::function, mod_none, 5), "\x1b[15~");
  EXPECT_EQ(s.text_input("c", mod_ctrl), "\x03");
  EXPECT_EQ(s.text_input("C", mod_ctrl), "\x03");
  EXPECT_EQ(s.text_input("j", mod_ctrl), "\n");
  EXPECT_EQ(s.text_input("b", mod_alt),
            "\x1b"
            "b");
  EXPECT_EQ(s.text_input("日本"), "日本");
  // Every encoded byte also reached the host callback.
  EXPECT_EQ(sent.substr(0, 4), "\r\x1b[A");
  EXPECT_NE(sent.find("\x03\x03\n\x1b"
                      "b日本"),
            std::string::npos);
  // Application cursor keys (DECCKM) change the arrow encoding.
  s.feed("\x1b[?1h");
  EXPECT_EQ(s.key(Key::up), "\x1bOA");
}

TEST(TerminalSurface, BracketedPasteOnlyAfterTheHostAskedForIt) {
  TerminalSurface s(5, 20);
  EXPECT_EQ(s.paste("ls\nid"), "ls\rid");
  s.feed("\x1b[?2004h");
  EXPECT_EQ(s.paste("ls\r\nid"), "\x1b[200~ls\rid\x1b[201~");
  // A pasted end marker cannot close the bracket early.
  EXPECT_EQ(s.paste("a\x1b[201~rm"), "\x1b[200~arm\x1b[201~");
  s.feed("\x1b[?2004l");
  EXPECT_EQ(s.paste("x"), "x");
}

TEST(TerminalSurface, AltScreenKeepsScrollbackAndRestoresPrimary) {
  TerminalSurface s(3, 10);
  s.feed("shell$ ");
  s.feed("\x1b[?1049h");
  EXPECT_TRUE(s.alt_screen());
  s.feed("\x1b[2J\x1b[Hvim");
  for (int i = 0; i < 5; ++i) s.feed("\r\n~");
  EXPECT_EQ(s.scrollback_size(), 0u);  // full-screen apps do not fill the scrollback
  s.feed("\x1b[?1049l");
  EXPECT_FALSE(s.alt_screen());
  EXPECT_EQ(row_text(s, 0), "shell$");
}

TEST(TerminalSurface, ResetClearsScreenAndScrollback) {
  TerminalSurface s(2, 10);
  s.feed("a\r\nb\r\nc\x1b]2;t\x07");
  ASSERT_GT(s.scrollback_size(), 0u);
  s.reset();
  EXPECT_EQ(s.scrollback_size(), 0u);
  EXPECT_EQ(s.cell(0, 0).text, "");
  EXPECT_EQ(s.title(), "");
  EXPECT_EQ(s.cursor().row, 0);
}

}  // namespace
}  // namespace cyrange::terminal
