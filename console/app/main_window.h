#pragma once

#include <memory>
#include <optional>

#include <QMainWindow>
#include <QSet>

#include <client-core/localized_text.h>
#include <client-core/system_client.h>
#include <client-qt/exercise_adapter.h>
#include <client-qt/scoring_adapter.h>
#include <client-qt/session.h>
#include <client-qt/timeline_adapter.h>
#include <console/app/scenario_catalog.h>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QListView;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;

namespace cyrange::console {

class CohortPanel;
class DashboardModel;
class DashboardView;
class ExerciseListModel;
class ProvisioningModel;
class RecordingsPanel;
class TeamPanel;
class TimelineModel;

/// The instructor console's window: exercises on the left; the live dashboard, the
/// timeline, the provisioning and the terminal recordings of the selected exercise in tabs, and
/// the self-paced runs of the cohort (instructors and admins) in a tab of its own; the
/// day's controls (clock, hints, scores, board mode, checks) in the tool bar; the connection and
/// the exercise clock in the status bar. It only composes models, views and adapters; no call runs
/// on the GUI thread.
class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  /// Uses `session` (signed in as `caller`); `session` must outlive the window.
  MainWindow(qt::Session* session, client::Caller caller, client::Language language,
             QWidget* parent = nullptr);
  ~MainWindow() override;

  /// The exercise shown (empty: none).
  QString exercise() const { return exercise_; }
  /// Shows exercise `id` (as if chosen in the list).
  void openExercise(const QString& id);
  /// The parts the tests drive and look at.
  DashboardModel* dashboardModel() const { return dashboard_model_; }
  DashboardView* dashboardView() const { return dashboard_view_; }
  TimelineModel* timelineModel() const { return timeline_model_; }
  ExerciseListModel* exerciseModel() const { return exercises_; }
  /// The provisioning (and range reset) progress of the open exercise.
  ProvisioningModel* provisioningModel() const { return provisioning_model_; }
  QTabWidget* tabs() const { return tabs_; }
  RecordingsPanel* recordings() const { return recordings_; }
  /// The Team tab: the selected team in depth.
  TeamPanel* teamPanel() const { return team_panel_; }
  /// The "Self-paced" tab (null unless the caller is an instructor or an admin).
  CohortPanel* cohort() const { return cohort_; }
  const ScenarioCatalog& catalog() const { return catalog_; }
  QStringList teams() const;

 public slots:
  void refreshExercises();
  void newExercise();
  void endExercise();
  void startClock();
  void pauseClock();
  void resumeClock();
  void setSpeed();
  /// Sets the speed box to `speed` and applies it.
  void setClockSpeed(double speed);
  void pushHint();
  /// Shows a solution to one team or all, with what it costs, then reveals it.
  void revealSolution();
  /// Chooses an option of the decision step selected in the timeline.
  void chooseOption();
  void adjustScore();
  void gradeReport();
  void runChecks();
  /// Asks which team, then starts resetting its range to the pristine state.
  void resetTeamRange();
  /// Shows the dialog that creates the teams' join codes.
  void joinCodes();
  void setBoardMode(int index);
  void exportReport();

 signals:
  /// A call failed; the message is also shown in the status bar.
  void problem(const QString& message);
  /// The scenario of the shown exercise is known (objectives, hints, rubric).
  void catalogLoaded();
  /// A confirmation of an action (hint pushed, score adjusted, …) for the status bar.
  void notice(const QString& message);
  /// The instructor chose another language in the Settings menu.
  void languageChosen(cyrange::client::Language language);

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void build_actions();
  void replace_dashboard();
  /// Starts the board and timeline streams of the shown exercise, once.
  void watch_live();
  void show_error(const Error& error);
  void show_exercise(const client::ExerciseSummary& summary);
  void reply_notice(const client::ScoringReply& reply);

  qt::Session* session_;
  client::Caller caller_;
  client::Language language_;
  qt::ExerciseAdapter* exercise_api_;
  qt::ScoringAdapter* scoring_api_;
  qt::TimelineAdapter* timeline_api_;
  ExerciseListModel* exercises_;
  DashboardModel* dashboard_model_ = nullptr;
  DashboardView* dashboard_view_ = nullptr;
  TimelineModel* timeline_model_;
  ProvisioningModel* provisioning_model_;
  RecordingsPanel* recordings_;
  TeamPanel* team_panel_;
  CohortPanel* cohort_ = nullptr;
  QListView* exercise_view_;
  QTabWidget* tabs_;
  QTableView* timeline_view_;
  QSortFilterProxyModel* timeline_filter_;
  QLabel* clock_label_;
  QDoubleSpinBox* speed_;
  QComboBox* board_mode_;
  QString exercise_;
  bool live_ = false;
  quint64 get_ticket_ = 0;
  QSet<QString> resetting_;  ///< teams whose reset was started here and has not settled yet
  client::ExerciseSummary summary_;
  ScenarioCatalog catalog_;
};

}  // namespace cyrange::console
