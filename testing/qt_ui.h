#pragma once

// What GUI tests do again and again: wait for a condition while the event loop runs,
// click a button through its window (the path real input takes), save a screenshot.
#include <chrono>

#include <QAbstractButton>
#include <QApplication>
#include <QDir>
#include <QString>
#include <QTest>
#include <QTimer>
#include <QWidget>

namespace cyrange::testing {

/// Processes events until `done()` holds or `budget` passes; the last value of `done()`.
template <class Pred>
bool eventually(Pred done, std::chrono::milliseconds budget = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + budget;
  while (!done() && std::chrono::steady_clock::now() < deadline) QTest::qWait(20);
  return done();
}

/// Clicks `button` with the left mouse button through its window's event handling.
inline void click(QAbstractButton* button) {
  QWidget* window = button->window();
  QTest::mouseClick(window->windowHandle(), Qt::LeftButton, {},
                    button->mapTo(window, button->rect().center()));
}

/// The first button under `root` showing `text`, or nullptr.
inline QAbstractButton* button_with_text(QWidget* root, const QString& text) {
  for (auto* b : root->findChildren<QAbstractButton*>())
    if (b->text() == text) return b;
  return nullptr;
}

/// Calls `fill` with the next modal dialog of type T once it is shown: a dialog's exec()
/// blocks the test, so the test arranges beforehand what to do in it.
template <class T, class Fill>
void when_modal_opens(Fill fill) {
  auto* poll = new QTimer(qApp);
  QObject::connect(poll, &QTimer::timeout, poll, [poll, fill] {
    auto* dialog = qobject_cast<T*>(QApplication::activeModalWidget());
    if (!dialog || !dialog->windowHandle() || !dialog->isVisible()) return;
    poll->stop();
    poll->deleteLater();
    fill(dialog);
  });
  poll->start(50);
}

/// Saves `widget` as `dir`/`name` (PNG), creating the folder.
inline void screenshot(QWidget* widget, const QString& dir, const QString& name) {
  QDir().mkpath(dir);
  widget->grab().save(dir + QLatin1Char('/') + name);
}

}  // namespace cyrange::testing
