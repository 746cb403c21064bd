#include <client-qt/terminal/terminal_view.h>

#include <algorithm>
#include <cmath>

#include <QFontDatabase>
#include <QFontInfo>
#include <QFontMetricsF>
#include <QPaintEvent>
#include <QPainter>
#include <QResizeEvent>
#include <QScrollBar>

namespace cyrange::qt {

namespace {

constexpr int kDefaultCols = 80;
constexpr int kDefaultRows = 24;

QColor to_qcolor(const terminal::Rgb& rgb) { return QColor(rgb.r, rgb.g, rgb.b); }

// The system's fixed font, or any monospace family fontconfig offers; proportional
// fonts would break the grid, so style hints ask for fixed pitch as the last resort.
QFont pick_monospace_font() {
  QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
  if (!QFontInfo(font).fixedPitch()) {
    font = QFont(QStringLiteral("monospace"));
    font.setStyleHint(QFont::Monospace, QFont::PreferAntialias);
    font.setFixedPitch(true);
  }
  font.setKerning(false);
  return font;
}

}  // namespace

TerminalView::TerminalView(QWidget* parent)
    : QAbstractScrollArea(parent),
      surface_(std::make_unique<terminal::TerminalSurface>(kDefaultRows, kDefaultCols)) {
  setFocusPolicy(Qt::StrongFocus);
  setAttribute(Qt::WA_InputMethodEnabled, true);
  // An appearing scrollbar would shrink the viewport and resize the host's terminal.
  setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
  setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  viewport()->setCursor(Qt::IBeamCursor);
  viewport()->setAutoFillBackground(false);
  viewport()->setAttribute(Qt::WA_OpaquePaintEvent, true);

  surface_->on_output = [this](std::string_view bytes) { sendBytes(std::string(bytes)); };
  surface_->on_title = [this](const std::string& title) {
    emit titleChanged(QString::fromStdString(title));
  };
  surface_->on_bell = [this] { emit bell(); };
  surface_->on_changed = [this] { onSurfaceChanged(); };
  seen_rows_ = surface_->rows();
  seen_cols_ = surface_->cols();
  setTerminalFont(pick_monospace_font());
}

TerminalView::~TerminalView() {
  // The surface may call back while it is destroyed; the view is half gone by then.
  surface_->on_output = nullptr;
  surface_->on_title = nullptr;
  surface_->on_bell = nullptr;
  surface_->on_changed = nullptr;
}

void TerminalView::setTerminalFont(const QFont& font) {
  font_ = font;
  bold_font_ = font;
  bold_font_.setBold(true);
  italic_font_ = font;
  italic_font_.setItalic(true);
  bold_italic_font_ = bold_font_;
  bold_italic_font_.setItalic(true);
  const QFontMetricsF metrics(font_);
  // Whole pixels per cell keep glyphs on a grid without seams between cell backgrounds.
  cell_size_ =
      QSize(std::max(1, static_cast<int>(std::ceil(metrics.horizontalAdvance(QLatin1Char('M'))))),
            std::max(1, static_cast<int>(std::ceil(metrics.height()))));
  ascent_ = static_cast<int>(std::ceil(metrics.ascent()));
  verticalScrollBar()->setSingleStep(1);
  updateGridFromGeometry();
  viewport()->update();
}

QSize TerminalView::sizeHint() const {
  const int frame = 2 * frameWidth();
  return QSize(kDefaultCols * cell_size_.width() + frame + verticalScrollBar()->sizeHint().width(),
               kDefaultRows * cell_size_.height() + frame);
}

void TerminalView::feed(const QByteArray& bytes) {
  surface_->feed(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())));
}

void TerminalView::setReadOnly(bool read_only) {
  read_only_ = read_only;
  // Without input there is nothing to compose; the platform input method stays away.
  setAttribute(Qt::WA_InputMethodEnabled, !read_only);
  if (read_only) preedit_.clear();
  // Back to interactive: the widget's size decides the grid again.
  updateGridFromGeometry();
  viewport()->update();
}

void TerminalView::clear() {
  selection_.reset();
  surface_->clear_scrollback();
}

void TerminalView::reset() {
  selection_.reset();
  preedit_.clear();
  surface_->reset();
}

void TerminalView::setBanner(const QString& text) {
  if (text == banner_) return;
  banner_ = text;
  viewport()->update();
}

void TerminalView::setGridSize(int cols, int rows) { surface_->resize(rows, cols); }

void TerminalView::sendBytes(const std::string& bytes) {
  if (read_only_ || bytes.empty()) return;
  emit input(QByteArray(bytes.data(), static_cast<qsizetype>(bytes.size())));
}

void TerminalView::scrollToBottom() {
  verticalScrollBar()->setValue(verticalScrollBar()->maximum());
}

int TerminalView::topLine() const { return verticalScrollBar()->value(); }

int TerminalView::visibleRows() const {
  return (viewport()->height() + cell_size_.height() - 1) / cell_size_.height();
}

void TerminalView::onSurfaceChanged() {
  const terminal::Damage damage = surface_->take_damage();
  const std::uint64_t dropped = surface_->scrollback_dropped() - seen_dropped_;
  seen_dropped_ = surface_->scrollback_dropped();
  // Selections are anchored to absolute lines, which move up as the full ring drops lines.
  if (selection_ && dropped > 0) {
    const int shift = static_cast<int>(std::min<std::uint64_t>(dropped, 1u << 30));
    selection_->begin.line -= shift;
    selection_->end.line -= shift;
    if (selection_->end.line < 0) selection_.reset();
  }
  const bool grid_changed = surface_->rows() != seen_rows_ || surface_->cols() != seen_cols_;
  seen_rows_ = surface_->rows();
  seen_cols_ = surface_->cols();

  QScrollBar* bar = verticalScrollBar();
  const bool at_bottom = bar->value() == bar->maximum();
  const int old_top = bar->value();
  {
    // scrollContentsBy repaints everything; the damage below decides what really needs it.
    const QSignalBlocker block(bar);
    updateScrollBar();
    if (at_bottom)
      bar->setValue(bar->maximum());
    else
      bar->setValue(std::max(0, old_top - static_cast<int>(dropped)));
  }
  if (grid_changed || damage.lines_scrolled > 0 || bar->value() != old_top || selection_) {
    viewport()->update();
    return;
  }
  if (damage.first_row >= damage.end_row) return;
  // Screen row r is absolute line scrollback_size() + r; only its viewport band repaints.
  const int first = static_cast<int>(surface_->scrollback_size()) + damage.first_row - topLine();
  const int end = static_cast<int>(surface_->scrollback_size()) + damage.end_row - topLine();
  const int top = std::max(first, 0);
  const int bottom = std::min(end, visibleRows());
  if (top >= bottom) return;
  viewport()->update(QRect(0, top * cell_size_.height(), viewport()->width(),
                           (bottom - top) * cell_size_.height()));
}

void TerminalView::updateScrollBar() {
  QScrollBar* bar = verticalScrollBar();
  bar->setRange(0, static_cast<int>(surface_->scrollback_size()));
  bar->setPageStep(surface_->rows());
}

void TerminalView::updateGridFromGeometry() {
  if (read_only_) return;  // the watched or replayed host decides the grid
  const int cols = std::max(1, viewport()->width() / cell_size_.width());
  const int rows = std::max(1, viewport()->height() / cell_size_.height());
  if (cols == surface_->cols() && rows == surface_->rows()) return;
  surface_->resize(rows, cols);
  emit sizeChanged(cols, rows);
}

void TerminalView::resizeEvent(QResizeEvent* event) {
  QAbstractScrollArea::resizeEvent(event);
  updateGridFromGeometry();
}

void TerminalView::scrollContentsBy(int, int) { viewport()->update(); }

void TerminalView::changeEvent(QEvent* event) {
  // Default colours come from the palette, so a theme switch (dark mode) repaints.
  if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
    viewport()->update();
  QAbstractScrollArea::changeEvent(event);
}

QColor TerminalView::defaultForeground() const { return palette().color(QPalette::Text); }

QColor TerminalView::defaultBackground() const { return palette().color(QPalette::Base); }

QRect TerminalView::cursorRect() const {
  const terminal::Cursor cursor = surface_->cursor();
  const int row = static_cast<int>(surface_->scrollback_size()) + cursor.row - topLine();
  const terminal::Cell cell = surface_->cell(cursor.row, cursor.col);
  const int width = cell.width == 2 ? 2 : 1;
  return QRect(cursor.col * cell_size_.width(), row * cell_size_.height(),
               width * cell_size_.width(), cell_size_.height());
}

bool TerminalView::isSelected(int line, int col) const {
  if (!selection_) return false;
  const terminal::Position p{line, col};
  return selection_->begin <= p && p <= selection_->end;
}

void TerminalView::paintEvent(QPaintEvent* event) {
  QPainter painter(viewport());
  const QRect area = event->rect();
  painter.fillRect(area, defaultBackground());
  const int first = std::max(0, area.top() / cell_size_.height());
  const int last = std::min(visibleRows() - 1, area.bottom() / cell_size_.height());
  const int top = topLine();
  for (int row = first; row <= last; ++row) {
    const int line = top + row;
    if (line >= surface_->total_lines()) break;
    paintRow(painter, row, line);
  }
  paintCursor(painter);
  paintPreedit(painter);
  paintBanner(painter);
}

void TerminalView::paintRow(QPainter& painter, int viewport_row, int line) const {
  const int y = viewport_row * cell_size_.height();
  const int cw = cell_size_.width();
  const QColor default_fg = defaultForeground();
  const QColor default_bg = defaultBackground();
  for (int col = 0; col < surface_->cols(); ++col) {
    const terminal::Cell cell = surface_->cell_at(line, col);
    if (cell.width == 0) continue;  // the wide glyph to the left painted this cell
    QColor fg = cell.fg_default ? default_fg : to_qcolor(cell.fg);
    QColor bg = cell.bg_default ? default_bg : to_qcolor(cell.bg);
    if (cell.reverse) std::swap(fg, bg);
    if (isSelected(line, col)) {
      fg = palette().color(QPalette::HighlightedText);
      bg = palette().color(QPalette::Highlight);
    }
    const QRect rect(col * cw, y, cell.width * cw, cell_size_.height());
    if (bg != default_bg) painter.fillRect(rect, bg);
    if (!cell.text.empty() && cell.text != " ") {
      const QString text = QString::fromStdString(cell.text);
      painter.setFont(cell.bold ? (cell.italic ? bold_italic_font_ : bold_font_)
                                : (cell.italic ? italic_font_ : font_));
      painter.setPen(fg);
      // Wide glyphs come from a fallback (CJK) font whose advance rarely equals two
      // cells exactly; centring keeps them inside their cells.
      qreal x = rect.x();
      if (cell.width == 2) {
        const qreal advance = QFontMetricsF(painter.font()).horizontalAdvance(text);
        x += std::max<qreal>(0, (rect.width() - advance) / 2);
      }
      painter.drawText(QPointF(x, y + ascent_), text);
    }
    if (cell.underline || cell.strike) {
      painter.setPen(fg);
      const int uy = cell.underline ? y + ascent_ + 1 : y + cell_size_.height() / 2;
      painter.drawLine(rect.left(), uy, rect.right(), uy);
    }
  }
}

void TerminalView::paintCursor(QPainter& painter) const {
  const terminal::Cursor cursor = surface_->cursor();
  if (!cursor.visible || !preedit_.isEmpty()) return;
  const QRect rect = cursorRect();
  if (!viewport()->rect().intersects(rect)) return;
  const terminal::Cell cell = surface_->cell(cursor.row, cursor.col);
  const QColor color = cell.fg_default ? defaultForeground() : to_qcolor(cell.fg);
  if (!focused_) {
    // An outline tells the user that keys go elsewhere.
    painter.setPen(color);
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(rect.adjusted(0, 0, -1, -1));
    return;
  }
  painter.fillRect(rect, color);
  if (!cell.text.empty()) {
    painter.setFont(cell.bold ? bold_font_ : font_);
    painter.setPen(cell.bg_default ? defaultBackground() : to_qcolor(cell.bg));
    painter.drawText(QPointF(rect.x(), rect.y() + ascent_), QString::fromStdString(cell.text));
  }
}

void TerminalView::paintPreedit(QPainter& painter) const {
  if (preedit_.isEmpty()) return;
  const QRect cursor = cursorRect();
  painter.setFont(font_);
  const QFontMetricsF metrics(font_);
  const int width = static_cast<int>(std::ceil(metrics.horizontalAdvance(preedit_)));
  // Whole cells, so the composition covers the characters it will replace.
  const int cells = std::max(1, (width + cell_size_.width() - 1) / cell_size_.width());
  const QRect rect(cursor.x(), cursor.y(), cells * cell_size_.width(), cell_size_.height());
  painter.fillRect(rect, defaultBackground());
  painter.setPen(defaultForeground());
  painter.drawText(QPointF(rect.x(), rect.y() + ascent_), preedit_);
  const int uy = rect.y() + ascent_ + 2;
  painter.drawLine(rect.left(), uy, rect.right(), uy);
}

void TerminalView::paintBanner(QPainter& painter) const {
  if (banner_.isEmpty()) return;
  QFont font = this->font();
  font.setBold(true);
  const QFontMetrics metrics(font);
  const QRect rect(0, 0, viewport()->width(), metrics.height() + 8);
  QColor background = palette().color(QPalette::ToolTipBase);
  background.setAlpha(230);
  painter.fillRect(rect, background);
  painter.setPen(palette().color(QPalette::ToolTipText));
  painter.setFont(font);
  painter.drawText(rect, Qt::AlignCenter, banner_);
}

}  // namespace cyrange::qt
