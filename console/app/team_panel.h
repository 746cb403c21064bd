#pragma once

#include <map>
#include <utility>
#include <vector>

#include <QString>
#include <QWidget>

#include <client-core/analytics_client.h>
#include <client-core/range_client.h>
#include <client-qt/session.h>

class QLabel;
class QStandardItemModel;
class QTableView;
class QTimer;

namespace cyrange::qt {
class AnalyticsAdapter;
class ExerciseAdapter;
}  // namespace cyrange::qt

namespace cyrange::console {

class TeamActivityModel;

/// The "Team" tab: one team of the shown exercise in depth, the team selected anywhere in
/// the console. Its range's hosts with their state and addresses; its numbers (first
/// action, commands, hints, idle time, when each objective was solved and with how many
/// commands); and its activity in order since the start: typed command lines with their
/// host, answers, hints, report edits, idle periods and what the score ledger made of them.
/// It reads again when the team changes, when shown, on Refresh, and (coalesced) after the
/// board changes; the terminals themselves are in the Recordings tab.
class TeamPanel : public QWidget {
  Q_OBJECT

 public:
  /// Reads through `session`, which must outlive the panel.
  explicit TeamPanel(qt::Session* session, QWidget* parent = nullptr);
  ~TeamPanel() override;

  /// Shows `team` of `exercise` (either empty: nothing).
  void setExercise(const QString& exercise);
  void setTeam(const QString& team);
  QString team() const { return team_; }

  /// The parts the tests look at.
  TeamActivityModel* activity() const { return activity_; }
  QStandardItemModel* hosts() const { return hosts_; }
  QString numbersText() const;

 public slots:
  /// Reads everything again.
  void refresh();
  /// Something changed on the board: read again soon (at most every two seconds).
  void boardChanged();
  /// A host's provisioning step (from the Provisioning tab's stream): its state column.
  void applyProvisioning(const cyrange::client::ProvisioningStep& step);

 signals:
  /// A call failed, in a sentence for the status bar.
  void problem(const QString& message);
  /// The instructor asked for the team's terminal recordings.
  void recordingsRequested(const QString& team);
  /// Everything asked for arrived.
  void loaded();

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  void show_hosts(const std::vector<client::TeamRangeView>& ranges);
  void show_numbers(const client::ExerciseAnalyticsView& analytics);
  void arrived();

  qt::AnalyticsAdapter* analytics_api_;
  qt::ExerciseAdapter* range_api_;
  TeamActivityModel* activity_;
  QStandardItemModel* hosts_;
  QTableView* activity_view_;
  QTableView* hosts_view_;
  QLabel* title_;
  QLabel* range_state_;
  QLabel* numbers_;
  QLabel* truncated_;
  QTimer* coalesce_;
  QString exercise_, team_;
  std::map<std::pair<QString, QString>, QString> host_states_;  // (team, host) -> state
  std::vector<client::TeamRangeView> ranges_;
  quint64 activity_ticket_ = 0, analytics_ticket_ = 0, ranges_ticket_ = 0;
  int waiting_ = 0;  // answers still to come of the last refresh
};

}  // namespace cyrange::console
