#include <client-qt/terminal/terminal_view.h>

#include <cmath>
#include <memory>

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFontMetricsF>
#include <QInputMethodEvent>
#include <QPaintEvent>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>

#include <gtest/gtest.h>

#include <client-qt/terminal/asciicast.h>

namespace cyrange::qt {
namespace {

QString screenshot_path(const char* name) {
  QDir().mkpath(QStringLiteral(CYRANGE_SCREENSHOT_DIR));
  return QStringLiteral(CYRANGE_SCREENSHOT_DIR "/%1.png").arg(QLatin1String(name));
}

// Concatenation of every input() emission, as the host would read it.
QByteArray all_input(const QSignalSpy& spy) {
  QByteArray out;
  for (const auto& args : spy) out += args.at(0).toByteArray();
  return out;
}

// Records the regions the viewport repaints.
class PaintRecorder : public QObject {
 public:
  QRegion painted;
  bool eventFilter(QObject*, QEvent* event) override {
    if (event->type() == QEvent::Paint) painted += static_cast<QPaintEvent*>(event)->region();
    return false;
  }
};

class TerminalViewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    view = std::make_unique<TerminalView>();
    view->resize(720, 420);
    view->show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(view.get()));
    view->activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(view.get()));
    view->setFocus();
    ASSERT_TRUE(view->hasFocus());
    window = view->windowHandle();
    ASSERT_NE(window, nullptr);
  }

  // Window coordinates of the centre of a screen cell (the frame offsets the viewport).
  QPoint cell_point(int row, int col, double x_fraction = 0.5) const {
    const QSize cell = view->cellSize();
    const QPoint in_viewport(static_cast<int>((col + x_fraction) * cell.width()),
                             row * cell.height() + cell.height() / 2);
    return view->viewport()->mapTo(view.get(), in_viewport);
  }

  std::unique_ptr<TerminalView> view;
  QWindow* window = nullptr;
};

TEST_F(TerminalViewTest, ResizeComputesGridFromFontMetrics) {
  view->feed("keep me");
  QSignalSpy spy(view.get(), &TerminalView::sizeChanged);
  view->resize(500, 300);
  ASSERT_EQ(spy.count(), 1);
  const QFontMetricsF metrics(view->terminalFont());
  const int cw = static_cast<int>(std::ceil(metrics.horizontalAdvance(QLatin1Char('M'))));
  const int ch = static_cast<int>(std::ceil(metrics.height()));
  const int cols = view->viewport()->width() / cw;
  const int rows = view->viewport()->height() / ch;
  EXPECT_EQ(spy.at(0).at(0).toInt(), cols);
  EXPECT_EQ(spy.at(0).at(1).toInt(), rows);
  EXPECT_EQ(view->surface().cols(), cols);
  EXPECT_EQ(view->surface().rows(), rows);
  EXPECT_GT(cols, 20);
  EXPECT_EQ(view->surface().cell(0, 5).text, "m");
  view->resize(500, 300);  // same size: no signal
  EXPECT_EQ(spy.count(), 1);
}

TEST_F(TerminalViewTest, KeysThroughTheWindowBecomeBytes) {
  QSignalSpy spy(view.get(), &TerminalView::input);
  QTest::keyClick(window, Qt::Key_Up);
  QTest::keyClick(window, Qt::Key_C, Qt::ControlModifier);
  QTest::keyClick(window, Qt::Key_Return);
  QTest::keyClick(window, Qt::Key_Tab);
  QTest::keyClick(window, Qt::Key_Backspace);
  QTest::keyClick(window, Qt::Key_B, Qt::AltModifier);
  QTest::keyClick(window, Qt::Key_F1);
  QTest::keyClick(window, Qt::Key_Home);
  QTest::keyClick(window, Qt::Key_PageDown);
  QTest::keyClick(window, Qt::Key_L);
  QTest::keyClick(window, Qt::Key_S);
  EXPECT_EQ(all_input(spy), QByteArray("\x1b[A\x03\r\t\x7f\x1b"
                                       "b\x1bOP\x1b[H\x1b[6~ls"));
  EXPECT_TRUE(view->hasFocus());  // Tab went to the shell, not to focus navigation
}

TEST_F(TerminalViewTest, ReadOnlyEmitsNoInput) {
  QSignalSpy input(view.get(), &TerminalView::input);
  QSignalSpy size(view.get(), &TerminalView::sizeChanged);
  view->setReadOnly(true);
  QTest::keyClick(window, Qt::Key_A);
  QTest::keyClick(window, Qt::Key_C, Qt::ControlModifier);
  QTest::keyClick(window, Qt::Key_Return);
  view->pasteText(QStringLiteral("rm -rf /"));
  view->feed("\x1b[6n");  // a query the live terminal answers, not the watcher
  QInputMethodEvent commit;
  commit.setCommitString(QStringLiteral("日本語"));
  QCoreApplication::sendEvent(view.get(), &commit);
  view->resize(400, 200);
  EXPECT_EQ(input.count(), 0);
  EXPECT_EQ(size.count(), 0);
  EXPECT_FALSE(view->inputMethodQuery(Qt::ImEnabled).toBool());
  view->setReadOnly(false);
  QTest::keyClick(window, Qt::Key_A);
  EXPECT_EQ(all_input(input), QByteArray("a"));
}

TEST_F(TerminalViewTest, BracketedPasteOnlyAfterTheHostEnabledIt) {
  QSignalSpy spy(view.get(), &TerminalView::input);
  QApplication::clipboard()->setText(QStringLiteral("echo hi\nid"));
  QTest::keyClick(window, Qt::Key_V, Qt::ControlModifier | Qt::ShiftModifier);
  EXPECT_EQ(all_input(spy), QByteArray("echo hi\rid"));
  spy.clear();
  view->feed("\x1b[?2004h");
  QTest::keyClick(window, Qt::Key_V, Qt::ControlModifier | Qt::ShiftModifier);
  EXPECT_EQ(all_input(spy), QByteArray("\x1b[200~echo hi\rid\x1b[201~"));
  spy.clear();
  // Middle click pastes too (primary selection where the platform has one).
  QClipboard* clipboard = QApplication::clipboard();
  const auto mode = clipboard->supportsSelection() ? QClipboard::Selection : QClipboard::Clipboard;
  clipboard->setText(QStringLiteral("whoami"), mode);
  QTest::mouseClick(window, Qt::MiddleButton, Qt::NoModifier, cell_point(2, 2));
  EXPECT_EQ(all_input(spy), QByteArray("\x1b[200~whoami\x1b[201~"));
}

TEST_F(TerminalViewTest, InputMethodPreeditAndCommit) {
  view->feed("$ ");
  ASSERT_EQ(QApplication::focusObject(), view.get());
  EXPECT_TRUE(view->testAttribute(Qt::WA_InputMethodEnabled));
  QSignalSpy spy(view.get(), &TerminalView::input);

  QInputMethodEvent preedit(QStringLiteral("にほんご"), {});
  QCoreApplication::sendEvent(QApplication::focusObject(), &preedit);
  EXPECT_TRUE(preedit.isAccepted());
  EXPECT_EQ(view->preeditString(), QStringLiteral("にほんご"));
  EXPECT_EQ(spy.count(), 0);  // composing sends nothing
  const QRect rect = view->inputMethodQuery(Qt::ImCursorRectangle).toRect();
  const QSize cell = view->cellSize();
  const QPoint origin = view->viewport()->pos();
  EXPECT_EQ(rect, QRect(origin.x() + 2 * cell.width(), origin.y(), cell.width(), cell.height()));
  view->grab().save(screenshot_path("terminal_preedit"));

  QInputMethodEvent commit;
  commit.setCommitString(QStringLiteral("日本語"));
  QCoreApplication::sendEvent(QApplication::focusObject(), &commit);
  ASSERT_EQ(spy.count(), 1);  // one commit, one message to the host
  EXPECT_EQ(spy.at(0).at(0).toByteArray(), QByteArray("日本語"));
  EXPECT_TRUE(view->preeditString().isEmpty());

  // Empty events (focus changes of some input methods) are ignored.
  QInputMethodEvent empty;
  QCoreApplication::sendEvent(QApplication::focusObject(), &empty);
  EXPECT_FALSE(empty.isAccepted());
  EXPECT_EQ(spy.count(), 1);
}

TEST_F(TerminalViewTest, MouseSelectionAndCopy) {
  view->feed("first line\r\nsecond line");
  QTest::mousePress(window, Qt::LeftButton, Qt::NoModifier, cell_point(0, 6, 0.1));
  QTest::mouseMove(window, cell_point(1, 3, 0.3));
  QTest::mouseMove(window, cell_point(1, 6, 0.2));
  QTest::mouseRelease(window, Qt::LeftButton, Qt::NoModifier, cell_point(1, 6, 0.2));
  ASSERT_TRUE(view->hasSelection());
  EXPECT_EQ(view->selectedText(), QStringLiteral("line\nsecond"));
  view->grab().save(screenshot_path("terminal_selection"));
  QTest::keyClick(window, Qt::Key_C, Qt::ControlModifier | Qt::ShiftModifier);
  EXPECT_EQ(QApplication::clipboard()->text(), QStringLiteral("line\nsecond"));
}

TEST_F(TerminalViewTest, RepaintsOnlyDamagedRows) {
  view->feed("\x1b[5;1H");
  QCoreApplication::processEvents();
  PaintRecorder recorder;
  view->viewport()->installEventFilter(&recorder);
  view->feed("changed");
  QTRY_VERIFY(!recorder.painted.isEmpty());
  const int ch = view->cellSize().height();
  EXPECT_EQ(recorder.painted.boundingRect().top(), 4 * ch);
  EXPECT_EQ(recorder.painted.boundingRect().height(), ch);
  view->viewport()->removeEventFilter(&recorder);
}

TEST_F(TerminalViewTest, ScrollbarCoversScrollbackAndStaysWhereTheUserIs) {
  for (int i = 0; i < 100; ++i) view->feed(QByteArray("line ") + QByteArray::number(i) + "\r\n");
  QScrollBar* bar = view->verticalScrollBar();
  const int sb = static_cast<int>(view->surface().scrollback_size());
  EXPECT_EQ(sb, 101 - view->surface().rows());
  EXPECT_EQ(bar->maximum(), sb);
  EXPECT_EQ(bar->value(), sb);  // follows the output
  QTest::keyClick(window, Qt::Key_PageUp, Qt::ShiftModifier);
  EXPECT_EQ(bar->value(), sb - view->surface().rows());
  const int held = bar->value();
  view->feed("more\r\n");
  EXPECT_EQ(bar->value(), held);  // reading history is not interrupted
  QTest::keyClick(window, Qt::Key_A);
  EXPECT_EQ(bar->value(), bar->maximum());  // typing returns to the live screen
}

TEST_F(TerminalViewTest, ClearDropsScrollbackAndResetClearsTheScreen) {
  for (int i = 0; i < 60; ++i) view->feed("x\r\n");
  view->feed("\x1b[?2004hprompt$ ");
  ASSERT_GT(view->surface().scrollback_size(), 0u);
  view->setSelection({0, 0}, {2, 0});
  view->clear();
  EXPECT_EQ(view->surface().scrollback_size(), 0u);
  EXPECT_EQ(view->verticalScrollBar()->maximum(), 0);
  EXPECT_FALSE(view->hasSelection());
  const int last = view->surface().rows() - 1;
  EXPECT_EQ(view->surface().cell(last, 0).text, "p");  // the host's screen stays
  view->reset();
  EXPECT_EQ(view->surface().cell(last, 0).text, "");
  QSignalSpy spy(view.get(), &TerminalView::input);
  view->pasteText(QStringLiteral("a"));
  EXPECT_EQ(all_input(spy), QByteArray("a"));  // reset also ended bracketed paste mode
}

TEST_F(TerminalViewTest, TitleAndBannerAndDefaultColours) {
  QSignalSpy title(view.get(), &TerminalView::titleChanged);
  view->feed("\x1b]0;root@web01\x07");
  ASSERT_EQ(title.count(), 1);
  EXPECT_EQ(title.at(0).at(0).toString(), QStringLiteral("root@web01"));

  // A dark palette: blank cells take Base, default text takes Text.
  QPalette dark = view->palette();
  dark.setColor(QPalette::Base, QColor(20, 22, 30));
  dark.setColor(QPalette::Text, QColor(230, 230, 230));
  view->setPalette(dark);
  view->feed("\x1b[2;1H\x1b[41m   \x1b[0m");
  const QImage image = view->viewport()->grab().toImage();
  const QSize cell = view->cellSize();
  EXPECT_EQ(image.pixelColor(cell.width() * 30, cell.height() * 5), QColor(20, 22, 30));
  EXPECT_EQ(image.pixelColor(cell.width() * 1 + 1, cell.height() * 1 + cell.height() / 2),
            QColor(224, 0, 0));
  view->setBanner(QObject::tr("Connection lost — reconnecting…"));
  EXPECT_EQ(view->banner(), QObject::tr("Connection lost — reconnecting…"));
  view->grab().save(screenshot_path("terminal_banner_dark"));
  view->setBanner(QString());
  EXPECT_TRUE(view->banner().isEmpty());
}

TEST_F(TerminalViewTest, ScreenshotColoursAndCjk) {
  view->feed(
      "\x1b[1mbold\x1b[0m \x1b[4munderline\x1b[0m \x1b[3mitalic\x1b[0m \x1b[7mreverse\x1b[0m\r\n");
  for (int i = 0; i < 16; ++i) view->feed(QByteArray("\x1b[48;5;") + QByteArray::number(i) + "m  ");
  view->feed("\x1b[0m\r\n");
  for (int i = 0; i < 8; ++i)
    view->feed(QByteArray("\x1b[3") + QByteArray::number(i) + "mcolour" + QByteArray::number(i) +
               " ");
  view->feed("\x1b[0m\r\n");
  for (int i = 0; i < 48; ++i)
    view->feed(QByteArray("\x1b[48;2;") + QByteArray::number(i * 5) + ";" +
               QByteArray::number(100) + ";" + QByteArray::number(255 - i * 5) + "m ");
  view->feed("\x1b[0m\r\n");
  view->feed("日本語テスト 幅2|\r\n0123456789abcdef|\r\n");
  view->feed("\x1b[32muser@host\x1b[0m:\x1b[34m~\x1b[0m$ ");
  // The CJK line: 7 wide glyphs, so '|' sits in column 16 as on the ASCII line below.
  const int cjk_row = 4;
  EXPECT_EQ(view->surface().cell(cjk_row, 16).text, "|");
  EXPECT_EQ(view->surface().cell(cjk_row + 1, 16).text, "|");
  EXPECT_EQ(view->surface().cell(cjk_row, 13).text, "幅");
  EXPECT_EQ(view->surface().cell(cjk_row, 13).width, 2);
  // The wide glyph is drawn over two cells: ink reaches the second cell.
  const QImage image = view->viewport()->grab().toImage();
  const QSize cell = view->cellSize();
  const QColor background = view->palette().color(QPalette::Base);
  auto ink_in = [&](int row, int col) {
    for (int y = row * cell.height(); y < (row + 1) * cell.height(); ++y)
      for (int x = col * cell.width(); x < (col + 1) * cell.width(); ++x)
        if (image.pixelColor(x, y) != background) return true;
    return false;
  };
  EXPECT_TRUE(ink_in(cjk_row, 0));
  EXPECT_TRUE(ink_in(cjk_row, 1));
  EXPECT_FALSE(ink_in(cjk_row, 12));  // the space between テスト and 幅
  ASSERT_TRUE(view->grab().save(screenshot_path("terminal_colours_cjk")));
  // A 4x enlargement of the top-left corner, to inspect glyph placement by eye.
  const QImage zoom = image.copy(0, 0, 24 * cell.width(), 7 * cell.height());
  ASSERT_TRUE(zoom.scaled(zoom.size() * 4).save(screenshot_path("terminal_colours_cjk_zoom")));
}

TEST_F(TerminalViewTest, ReplayOnAReadOnlyViewUsesTheRecordingsGrid) {
  auto rec = terminal::parse_asciicast(
      "{\"version\": 2, \"width\": 40, \"height\": 10}\n"
      "[0.1, \"o\", \"\\u001b[33mreplayed\\u001b[0m\\r\\n\"]\n"
      "[0.9, \"o\", \"later\"]\n");
  ASSERT_TRUE(rec) << rec.error().message;
  QSignalSpy input(view.get(), &TerminalView::input);
  view->setReadOnly(true);
  terminal::ReplayPlayer player(*rec, view->surface());
  player.seek(0.5);
  EXPECT_EQ(view->surface().cols(), 40);
  EXPECT_EQ(view->surface().rows(), 10);
  EXPECT_EQ(view->surface().cell(0, 0).text, "r");
  EXPECT_EQ(view->surface().cell(1, 0).text, "");
  view->resize(300, 200);  // the widget's size does not change a recorded grid
  EXPECT_EQ(view->surface().cols(), 40);
  player.advance_to(1.0);
  EXPECT_EQ(view->surface().cell(1, 0).text, "l");
  EXPECT_EQ(input.count(), 0);
}

}  // namespace
}  // namespace cyrange::qt
