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
class QTabWidget;
class QTableView;
class QTimer;

namespace cyrange::qt {
class AnalyticsAdapter;
class ExerciseAdapter;
class RecordingAdapter;
}  // namespace cyrange::qt

namespace cyrange::console {

class DashboardModel;
class FeedFilterProxy;
class FeedModel;
class RecordingListModel;
class TeamActivityModel;
class TeamObjectivesModel;

/// The "Team" tab: one team of the shown exercise in depth, the team selected anywhere in
/// the console (double-clicking a team on the dashboard opens it). Its range's hosts with
/// their state and addresses; its objectives as the matrix has them (state, points, wrong
/// answers, hints, solve time); its numbers (first action, commands, hints, idle time, when
/// each objective was solved and with how many commands); and in tabs its activity since
/// the start (typed command lines with their host, answers, hints, report edits, idle
/// periods and what the score ledger made of them), the dashboard's events of the team, and
/// its terminal sessions, which open in the Recordings tab's player. It reads again when the
/// team changes, when shown, on Refresh, and (coalesced) after the board changes.
class TeamPanel : public QWidget {
  Q_OBJECT

 public:
  /// Reads through `session`, which must outlive the panel.
  explicit TeamPanel(qt::Session* session, QWidget* parent = nullptr);
  ~TeamPanel() override;

  /// Shows `team` of `exercise` (either empty: nothing).
  void setExercise(const QString& exercise);
  /// Reads objectives and events from the dashboard of the shown exercise (`feed` is its
  /// event feed); both must outlive the panel or be replaced before they go.
  void setDashboard(DashboardModel* dashboard, FeedModel* feed);
  void setTeam(const QString& team);
  QString team() const { return team_; }

  /// The parts the tests look at.
  TeamActivityModel* activity() const { return activity_; }
  QStandardItemModel* hosts() const { return hosts_; }
  TeamObjectivesModel* objectives() const { return objectives_; }
  FeedFilterProxy* events() const { return events_; }
  RecordingListModel* sessions() const { return sessions_; }
  QTableView* sessionsView() const { return sessions_view_; }
  QTabWidget* details() const { return details_; }
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
  /// The instructor asked to replay a moment of a recording ("recording:<session>@<s>"):
  /// a terminal session of the team, or the evidence of one of its events.
  void evidenceRequested(const QString& link);
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
  qt::RecordingAdapter* recordings_api_;
  TeamActivityModel* activity_;
  QStandardItemModel* hosts_;
  TeamObjectivesModel* objectives_ = nullptr;
  FeedFilterProxy* events_;
  RecordingListModel* sessions_;
  QTableView* activity_view_;
  QTableView* hosts_view_;
  QTableView* objectives_view_;
  QTableView* events_view_;
  QTableView* sessions_view_;
  QTabWidget* details_;
  QLabel* title_;
  QLabel* range_state_;
  QLabel* numbers_;
  QLabel* truncated_;
  QTimer* coalesce_;
  QString exercise_, team_;
  std::map<std::pair<QString, QString>, QString> host_states_;  // (team, host) -> state
  std::vector<client::TeamRangeView> ranges_;
  quint64 activity_ticket_ = 0, analytics_ticket_ = 0, ranges_ticket_ = 0, sessions_ticket_ = 0;
  int waiting_ = 0;  // answers still to come of the last refresh
};

}  // namespace cyrange::console
