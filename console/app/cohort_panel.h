#pragma once

#include <QWidget>

#include <client-core/localized_text.h>
#include <client-qt/gui_relay.h>
#include <client-qt/session.h>

class QComboBox;
class QLabel;
class QPushButton;
class QTableView;

namespace cyrange::qt {
class CourseAdapter;
}

namespace cyrange::console {

class CohortFilterProxy;
class CohortModel;
class ReviewListModel;

/// The "Self-paced" tab: every self-paced run the caller may see (an instructor: of their
/// organisation's trainees; an admin: all), filtered by course and state and sorted by any
/// column, and below it the rubric items of the selected run that wait for review, graded
/// with the console's grade dialog beside the trainee's incident report. The list is read
/// when the tab is shown, on Refresh and after a grade, and again whenever a run changes
/// (CourseService.WatchRuns, from the first showing on; changes within 200 ms are read
/// once); it is never polled.
class CohortPanel : public QWidget {
  Q_OBJECT

 public:
  /// Reads through `session`, which must outlive the panel; texts in `language`.
  CohortPanel(qt::Session* session, client::Language language, QWidget* parent = nullptr);
  ~CohortPanel() override;

  /// Selects the run `id` in the table (when it is shown); false otherwise.
  bool selectRun(qint64 id);
  /// Opens the grade dialog for the selected review item.
  void gradeSelected();

  /// The parts the tests drive and look at.
  CohortModel* model() const { return model_; }
  CohortFilterProxy* proxy() const { return proxy_; }
  ReviewListModel* reviews() const { return reviews_; }
  QTableView* table() const { return table_; }
  QTableView* reviewTable() const { return review_table_; }
  QComboBox* courseBox() const { return course_box_; }
  QComboBox* stateBox() const { return state_box_; }

 public slots:
  /// Asks the server for the runs and their review items again.
  void refresh();

 signals:
  /// The runs and review items arrived and are shown.
  void refreshed();
  /// A call failed, in a sentence for the status bar.
  void problem(const QString& message);
  /// A confirmation (an item graded) for the status bar.
  void notice(const QString& message);

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  void show_reviews();
  void fill_courses();
  void update_buttons();

  qt::Session* session_;
  client::Language language_;
  CohortModel* model_;
  CohortFilterProxy* proxy_;
  ReviewListModel* reviews_;
  QTableView* table_;
  QTableView* review_table_;
  QComboBox* course_box_;
  QComboBox* state_box_;
  QLabel* count_;
  QLabel* review_title_;
  QPushButton* grade_;
  qt::CourseAdapter* live_;       // every change of the runs the caller may see
  bool refresh_pending_ = false;  // a change arrived; the list is read once shortly
  qint64 shown_run_ = 0;
  quint64 generation_ = 0;  // an older refresh's answer is dropped
  qt::GuiRelay relay_;
};

}  // namespace cyrange::console
