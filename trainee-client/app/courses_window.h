#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include <QMainWindow>

#include <client-core/course_client.h>
#include <client-qt/gui_relay.h>
#include <client-qt/sign_in/profiles.h>

class QLabel;
class QPushButton;
class QTableView;

namespace cyrange::qt {
class CourseAdapter;
class Session;
}  // namespace cyrange::qt

namespace cyrange::trainee {

class CourseTableModel;
class RunSession;

/// Self-paced study: the courses open to the trainee, each with the trainee's own run of
/// it, kept live by CourseService.WatchRuns (no polling). Start begins a run (or resumes the
/// paused one); while the run waits for room its place in the queue is shown, while its
/// range is prepared the window says so, and once it
/// runs the day window opens on the run's own token (RunSession) and this window hides
/// until the run is paused. End run removes the range after a confirmation; the results
/// stay. A banner says why the list was opened and warns of runs whose range is removed
/// soon.
class CoursesWindow : public QMainWindow {
  Q_OBJECT

 public:
  CoursesWindow(qt::Session* session, qt::Profile profile, QWidget* parent = nullptr);
  ~CoursesWindow() override;

  /// Shows `text` above the list (e.g. that no training day runs for the trainee's team).
  void setNotice(const QString& text);
  /// Lists the courses and the trainee's runs again.
  void refresh();
  /// Starts (or resumes) the trainee's run of the course in `row`.
  void startRow(int row);

  CourseTableModel* model() const { return model_; }
  QTableView* table() const { return table_; }
  /// What the window says about the chosen run (waiting, preparing, errors).
  QString status() const;
  /// The run open in the day window, if any.
  RunSession* runSession() const { return run_session_.get(); }

 signals:
  /// A refresh answered (tests wait on it).
  void refreshed();
  /// The day window of a run opened.
  void runOpened();

 private:
  void start_selected();
  void end_selected();
  void handle_ticket(const client::RunTicketInfo& ticket);
  void run_changed(const client::CourseRunInfo& run);
  // Acts on the awaited run's state: opens it once it runs, says why when it cannot.
  void follow_awaited();
  void open_run(const client::RunTicketInfo& ticket);
  void run_finished(const QString& message);
  void update_buttons();
  void show_failure(const Error& error);

  qt::Session* session_;
  qt::Profile profile_;
  CourseTableModel* model_;
  QTableView* table_;
  QLabel* notice_;
  QLabel* status_;
  QPushButton* start_;
  QPushButton* end_;
  qt::CourseAdapter* runs_;              // the trainee's runs, live
  std::optional<std::int64_t> awaited_;  // the run the trainee started and waits for
  std::unique_ptr<RunSession> run_session_;
  qt::GuiRelay relay_;
};

}  // namespace cyrange::trainee
