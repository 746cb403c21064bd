#pragma once

#include <memory>
#include <optional>

#include <QAbstractScrollArea>
#include <QByteArray>
#include <QFont>
#include <QString>

#include <client-qt/terminal/terminal_surface.h>

namespace cyrange::qt {

/// A terminal widget: paints a TerminalSurface and turns keys, paste and input-method
/// commits into bytes for the host.
///
/// Interactive use connects input() to the host's stdin and feed() to its output;
/// replay and live watch call setReadOnly(true), which silences input() and sizeChanged()
/// and leaves the grid size to the host (setGridSize or a ReplayPlayer on surface()).
class TerminalView : public QAbstractScrollArea {
  Q_OBJECT

 public:
  /// Creates an 80x24 terminal with the system's fixed-pitch font.
  explicit TerminalView(QWidget* parent = nullptr);
  /// Detaches the surface's callbacks before the widget goes away.
  ~TerminalView() override;

  /// The Qt-free terminal behind the view, e.g. for a ReplayPlayer.
  terminal::TerminalSurface& surface() { return *surface_; }
  /// Read-only access to the terminal behind the view.
  const terminal::TerminalSurface& surface() const { return *surface_; }

  /// True when the view sends no input (replay, watch).
  bool isReadOnly() const { return read_only_; }
  /// The status line shown over the terminal; empty when hidden.
  QString banner() const { return banner_; }
  /// Pixel size of one character cell, from the font metrics.
  QSize cellSize() const { return cell_size_; }
  /// Sets the terminal font; cells are measured from it and the grid recomputed.
  void setTerminalFont(const QFont& font);
  /// The font the cells are painted with.
  QFont terminalFont() const { return font_; }

  /// True when the user selected some text.
  bool hasSelection() const { return selection_.has_value(); }
  /// The selected text (empty without a selection).
  QString selectedText() const;
  /// Selects from `begin` to `end` (absolute lines, inclusive), e.g. for tests or "select all".
  void setSelection(terminal::Position begin, terminal::Position end);
  /// The input method's composition text being shown at the cursor.
  QString preeditString() const { return preedit_; }
  /// Viewport rectangle of the cursor cell (in viewport coordinates).
  QRect cursorRect() const;

  /// Answers the input method (cursor rectangle, font, hints).
  QVariant inputMethodQuery(Qt::InputMethodQuery query) const override;
  /// 80x24 cells plus frame and scrollbar.
  QSize sizeHint() const override;

 public slots:
  /// Output of the host to interpret and show.
  void feed(const QByteArray& bytes);
  /// Disables (true) or enables input; a read-only view never emits input() or sizeChanged().
  void setReadOnly(bool read_only);
  /// Drops the scrollback and the selection; the screen stays, since the host owns it.
  void clear();
  /// Hard reset of the terminal (RIS) and empty scrollback, e.g. on reconnect.
  void reset();
  /// Shows a status line over the terminal (e.g. "connection lost"); empty hides it.
  void setBanner(const QString& text);
  /// Sets the grid size explicitly, e.g. to the watched terminal's size in read-only mode.
  void setGridSize(int cols, int rows);
  /// Copies the selection to the clipboard.
  void copy();
  /// Pastes the clipboard, bracketed if the host asked for it.
  void paste();
  /// Sends `text` as a paste, bracketed if the host asked for it.
  void pasteText(const QString& text);

 signals:
  /// Bytes the host should receive (keys, paste, input-method commits, query answers).
  void input(const QByteArray& bytes);
  /// The grid changed to `cols` x `rows` because the widget was resized.
  void sizeChanged(int cols, int rows);
  /// The host set the window title (OSC 0/2).
  void titleChanged(const QString& title);
  /// The host rang the bell.
  void bell();

 protected:
  bool event(QEvent* event) override;
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void scrollContentsBy(int dx, int dy) override;
  void keyPressEvent(QKeyEvent* event) override;
  void inputMethodEvent(QInputMethodEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void focusInEvent(QFocusEvent* event) override;
  void focusOutEvent(QFocusEvent* event) override;
  void changeEvent(QEvent* event) override;
  void contextMenuEvent(QContextMenuEvent* event) override;

 private:
  void onSurfaceChanged();
  void updateScrollBar();
  void updateGridFromGeometry();
  void sendBytes(const std::string& bytes);
  void scrollToBottom();
  int topLine() const;
  int visibleRows() const;
  terminal::Position positionAt(const QPoint& viewport_pos) const;
  bool isSelected(int line, int col) const;
  void paintRow(QPainter& painter, int viewport_row, int line) const;
  void paintCursor(QPainter& painter) const;
  void paintPreedit(QPainter& painter) const;
  void paintBanner(QPainter& painter) const;
  QColor defaultForeground() const;
  QColor defaultBackground() const;

  std::unique_ptr<terminal::TerminalSurface> surface_;
  QFont font_;
  QFont bold_font_;
  QFont italic_font_;
  QFont bold_italic_font_;
  QSize cell_size_;
  int ascent_ = 0;
  bool read_only_ = false;
  bool focused_ = false;
  QString banner_;
  QString preedit_;
  std::optional<terminal::TextRange> selection_;
  bool selecting_ = false;
  terminal::Position anchor_;
  std::uint64_t seen_dropped_ = 0;
  int seen_rows_ = 0;
  int seen_cols_ = 0;
};

}  // namespace cyrange::qt
