#include <client-qt/terminal/asciicast.h>

#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>

#include <gtest/gtest.h>

#include <client-qt/terminal/terminal_surface.h>

namespace cyrange::terminal {
namespace {

const char* const kCast =
    R"({"version": 2, "width": 20, "height": 3, "timestamp": 1700000000, "title": "demo"})"
    "\n"
    R"([0.5, "o", "$ ls\r\n"])"
    "\n"
    R"([1.0, "o", "a.txt  b.txt\r\n"])"
    "\n"
    R"([1.5, "i", "clear\r"])"
    "\n"
    R"([2.0, "o", "\u001b[2J\u001b[H$ "])"
    "\n"
    R"([2.5, "m", "marker"])"
    "\n"
    R"([3.0, "r", "30x4"])"
    "\n"
    R"([3.5, "o", "\u001b[31m日本語\u001b[0m"])"
    "\n";

std::string row_text(const TerminalSurface& s, int row) {
  const int line = static_cast<int>(s.scrollback_size()) + row;
  return s.text(TextRange{{line, 0}, {line, s.cols() - 1}});
}

// Everything a viewer sees: every row's text and colour of the first cells.
std::string screen_dump(const TerminalSurface& s) {
  std::string out = std::to_string(s.rows()) + "x" + std::to_string(s.cols()) + "\n";
  for (int r = 0; r < s.rows(); ++r) {
    out += row_text(s, r) + "|";
    for (int c = 0; c < s.cols(); ++c) {
      const Cell cell = s.cell(r, c);
      if (!cell.fg_default) out += std::to_string(c) + ":" + std::to_string(cell.fg.r) + ",";
    }
    out += "\n";
  }
  out += "cursor " + std::to_string(s.cursor().row) + "," + std::to_string(s.cursor().col);
  return out;
}

TEST(Asciicast, ParsesHeaderAndEvents) {
  auto rec = parse_asciicast(kCast);
  ASSERT_TRUE(rec) << rec.error().message;
  EXPECT_EQ(rec->header.width, 20);
  EXPECT_EQ(rec->header.height, 3);
  EXPECT_EQ(rec->header.title, "demo");
  ASSERT_TRUE(rec->header.timestamp.has_value());
  ASSERT_EQ(rec->events.size(), 7u);
  EXPECT_EQ(rec->events[0].code, 'o');
  EXPECT_EQ(rec->events[0].data, "$ ls\r\n");
  EXPECT_EQ(rec->events[3].data, "\x1b[2J\x1b[H$ ");
  EXPECT_EQ(rec->events[5].code, 'r');
  EXPECT_DOUBLE_EQ(rec->duration(), 3.5);
}

struct BadCase {
  const char* name;  // test name suffix
  const char* text;
  const char* expected;  // substring of the error message
};

// Names the case in ctest's listing instead of dumping its bytes.
void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class AsciicastErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(AsciicastErrors, NameTheLine) {
  auto rec = parse_asciicast(GetParam().text, "team3.cast");
  ASSERT_FALSE(rec);
  EXPECT_NE(rec.error().message.find(GetParam().expected), std::string::npos)
      << rec.error().message;
  EXPECT_EQ(rec.error().message.rfind("team3.cast", 0), 0u) << rec.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, AsciicastErrors,
    ::testing::Values(
        BadCase{"Empty", "", "is empty"},
        BadCase{"Version1", "{\"version\": 1, \"width\": 80, \"height\": 24}\n",
                "line 1: only asciicast version 2"},
        BadCase{"MissingWidth", "{\"version\": 2, \"height\": 24}\n",
                "line 1: the header needs \"width\""},
        BadCase{"BrokenJson",
                "{\"version\": 2, \"width\": 80, \"height\": 24}\n[0.1, \"o\", \"a\"]\n[0.2, "
                "\"o\", \"b\"\n",
                "line 3: the line is not valid JSON"},
        BadCase{"ShortEvent", "{\"version\": 2, \"width\": 80, \"height\": 24}\n\n[0.1, \"o\"]\n",
                "line 3: an event must be [time, code, data]"},
        BadCase{"UnknownCode",
                "{\"version\": 2, \"width\": 80, \"height\": 24}\n[0.1, \"x\", \"a\"]\n",
                "line 2: unknown event code \"x\""},
        BadCase{"TimeGoesBack",
                "{\"version\": 2, \"width\": 80, \"height\": 24}\n[0.5, \"o\", \"a\"]\n[0.2, "
                "\"o\", \"b\"]\n",
                "line 3: the event time"},
        BadCase{"BadResize",
                "{\"version\": 2, \"width\": 80, \"height\": 24}\n[0.5, \"r\", \"80by24\"]\n",
                "line 2: a resize event needs \"COLSxROWS\""},
        BadCase{"NoHeader", "[0.5, \"o\", \"a\"]\n", "line 1: the header must be a JSON object"}),
    [](const ::testing::TestParamInfo<BadCase>& info) { return std::string(info.param.name); });

TEST(Asciicast, LoadNamesTheFile) {
  const auto dir = std::filesystem::temp_directory_path() / "cyrange_asciicast_test";
  std::filesystem::create_directories(dir);
  const auto path = dir / "broken.cast";
  {
    std::ofstream out(path);
    out << "{\"version\": 2, \"width\": 80, \"height\": 24}\n[1, \"o\", 5]\n";
  }
  auto rec = load_asciicast(path);
  ASSERT_FALSE(rec);
  EXPECT_NE(rec.error().message.find(path.string() + ", line 2:"), std::string::npos)
      << rec.error().message;
  auto missing = load_asciicast(dir / "missing.cast");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("missing.cast"), std::string::npos);
}

TEST(ReplayPlayer, SeekShowsTheScreenAtTimeT) {
  auto rec = parse_asciicast(kCast);
  ASSERT_TRUE(rec) << rec.error().message;
  TerminalSurface surface(10, 10);
  ReplayPlayer player(*rec, surface);
  EXPECT_EQ(surface.rows(), 3);  // the recording's size, not the surface's
  EXPECT_EQ(surface.cols(), 20);
  player.seek(1.2);
  EXPECT_EQ(row_text(surface, 0), "$ ls");
  EXPECT_EQ(row_text(surface, 1), "a.txt  b.txt");
  player.seek(2.0);
  EXPECT_EQ(row_text(surface, 0), "$");
  EXPECT_EQ(row_text(surface, 1), "");
  // Back in time: the screen is rebuilt from the start, not left as it was at 2.0.
  player.seek(0.7);
  EXPECT_EQ(row_text(surface, 0), "$ ls");
  EXPECT_EQ(row_text(surface, 1), "");
  player.seek(10);
  EXPECT_TRUE(player.at_end());
  EXPECT_EQ(surface.cols(), 30);
  EXPECT_EQ(surface.rows(), 4);
  EXPECT_EQ(row_text(surface, 0), "$ 日本語");
  EXPECT_EQ(surface.cell(0, 2).fg, (Rgb{224, 0, 0}));
}

TEST(ReplayPlayer, SeekEqualsPlayingUpToT) {
  auto rec = parse_asciicast(kCast);
  ASSERT_TRUE(rec) << rec.error().message;
  for (const double t : {0.0, 0.5, 1.0, 1.7, 2.2, 3.0, 3.5}) {
    // Played tick by tick from the start, as the console's timer does...
    TerminalSurface played(3, 20);
    ReplayPlayer player(*rec, played);
    for (double now = 0; now <= t + 1e-9; now += 0.1) player.advance_to(now);
    player.advance_to(t);
    // ...and jumped to directly after having been further ahead.
    TerminalSurface jumped(3, 20);
    ReplayPlayer seeker(*rec, jumped);
    seeker.seek(3.5);
    seeker.seek(t);
    EXPECT_EQ(screen_dump(jumped), screen_dump(played)) << "t=" << t;
  }
}

TEST(ReplayPlayer, AdvanceReportsTheNextEvent) {
  auto rec = parse_asciicast(kCast);
  ASSERT_TRUE(rec) << rec.error().message;
  TerminalSurface surface(3, 20);
  ReplayPlayer player(*rec, surface);
  ASSERT_TRUE(player.next_event_time().has_value());
  EXPECT_DOUBLE_EQ(*player.next_event_time(), 0.5);
  player.advance_to(1.0);
  EXPECT_DOUBLE_EQ(*player.next_event_time(), 1.5);
  EXPECT_DOUBLE_EQ(player.position(), 1.0);
  // advance_to never goes back.
  player.advance_to(0.2);
  EXPECT_DOUBLE_EQ(player.position(), 1.0);
  EXPECT_EQ(row_text(surface, 1), "a.txt  b.txt");
  player.advance_to(100);
  EXPECT_FALSE(player.next_event_time().has_value());
}

}  // namespace
}  // namespace cyrange::terminal
