#pragma once

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLineEdit;
class QSpinBox;

namespace cyrange::console {

/// Changing a team's score by hand: points and a reason are both required (the
/// reason is kept in the ledger and shown to the team).
class AdjustScoreDialog : public QDialog {
  Q_OBJECT

 public:
  AdjustScoreDialog(const QStringList& teams, const QStringList& objectives,
                    QWidget* parent = nullptr);

  QString team() const;
  QString objective() const;  ///< empty: not tied to an objective
  int points() const;
  QString reason() const;
  /// Fills the form (tests).
  void fill(const QString& team, int points, const QString& reason);

 private:
  void update_ok();

  QComboBox* team_;
  QComboBox* objective_;
  QSpinBox* points_;
  QLineEdit* reason_;
  QDialogButtonBox* buttons_;
};

}  // namespace cyrange::console
