#pragma once

#include <QDialog>

#include <client-core/exercise_client.h>

class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QStringListModel;

namespace cyrange::console {

/// Creating an exercise from a scenario file: the file is validated here first and its
/// problems listed as FILE:LINE:COL with what to change; "Create" stays disabled until
/// the file has no error. Teams are names separated by spaces or commas; the seed is
/// drawn at random when left empty.
class CreateExerciseDialog : public QDialog {
  Q_OBJECT

 public:
  explicit CreateExerciseDialog(QWidget* parent = nullptr);

  /// The request to send (valid after accept()).
  client::NewExercise request() const;
  /// Fills the form (tests; also after "Browse…").
  void setScenarioFile(const QString& file);
  void setTeams(const QString& teams);
  void setExerciseId(const QString& id);
  void setSeed(const QString& seed);
  /// The problems last found (one line each).
  QStringList problems() const;

 public slots:
  /// Reads and validates the scenario file.
  void validate();

 private:
  void update_create();

  QLineEdit* file_;
  QLineEdit* id_;
  QLineEdit* teams_;
  QLineEdit* seed_;
  QLabel* summary_;
  QStringListModel* problems_;
  QListView* problem_view_;
  QPushButton* create_;
  std::string yaml_;
  int errors_ = -1;  // -1: not validated yet
};

}  // namespace cyrange::console
