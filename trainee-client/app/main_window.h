#pragma once

#include <map>
#include <memory>

#include <QMainWindow>

#include <client-core/range_client.h>
#include <client-core/recorder_client.h>
#include <client-core/system_client.h>
#include <trainee-client/app/day.h>

class QLabel;
class QSplitter;
class QTabWidget;

namespace cyrange::qt {
class ExerciseAdapter;
class ScoringAdapter;
class TimelineAdapter;
class Session;
}  // namespace cyrange::qt

namespace cyrange::trainee {

class InboxView;
class ReportEditor;
class ScoreboardView;
class TasksPanel;
class TerminalTab;
class WatchBar;

/// The trainee's window for a whole day: the tasks on the left; on the right the inbox
/// (briefing first), one terminal tab per host the scenario opens to trainees, the
/// incident report and the scoreboard. The status bar always shows the link to the
/// server, whether anything is recorded and how many recorded events wait for the server.
class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  MainWindow(qt::Session* session, Day day, QWidget* parent = nullptr);
  ~MainWindow() override;

  const Day& day() const { return day_; }
  TasksPanel* tasks() const { return tasks_; }
  InboxView* inbox() const { return inbox_; }
  ReportEditor* report() const { return report_; }
  ScoreboardView* scoreboard() const { return scoreboard_; }
  /// The bar that shows an instructor's request to watch the terminals, and who watches.
  WatchBar* watchBar() const { return watch_bar_; }
  QTabWidget* tabs() const { return tabs_; }
  /// The terminal tab of `host`, once the range listed it (nullptr before).
  TerminalTab* terminal(const QString& host) const;
  /// The hosts with a terminal tab.
  QStringList terminalHosts() const;

 public slots:
  /// Says what is recorded now (empty: nothing, because there is no consent).
  void setRecording(const QString& what);
  /// Recorded events not yet stored by the server.
  void setWaitingEvents(quint64 count);

 signals:
  /// Something the trainee did that the recorder should note (answer, hint, tab, report).
  void action(cyrange::client::TraineeEventKind kind, const QString& target, const QString& text);
  /// The range's hosts arrived and their terminal tabs exist.
  void terminalsReady();
  /// The trainee asked to review their consent (Settings).
  void consentRequested();
  /// The trainee chose another language (Settings); applies at the next start.
  void languageChosen(const QString& code);

 private:
  void build_menus();
  void add_terminals(const std::vector<client::TeamRangeView>& ranges);
  void show_link(const client::ConnectivityState& state);

  qt::Session* session_;
  Day day_;
  qt::ExerciseAdapter* exercise_;
  qt::ScoringAdapter* scoring_;
  qt::TimelineAdapter* timeline_;
  TasksPanel* tasks_;
  InboxView* inbox_;
  ReportEditor* report_;
  ScoreboardView* scoreboard_;
  WatchBar* watch_bar_;
  QTabWidget* tabs_;
  std::map<QString, TerminalTab*> terminals_;
  QLabel* title_;
  QLabel* link_;
  QLabel* recording_;
  QLabel* waiting_;
  QLabel* score_;
  bool online_ = true;
  quint64 waiting_count_ = 0;
};

}  // namespace cyrange::trainee
