#pragma once

#include <QString>
#include <QStringList>
#include <QWidget>

#include <client-core/localized_text.h>
#include <client-core/terminal_recordings.h>
#include <client-qt/session.h>

class QComboBox;
class QLabel;
class QPushButton;
class QTableView;

namespace cyrange::qt {
class RecordingAdapter;
}

namespace cyrange::console {

class RecordingListModel;
class RecordingPlayer;

/// The "Recordings" tab: the recorded terminal sessions of the shown exercise, of the
/// team chosen (it follows the team selected anywhere in the console), and a player that
/// replays the chosen session read-only or watches it live while its terminal is open.
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

 private:
  void open_current(bool live);

  qt::RecordingAdapter* api_;
  RecordingListModel* model_;
  RecordingPlayer* player_;
  QTableView* table_;
  QComboBox* team_box_;
  QPushButton* replay_;
  QPushButton* watch_;
  QLabel* title_;
  client::Language language_;
  QString exercise_;
  quint64 list_ticket_ = 0;
};

}  // namespace cyrange::console
