#pragma once

#include <QString>
#include <QStringList>
#include <QWidget>

#include <optional>

#include <client-core/localized_text.h>
#include <client-core/terminal_recordings.h>
#include <client-core/terminal_watches.h>
#include <client-qt/session.h>

class QComboBox;
class QLabel;
class QPushButton;
class QTableView;

namespace cyrange::qt {
class RecordingAdapter;
class WatchAdapter;
}  // namespace cyrange::qt

namespace cyrange::console {

class RecordingListModel;
class RecordingPlayer;

/// The "Recordings" tab: the recorded terminal sessions of the shown exercise, of the
/// team chosen (it follows the team selected anywhere in the console), and a player that
/// replays the chosen session read-only or watches it live while its terminal is open.
/// Watching live needs the team's yes: the panel asks, says that it waits, and starts once
/// a trainee of the team allows it; a trainee (or Stop watching) ends it at any time.
class RecordingsPanel : public QWidget {
  Q_OBJECT

 public:
  /// Reads recordings through `session`, which must outlive the panel; errors are shown
  /// in `language`.
  RecordingsPanel(qt::Session* session, client::Language language, QWidget* parent = nullptr);
  ~RecordingsPanel() override;

  /// Shows the recordings of `exercise`, whose teams are `teams`; empty clears.
  void setExercise(const QString& exercise, const QStringList& teams);
  /// Lists only `team`'s sessions (empty: every team).
  void setTeam(const QString& team);
  /// Replays session `id` from its start (`live`: follows it while it is open).
  void openSession(qint64 id, bool live = false);
  /// Asks the team of open session `id` to let the instructor watch, and watches it live
  /// once a trainee allows it (at once when a watch of the team is already allowed).
  void watchSession(qint64 id);
  /// The moment shown in the player as a link for a grade's evidence
  /// ("recording:<session>@<seconds>"); empty when nothing is shown.
  QString evidenceLink() const;
  /// Replays the session `link` names and shows the screen at its moment (after listing
  /// every team's sessions if it is not in the list). False when `link` names none.
  bool openEvidence(const QString& link);
  /// Ends the instructor's watch request or watch, if any.
  void stopWatching();
  /// The instructor's request to watch, as it now stands (none: not asked).
  const std::optional<client::TerminalWatchView>& watch() const { return my_watch_; }
  /// What the panel says about the watch ("Waiting for team ... to allow ...").
  QString watchStatus() const;

  /// The parts the tests drive and look at.
  RecordingListModel* model() const { return model_; }
  RecordingPlayer* player() const { return player_; }
  QTableView* table() const { return table_; }

 public slots:
  /// Asks the server for the list again.
  void refresh();

 signals:
  /// A call failed, in a sentence for the status bar.
  void problem(const QString& message);
  /// The list arrived.
  void listed();
  /// The watch request changed (asked, allowed, declined, ended).
  void watchChanged();

 private:
  void open_current(bool live);
  // Opens the moment `link` names if its session is listed; false otherwise.
  bool open_listed(const QString& link);
  void follow_team(const QString& team);
  void on_watches(const client::TerminalWatchesView& watches);
  void apply_watch(const client::TerminalWatchView& watch);
  void set_watch_status(const QString& text);

  qt::RecordingAdapter* api_;
  qt::WatchAdapter* watches_;
  RecordingListModel* model_;
  RecordingPlayer* player_;
  QTableView* table_;
  QComboBox* team_box_;
  QPushButton* replay_;
  QPushButton* watch_;
  QPushButton* stop_watch_;
  QLabel* title_;
  QLabel* watch_status_;
  client::Language language_;
  QString exercise_;
  quint64 list_ticket_ = 0;
  QString followed_team_;                              // whose watch requests are followed
  std::optional<client::TerminalWatchView> my_watch_;  // this instructor's request
  qint64 waiting_session_ = 0;                         // opens live once the watch is allowed
  qint64 shown_session_ = 0;                           // in the player
  QString pending_evidence_;                           // opened once the list holds its session
  int seek_when_read_ = -1;  // seconds to show once the replayed session is read
};

}  // namespace cyrange::console
