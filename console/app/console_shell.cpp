#include <console/app/console_shell.h>

#include <utility>

#include <QSettings>

#include <client-qt/translations.h>
#include <console/app/main_window.h>

namespace cyrange::console {

ConsoleShell::ConsoleShell(qt::Session* session, client::Caller caller, client::Language language)
    : session_(session), caller_(std::move(caller)), language_(language) {
  window_ = build();
  window_->show();
}

ConsoleShell::~ConsoleShell() { delete window_.data(); }

MainWindow* ConsoleShell::build() {
  auto* window = new MainWindow(session_, caller_, language_);
  window->setAttribute(Qt::WA_DeleteOnClose);
  // The old window goes with deleteLater(), so switching from its own menu is safe.
  connect(window, &MainWindow::languageChosen, this, &ConsoleShell::switchLanguage);
  return window;
}

void ConsoleShell::switchLanguage(client::Language language) {
  if (language == language_ || window_ == nullptr) return;
  language_ = language;
  QSettings().setValue(QStringLiteral("language"), language == client::Language::ja
                                                       ? QStringLiteral("ja")
                                                       : QStringLiteral("en"));
  qt::install_translations(QStringLiteral("cyrange_console"), language);
  MainWindow* old = window_;
  const QString exercise = old->exercise();
  MainWindow* fresh = build();
  fresh->setGeometry(old->geometry());
  fresh->restoreState(old->saveState());
  window_ = fresh;
  fresh->show();
  if (!exercise.isEmpty()) fresh->openExercise(exercise);
  old->hide();
  old->deleteLater();
  emit windowReplaced(fresh);
}

}  // namespace cyrange::console
