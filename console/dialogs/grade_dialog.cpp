#include <console/dialogs/grade_dialog.h>

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace cyrange::console {

GradeDialog::GradeDialog(const ScenarioCatalog& catalog, const QStringList& teams,
                         client::Language language, QWidget* parent)
    : QDialog(parent), catalog_(catalog), language_(language) {
  setWindowTitle(tr("Grade a report item"));
  team_ = new QComboBox(this);
  team_->addItems(teams);
  objective_ = new QComboBox(this);
  for (const auto& o : catalog.objectives) {
    if (!o.rubric.empty())
      objective_->addItem(QString::fromStdString(o.id), QString::fromStdString(o.id));
  }
  item_ = new QComboBox(this);
  note_ = new QPlainTextEdit(this);
  note_->setPlaceholderText(tr("Why the item is met (required)"));
  evidence_ = new QLineEdit(this);
  evidence_->setPlaceholderText(tr("Where: report section, or terminal recording and time"));
  auto* form = new QFormLayout;
  form->addRow(tr("Team"), team_);
  form->addRow(tr("Objective"), objective_);
  form->addRow(tr("Rubric item"), item_);
  form->addRow(tr("Note"), note_);
  form->addRow(tr("Evidence"), evidence_);
  buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(objective_, &QComboBox::currentIndexChanged, this, &GradeDialog::fill_items);
  connect(note_, &QPlainTextEdit::textChanged, this, &GradeDialog::update_ok);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(buttons_);
  fill_items();
}

void GradeDialog::fill_items() {
  item_->clear();
  if (const auto* o = catalog_.objective(objective().toStdString())) {
    for (const auto& r : o->rubric) {
      item_->addItem(QStringLiteral("%1 (+%2) — %3")
                         .arg(QString::fromStdString(r.id))
                         .arg(r.points)
                         .arg(QString::fromStdString(r.text.in(language_))),
                     QString::fromStdString(r.id));
    }
  }
  update_ok();
}

void GradeDialog::update_ok() {
  buttons_->button(QDialogButtonBox::Ok)
      ->setEnabled(!item().isEmpty() && !note_->toPlainText().trimmed().isEmpty());
}

QString GradeDialog::team() const { return team_->currentText(); }
QString GradeDialog::objective() const { return objective_->currentData().toString(); }
QString GradeDialog::item() const { return item_->currentData().toString(); }
QString GradeDialog::note() const { return note_->toPlainText().trimmed(); }
QString GradeDialog::evidence() const { return evidence_->text().trimmed(); }

void GradeDialog::fill(const QString& team, const QString& objective, const QString& item,
                       const QString& note, const QString& evidence) {
  team_->setCurrentText(team);
  objective_->setCurrentIndex(objective_->findData(objective));
  item_->setCurrentIndex(item_->findData(item));
  note_->setPlainText(note);
  evidence_->setText(evidence);
}

}  // namespace cyrange::console
