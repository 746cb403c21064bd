#pragma once

#include <QDialog>

#include <console/app/scenario_catalog.h>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace cyrange::console {

/// Grading one rubric item of a team's incident report as met: the note (why it is
/// met) is required, and the evidence says where it is (a report section, a terminal
/// recording and time).
class GradeDialog : public QDialog {
  Q_OBJECT

 public:
  GradeDialog(const ScenarioCatalog& catalog, const QStringList& teams, client::Language language,
              QWidget* parent = nullptr);

  QString team() const;
  QString objective() const;
  QString item() const;
  QString note() const;
  QString evidence() const;
  /// Fills the form (tests).
  void fill(const QString& team, const QString& objective, const QString& item, const QString& note,
            const QString& evidence);

 private:
  void fill_items();
  void update_ok();

  const ScenarioCatalog& catalog_;
  client::Language language_;
  QComboBox* team_;
  QComboBox* objective_;
  QComboBox* item_;
  QPlainTextEdit* note_;
  QLineEdit* evidence_;
  QDialogButtonBox* buttons_;
};

}  // namespace cyrange::console
