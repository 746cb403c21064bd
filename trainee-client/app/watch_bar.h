#pragma once

#include <vector>

#include <QFrame>
#include <QString>

#include <client-core/terminal_watches.h>

class QVBoxLayout;

namespace cyrange::qt {
class Session;
class WatchAdapter;
}  // namespace cyrange::qt

namespace cyrange::trainee {

/// The bar above the trainee's day that says when an instructor asks to watch the team's
/// terminals live, and while anyone is watching. Nothing is shown to an instructor until a
/// trainee of the team chooses Allow; Stop ends a watch at any time. Hidden while there is
/// nothing to say.
class WatchBar : public QFrame {
  Q_OBJECT

 public:
  /// Follows the requests of the caller's team in `exercise` through `session`.
  WatchBar(qt::Session* session, const QString& exercise, QWidget* parent = nullptr);
  ~WatchBar() override;

  /// The requests shown now (asked or accepted).
  const std::vector<client::TerminalWatchView>& requests() const { return open_; }
  /// True while an instructor watches the team.
  bool watched() const;

 public slots:
  /// What the buttons do, for request `id`.
  void allow(qint64 id);
  void decline(qint64 id);
  void stop(qint64 id);

 signals:
  /// The requests changed (after the rows were rebuilt).
  void changed();
  /// A step failed, in a sentence for the status bar.
  void problem(const QString& message);

 private:
  void show_requests(const client::TerminalWatchesView& watches);

  qt::WatchAdapter* api_;
  QVBoxLayout* rows_;
  std::vector<client::TerminalWatchView> open_;
};

}  // namespace cyrange::trainee
