#include <console/dialogs/grade_dialog.h>

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <client-qt/translations.h>

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

void GradeDialog::showReportsOf(const client::Connection& connection, const QString& exercise) {
  reports_.emplace(connection);
  exercise_ = exercise;
  report_ = new QTextBrowser(this);
  report_->setObjectName(QStringLiteral("team-report"));
  report_->setMinimumWidth(420);
  // The report on the left, the form on the right.
  auto* outer = qobject_cast<QVBoxLayout*>(layout());
  auto* row = new QHBoxLayout;
  row->addWidget(report_, 1);
  auto* form = outer->takeAt(0)->layout();
  row->addLayout(form, 1);
  outer->insertLayout(0, row, 1);
  connect(team_, &QComboBox::currentIndexChanged, this, &GradeDialog::load_report);
  load_report();
}

QString GradeDialog::reportText() const { return report_ ? report_->toPlainText() : QString(); }

void GradeDialog::load_report() {
  if (!reports_ || team().isEmpty()) return;
  report_->setPlainText(tr("Loading the report of %1…").arg(team()));
  relay_ = std::make_unique<qt::GuiRelay>();  // an earlier team's answer is dropped
  relay_->then<client::ReportDocument>(
      reports_->get_async(exercise_.toStdString(), team().toStdString()),
      [this](const Expected<client::ReportDocument>& report) {
        if (!report) {
          report_->setPlainText(report.error().code == ErrorCode::not_found
                                    ? tr("%1 has not saved a report yet.").arg(team())
                                    : qt::localized(report.error()));
          return;
        }
        const auto& v = report->version;
        const auto& s = report->sections;
        QString text = (v.submitted ? tr("Version %1, submitted by %2")
                                    : tr("Version %1, a draft saved by %2"))
                           .arg(v.version)
                           .arg(QString::fromStdString(v.saved_by));
        const std::pair<QString, const std::string*> sections[] = {
            {tr("Timeline"), &s.timeline},
            {tr("Scope"), &s.scope},
            {tr("Cause"), &s.cause},
            {tr("Measures taken"), &s.measures},
            {tr("Recommendations"), &s.recommendations},
            {tr("Other notes"), &s.free_text}};
        for (const auto& [title, body] : sections)
          text += QStringLiteral("\n\n■ %1\n%2").arg(title, QString::fromStdString(*body));
        report_->setPlainText(text);
        if (evidence_->text().isEmpty())
          evidence_->setPlaceholderText(tr("e.g. report v%1, section Cause").arg(v.version));
      });
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

void GradeDialog::offerMoment(const QString& link) {
  if (link.isEmpty()) return;
  auto* use = new QPushButton(tr("Use the moment replayed in Recordings (%1)").arg(link), this);
  use->setObjectName(QStringLiteral("use-moment"));
  use->setToolTip(tr("The feed then opens the recording at this moment on a double-click"));
  connect(use, &QPushButton::clicked, this, [this, link] {
    const QString now = evidence_->text().trimmed();
    evidence_->setText(now.isEmpty() ? link : now + QLatin1Char(' ') + link);
  });
  auto* outer = qobject_cast<QBoxLayout*>(layout());
  outer->insertWidget(outer->count() - 1, use);
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
