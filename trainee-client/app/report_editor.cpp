#include <trainee-client/app/report_editor.h>

#include <QDateTime>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

#include <client-qt/session.h>
#include <client-qt/translations.h>

namespace cyrange::trainee {

namespace {

struct SectionField {
  const char* name;
  std::string client::ReportSections::*field;
};

constexpr SectionField kSections[] = {
    {"timeline", &client::ReportSections::timeline},
    {"scope", &client::ReportSections::scope},
    {"cause", &client::ReportSections::cause},
    {"measures", &client::ReportSections::measures},
    {"recommendations", &client::ReportSections::recommendations},
    {"free_text", &client::ReportSections::free_text},
};

QString title_of(const QString& name) {
  if (name == QLatin1String("timeline")) return ReportEditor::tr("Timeline of the incident");
  if (name == QLatin1String("scope")) return ReportEditor::tr("Scope: what was affected");
  if (name == QLatin1String("cause")) return ReportEditor::tr("Cause");
  if (name == QLatin1String("measures")) return ReportEditor::tr("Measures taken");
  if (name == QLatin1String("recommendations")) return ReportEditor::tr("Recommendations");
  return ReportEditor::tr("Other notes");
}

}  // namespace

ReportEditor::ReportEditor(qt::Session* session, Day day, QWidget* parent)
    : QWidget(parent),
      reports_(session->connection()),
      day_(std::move(day)),
      status_(new QLabel(this)),
      save_(new QPushButton(tr("Save draft"), this)),
      submit_(new QPushButton(tr("Submit to the instructor…"), this)) {
  setObjectName(QStringLiteral("report"));
  save_->setObjectName(QStringLiteral("save-report"));
  submit_->setObjectName(QStringLiteral("submit-report"));
  status_->setWordWrap(true);
  auto* form_widget = new QWidget(this);
  auto* form = new QFormLayout(form_widget);
  form->setRowWrapPolicy(QFormLayout::WrapAllRows);
  for (const auto& section : kSections) {
    const QString name = QString::fromLatin1(section.name);
    auto* edit = new QPlainTextEdit(form_widget);
    edit->setObjectName(QStringLiteral("report-") + name);
    edit->setMinimumHeight(80);
    editors_[name] = edit;
    form->addRow(title_of(name), edit);
  }
  auto* scroll = new QScrollArea(this);
  scroll->setWidgetResizable(true);
  scroll->setWidget(form_widget);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(status_, 1);
  buttons->addWidget(save_);
  buttons->addWidget(submit_);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(scroll, 1);
  layout->addLayout(buttons);
  connect(save_, &QPushButton::clicked, this, &ReportEditor::saveDraft);
  connect(submit_, &QPushButton::clicked, this, [this] {
    if (QMessageBox::question(this, tr("Submit the report"),
                              tr("Submit this version to the instructor? Your team cannot "
                                 "change the report afterwards.")) == QMessageBox::Yes)
      submit();
  });
  status_->setText(tr("Nothing saved yet."));
}

QString ReportEditor::section(const QString& name) const {
  auto it = editors_.find(name);
  return it == editors_.end() ? QString() : it->second->toPlainText();
}

void ReportEditor::setSection(const QString& name, const QString& text) {
  if (auto it = editors_.find(name); it != editors_.end()) it->second->setPlainText(text);
}

QString ReportEditor::status() const { return status_->text(); }

client::ReportSections ReportEditor::sections() const {
  client::ReportSections out;
  for (const auto& field : kSections)
    out.*field.field = section(QString::fromLatin1(field.name)).toStdString();
  return out;
}

void ReportEditor::load() {
  relay_.then<client::ReportDocument>(reports_.get_async(day_.exercise.toStdString()),
                                      [this](const Expected<client::ReportDocument>& report) {
                                        if (!report) {
                                          // No version yet is the normal start of a day.
                                          if (report.error().code != ErrorCode::not_found)
                                            status_->setText(qt::localized(report.error()));
                                          return;
                                        }
                                        show_report(*report);
                                      });
}

void ReportEditor::show_report(const client::ReportDocument& report) {
  for (const auto& section : kSections)
    setSection(QString::fromLatin1(section.name),
               QString::fromStdString(report.sections.*section.field));
  version_ = report.version.version;
  submitted_ = report.version.submitted;
  const QString when = QDateTime::fromMSecsSinceEpoch(report.version.saved_at_unix_ms)
                           .toString(QStringLiteral("HH:mm:ss"));
  status_->setText(submitted_ ? tr("Version %1 submitted by %2 at %3. The report is closed.")
                                    .arg(version_)
                                    .arg(QString::fromStdString(report.version.saved_by), when)
                              : tr("Version %1 saved by %2 at %3.")
                                    .arg(version_)
                                    .arg(QString::fromStdString(report.version.saved_by), when));
  set_read_only(submitted_);
}

void ReportEditor::set_read_only(bool read_only) {
  for (auto& [name, edit] : editors_) edit->setReadOnly(read_only);
  save_->setEnabled(!read_only);
  submit_->setEnabled(!read_only);
}

void ReportEditor::saveDraft() { save(false); }

void ReportEditor::submit() { save(true); }

void ReportEditor::save(bool submit) {
  save_->setEnabled(false);
  submit_->setEnabled(false);
  status_->setText(submit ? tr("Submitting…") : tr("Saving…"));
  client::ReportSections text = sections();
  emit action(client::TraineeEventKind::report_edit,
              submit ? QStringLiteral("report:submit") : QStringLiteral("report:save"), QString());
  relay_.then<client::ReportVersionInfo>(
      reports_.save_async(day_.exercise.toStdString(), text, version_, submit),
      [this, text](const Expected<client::ReportVersionInfo>& saved) {
        if (!saved) {
          set_read_only(false);
          status_->setText(qt::localized(saved.error()));
          if (saved.error().code == ErrorCode::aborted) {
            // A teammate saved in between: offer their version; ours stays until chosen.
            if (QMessageBox::question(this, tr("A teammate saved the report"),
                                      tr("%1\nLoad their version? Your unsaved text will be "
                                         "replaced.")
                                          .arg(qt::localized(saved.error()))) == QMessageBox::Yes)
              load();
          }
          emit this->saved(false);
          return;
        }
        client::ReportDocument view{*saved, text};
        show_report(view);
        emit this->saved(true);
      });
}

}  // namespace cyrange::trainee
