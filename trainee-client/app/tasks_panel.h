#pragma once

#include <memory>
#include <vector>

#include <QWidget>

#include <client-core/recorder_client.h>
#include <client-core/scoring_client.h>
#include <client-qt/gui_relay.h>
#include <trainee-client/app/day.h>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTimer;
class QVBoxLayout;

namespace cyrange::qt {
class Session;
}

namespace cyrange::trainee {

/// The team's tasks (ScoringService.ListTasks): a list with each task's state and points,
/// and the selected one in full: its question, points, wrong answers and attempts left,
/// an answer box (per part where it has parts) with the verdict, its hints with their
/// cost confirmed in place before one is taken, and the solution once the instructor
/// revealed it. Refreshes after every answer and hint and when the score moves.
class TasksPanel : public QWidget {
  Q_OBJECT

 public:
  TasksPanel(qt::Session* session, Day day, QWidget* parent = nullptr);

  /// The tasks last received.
  const std::vector<client::Task>& taskList() const { return tasks_; }
  /// Selects the task of `objective` (tests, and a click in the list).
  void select(const QString& objective);
  /// The verdict line of the last answer.
  QString verdict() const;

 public slots:
  /// Asks the server for the tasks again (coalesced: several requests become one).
  void refresh();
  /// Submits the answer box for the selected task (and part).
  void submit();

 signals:
  /// The tasks arrived (after refresh()).
  void updated();
  /// A verdict or a hint arrived; the text is what the trainee reads.
  void answered(const QString& message);
  /// What the recorder notes (answer, hint).
  void action(cyrange::client::TraineeEventKind kind, const QString& target, const QString& text);

 private:
  void fetch();
  void show_tasks(const std::vector<client::Task>& tasks);
  void show_selected();
  void add_hint_row(const client::Task& task, const client::TaskHint& hint);
  void take_hint(const QString& objective, const QString& hint);
  const client::Task* selected() const;

  client::ScoringClient scoring_;
  Day day_;
  std::vector<client::Task> tasks_;
  QString selected_;
  QString confirming_;  ///< the hint whose cost the trainee is asked to confirm
  QListWidget* list_;
  QLabel* question_;
  QLabel* progress_;
  QComboBox* part_;
  QLineEdit* answer_;
  QPushButton* submit_;
  QLabel* verdict_;
  QVBoxLayout* hints_;
  QLabel* solution_;
  QTimer* coalesce_;
  qt::GuiRelay relay_;
};

}  // namespace cyrange::trainee
