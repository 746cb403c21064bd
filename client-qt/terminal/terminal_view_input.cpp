// Input side of TerminalView: keys, input method, mouse selection and clipboard.
#include <client-qt/terminal/terminal_view.h>

#include <algorithm>

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QMenu>
#include <QInputMethodEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QScrollBar>

#include <client-qt/terminal/key_mapping.h>

namespace cyrange::qt {

bool TerminalView::event(QEvent* event) {
  if (event->type() == QEvent::KeyPress && !read_only_) {
    // Tab and Backtab belong to the shell, not to focus navigation between widgets.
    auto* key = static_cast<QKeyEvent*>(event);
    if (key->key() == Qt::Key_Tab || key->key() == Qt::Key_Backtab) {
      keyPressEvent(key);
      return true;
    }
  } else if (event->type() == QEvent::ShortcutOverride && !read_only_) {
    // Ctrl/Alt combinations go to the host (Ctrl+C, Ctrl+W, Alt+B), not to window shortcuts.
    auto* key = static_cast<QKeyEvent*>(event);
    if (key->modifiers() & (Qt::ControlModifier | Qt::AltModifier)) {
      event->accept();
      return true;
    }
  }
  return QAbstractScrollArea::event(event);
}

void TerminalView::keyPressEvent(QKeyEvent* event) {
  const auto action = map_key_event(*event);
  if (!action) {
    QAbstractScrollArea::keyPressEvent(event);
    return;
  }
  using Kind = TerminalKeyAction::Kind;
  QScrollBar* bar = verticalScrollBar();
  switch (action->kind) {
    case Kind::copy:
      copy();
      break;
    case Kind::paste:
      paste();
      break;
    case Kind::scroll_page_up:
      bar->setValue(bar->value() - bar->pageStep());
      break;
    case Kind::scroll_page_down:
      bar->setValue(bar->value() + bar->pageStep());
      break;
    case Kind::special_key:
    case Kind::text:
      if (read_only_) {
        event->ignore();
        return;
      }
      // Typing returns to the live screen, as in every terminal emulator.
      scrollToBottom();
      if (action->kind == Kind::special_key)
        (void)surface_->key(action->key, action->modifiers, action->function_number);
      else
        (void)surface_->text_input(action->text, action->modifiers);
      break;
  }
  event->accept();
}

void TerminalView::inputMethodEvent(QInputMethodEvent* event) {
  const QString commit = event->commitString();
  const QString preedit = event->preeditString();
  // Some input methods send empty events on focus changes; they must not touch the state.
  if (read_only_ || (commit.isEmpty() && preedit.isEmpty() && preedit_.isEmpty())) {
    event->ignore();
    return;
  }
  if (!commit.isEmpty()) {
    scrollToBottom();
    (void)surface_->text_input(commit.toStdString());
  }
  preedit_ = preedit;
  viewport()->update();
  event->accept();
}

QVariant TerminalView::inputMethodQuery(Qt::InputMethodQuery query) const {
  switch (query) {
    case Qt::ImEnabled:
      return !read_only_;
    case Qt::ImCursorRectangle:
      // In widget coordinates: the frame puts the viewport at an offset.
      return cursorRect().translated(viewport()->pos());
    case Qt::ImFont:
      return font_;
    case Qt::ImCursorPosition:
      return static_cast<int>(preedit_.size());
    case Qt::ImSurroundingText:
      return QString();
    case Qt::ImCurrentSelection:
      return selectedText();
    case Qt::ImHints:
      // A shell needs exactly what was typed: no capitalisation or word prediction.
      return static_cast<int>(Qt::ImhNoAutoUppercase | Qt::ImhNoPredictiveText |
                              Qt::ImhPreferLatin);
    default:
      return QAbstractScrollArea::inputMethodQuery(query);
  }
}

terminal::Position TerminalView::positionAt(const QPoint& pos) const {
  const int row = std::max(0, pos.y()) / cell_size_.height();
  // Past the middle of a cell the selection includes it, as in text editors.
  const int col =
      std::clamp((pos.x() + cell_size_.width() / 2) / cell_size_.width(), 0, surface_->cols());
  const int line = std::min(topLine() + row, surface_->total_lines() - 1);
  return terminal::Position{line, col};
}

void TerminalView::setSelection(terminal::Position begin, terminal::Position end) {
  if (end < begin) std::swap(begin, end);
  selection_ = terminal::TextRange{begin, end};
  viewport()->update();
}

QString TerminalView::selectedText() const {
  if (!selection_) return QString();
  return QString::fromStdString(surface_->text(*selection_));
}

void TerminalView::mousePressEvent(QMouseEvent* event) {
  if (event->button() == Qt::LeftButton) {
    anchor_ = positionAt(event->position().toPoint());
    selecting_ = true;
    if (selection_) {
      selection_.reset();
      viewport()->update();
    }
    event->accept();
    return;
  }
  if (event->button() == Qt::MiddleButton && !read_only_) {
    // X11 convention: the middle button pastes the primary selection.
    const QClipboard* clipboard = QApplication::clipboard();
    const auto mode =
        clipboard->supportsSelection() ? QClipboard::Selection : QClipboard::Clipboard;
    pasteText(clipboard->text(mode));
    event->accept();
    return;
  }
  QAbstractScrollArea::mousePressEvent(event);
}

void TerminalView::mouseMoveEvent(QMouseEvent* event) {
  if (!selecting_ || !(event->buttons() & Qt::LeftButton)) {
    QAbstractScrollArea::mouseMoveEvent(event);
    return;
  }
  const terminal::Position here = positionAt(event->position().toPoint());
  if (here == anchor_) {
    selection_.reset();
  } else {
    // Cells are selected up to, not including, the cell boundary under the pointer.
    terminal::Position begin = std::min(anchor_, here);
    terminal::Position end = std::max(anchor_, here);
    end.col -= 1;
    if (end.col < 0 && end.line > begin.line) {
      end.line -= 1;
      end.col = surface_->cols() - 1;
    }
    if (end < begin)
      selection_.reset();
    else
      selection_ = terminal::TextRange{begin, end};
  }
  viewport()->update();
  event->accept();
}

void TerminalView::mouseReleaseEvent(QMouseEvent* event) {
  if (event->button() == Qt::LeftButton && selecting_) {
    selecting_ = false;
    QClipboard* clipboard = QApplication::clipboard();
    if (selection_ && clipboard->supportsSelection())
      clipboard->setText(selectedText(), QClipboard::Selection);
    event->accept();
    return;
  }
  QAbstractScrollArea::mouseReleaseEvent(event);
}

void TerminalView::contextMenuEvent(QContextMenuEvent* event) {
  QMenu menu(this);
  QAction* copy_action = menu.addAction(tr("&Copy"), this, &TerminalView::copy);
  copy_action->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
  copy_action->setEnabled(hasSelection());
  QAction* paste_action = menu.addAction(tr("&Paste"), this, &TerminalView::paste);
  paste_action->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_V));
  paste_action->setEnabled(!read_only_);
  menu.addSeparator();
  menu.addAction(tr("C&lear Scrollback"), this, &TerminalView::clear);
  menu.exec(event->globalPos());
}

void TerminalView::copy() {
  if (!selection_) return;
  QApplication::clipboard()->setText(selectedText(), QClipboard::Clipboard);
}

void TerminalView::paste() { pasteText(QApplication::clipboard()->text(QClipboard::Clipboard)); }

void TerminalView::pasteText(const QString& text) {
  if (read_only_ || text.isEmpty()) return;
  scrollToBottom();
  (void)surface_->paste(text.toStdString());
}

void TerminalView::focusInEvent(QFocusEvent* event) {
  focused_ = true;
  if (!read_only_) surface_->focus(true);
  viewport()->update(cursorRect());
  QAbstractScrollArea::focusInEvent(event);
}

void TerminalView::focusOutEvent(QFocusEvent* event) {
  focused_ = false;
  if (!read_only_) surface_->focus(false);
  viewport()->update(cursorRect());
  QAbstractScrollArea::focusOutEvent(event);
}

}  // namespace cyrange::qt
