#pragma once

#include <QPointer>
#include <QWidget>

#include <client-core/range_client.h>

class QLabel;
class QTimer;

namespace cyrange::qt {
class Session;
class TerminalSession;
class TerminalView;
}  // namespace cyrange::qt

namespace cyrange::trainee {

/// One host of the team's range in a tab: the terminal widget joined to a terminal
/// session. A lost link shows a banner and reopens by itself with a growing pause
/// (1, 2, 4 … 15 s); the line above the terminal says whether the session is recorded.
class TerminalTab : public QWidget {
  Q_OBJECT

 public:
  TerminalTab(qt::Session* session, client::TerminalTarget target, QWidget* parent = nullptr);
  ~TerminalTab() override;

  /// The host this tab reaches.
  QString host() const;
  /// The terminal widget (tests type into it through its window).
  qt::TerminalView* view() const { return view_; }
  /// Opens the terminal now (the first time the tab is shown).
  void open();
  /// True between the server's confirmation and the end.
  bool isOpen() const;

 signals:
  /// The terminal opened (again).
  void opened();

 private:
  void on_lost(const Error& error);

  qt::TerminalSession* terminal_;
  qt::TerminalView* view_;
  QLabel* notice_;
  QTimer* retry_;
  int failures_ = 0;
  bool started_ = false;
};

}  // namespace cyrange::trainee
