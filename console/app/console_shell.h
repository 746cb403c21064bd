#pragma once

#include <memory>

#include <QObject>
#include <QPointer>
#include <QString>

#include <client-core/connection.h>
#include <client-core/localized_text.h>
#include <client-qt/session.h>

namespace cyrange::console {

class MainWindow;

/// The console's one window over a signed-in session, and the switch of language: a new
/// language is saved as the setting, installed, and a new window is built in it in place
/// of the old one, on the same server connection, at the same place and size, with the
/// same exercise open. Nothing asks the instructor to restart or sign in again.
class ConsoleShell : public QObject {
  Q_OBJECT

 public:
  /// Shows the window for `caller` in `language`; `session` must outlive the shell.
  ConsoleShell(qt::Session* session, client::Caller caller, client::Language language);
  ~ConsoleShell() override;

  /// The window shown now.
  MainWindow* window() const { return window_; }
  client::Language language() const { return language_; }

 public slots:
  /// Rebuilds the window in `language` (nothing happens when it is the current one).
  void switchLanguage(cyrange::client::Language language);

 signals:
  /// A new window replaced the old one.
  void windowReplaced(cyrange::console::MainWindow* window);

 private:
  MainWindow* build();

  qt::Session* session_;
  client::Caller caller_;
  client::Language language_;
  QPointer<MainWindow> window_;
};

}  // namespace cyrange::console
