#include <console/dialogs/adjust_score_dialog.h>

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace cyrange::console {

AdjustScoreDialog::AdjustScoreDialog(const QStringList& teams, const QStringList& objectives,
                                     QWidget* parent)
    : QDialog(parent) {
  setWindowTitle(tr("Adjust a score"));
  team_ = new QComboBox(this);
  team_->addItems(teams);
  objective_ = new QComboBox(this);
  objective_->addItem(tr("(none)"), QString());
  for (const QString& o : objectives) objective_->addItem(o, o);
  points_ = new QSpinBox(this);
  points_->setRange(-10000, 10000);
  reason_ = new QLineEdit(this);
  reason_->setPlaceholderText(tr("Why the score changes (required; the team sees it)"));
  auto* form = new QFormLayout;
  form->addRow(tr("Team"), team_);
  form->addRow(tr("Objective"), objective_);
  form->addRow(tr("Points"), points_);
  form->addRow(tr("Reason"), reason_);
  buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(reason_, &QLineEdit::textChanged, this, &AdjustScoreDialog::update_ok);
  connect(points_, &QSpinBox::valueChanged, this, &AdjustScoreDialog::update_ok);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(buttons_);
  update_ok();
}

void AdjustScoreDialog::update_ok() {
  buttons_->button(QDialogButtonBox::Ok)
      ->setEnabled(points_->value() != 0 && !reason_->text().trimmed().isEmpty());
}

QString AdjustScoreDialog::team() const { return team_->currentText(); }
QString AdjustScoreDialog::objective() const { return objective_->currentData().toString(); }
int AdjustScoreDialog::points() const { return points_->value(); }
QString AdjustScoreDialog::reason() const { return reason_->text().trimmed(); }

void AdjustScoreDialog::fill(const QString& team, int points, const QString& reason) {
  team_->setCurrentText(team);
  points_->setValue(points);
  reason_->setText(reason);
}

}  // namespace cyrange::console
