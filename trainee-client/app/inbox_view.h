#pragma once

#include <vector>

#include <QWidget>

#include <client-core/inbox_client.h>

class QListWidget;
class QTextBrowser;

namespace cyrange::qt {
class InboxAdapter;
class Session;
}  // namespace cyrange::qt

namespace cyrange::trainee {

/// The team's inbox, live: the briefing first, then messages and notices as the
/// scenario delivers them (newest on top). Selecting one shows it in full.
class InboxView : public QWidget {
  Q_OBJECT

 public:
  InboxView(qt::Session* session, QWidget* parent = nullptr);

  /// Starts the live inbox of `exercise` for the caller's team.
  void watch(const QString& exercise);
  /// Messages received so far.
  int count() const { return static_cast<int>(entries_.size()); }
  /// The briefing's text, once it arrived (empty before).
  QString briefing() const;

 signals:
  /// A message arrived that the trainee has not seen (not part of a snapshot).
  void arrived(const QString& subject);

 private:
  void add(const client::InboxEntry& entry);
  void show_entry(int row);

  qt::InboxAdapter* inbox_;
  QListWidget* list_;
  QTextBrowser* text_;
  std::vector<client::InboxEntry> entries_;  ///< in the list's order
};

}  // namespace cyrange::trainee
