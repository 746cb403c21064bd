#include <console/dialogs/create_exercise_dialog.h>

#include <fstream>
#include <random>
#include <sstream>

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QRegularExpression>
#include <QStringListModel>
#include <QVBoxLayout>

#include <console/app/scenario_catalog.h>

namespace cyrange::console {

CreateExerciseDialog::CreateExerciseDialog(QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("New exercise"));
  file_ = new QLineEdit(this);
  auto* browse = new QPushButton(tr("Browse…"), this);
  auto* file_row = new QHBoxLayout;
  file_row->addWidget(file_, 1);
  file_row->addWidget(browse);
  id_ = new QLineEdit(this);
  id_->setPlaceholderText(tr("empty: derived from the scenario"));
  teams_ = new QLineEdit(this);
  teams_->setPlaceholderText(QStringLiteral("team1 team2 team3"));
  seed_ = new QLineEdit(this);
  seed_->setPlaceholderText(tr("empty: random"));
  auto* form = new QFormLayout;
  form->addRow(tr("Scenario file"), file_row);
  form->addRow(tr("Exercise id"), id_);
  form->addRow(tr("Teams"), teams_);
  form->addRow(tr("Seed"), seed_);

  summary_ = new QLabel(tr("Choose a scenario file."), this);
  summary_->setWordWrap(true);
  problems_ = new QStringListModel(this);
  problem_view_ = new QListView(this);
  problem_view_->setModel(problems_);
  problem_view_->setWordWrap(true);
  problem_view_->setEditTriggers(QAbstractItemView::NoEditTriggers);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
  auto* check = buttons->addButton(tr("Validate"), QDialogButtonBox::ActionRole);
  create_ = buttons->addButton(tr("Create"), QDialogButtonBox::AcceptRole);
  create_->setEnabled(false);
  connect(check, &QPushButton::clicked, this, &CreateExerciseDialog::validate);
  connect(create_, &QPushButton::clicked, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(browse, &QPushButton::clicked, this, [this] {
    const QString file = QFileDialog::getOpenFileName(this, tr("Scenario file"), file_->text(),
                                                      tr("Scenarios (*.yaml *.yml)"));
    if (!file.isEmpty()) setScenarioFile(file);
  });
  connect(file_, &QLineEdit::editingFinished, this, &CreateExerciseDialog::validate);
  connect(teams_, &QLineEdit::textChanged, this, &CreateExerciseDialog::update_create);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(summary_);
  layout->addWidget(problem_view_, 1);
  layout->addWidget(buttons);
  resize(720, 420);
}

void CreateExerciseDialog::setScenarioFile(const QString& file) {
  file_->setText(file);
  validate();
}

void CreateExerciseDialog::setTeams(const QString& teams) { teams_->setText(teams); }

void CreateExerciseDialog::setExerciseId(const QString& id) { id_->setText(id); }

void CreateExerciseDialog::setSeed(const QString& seed) { seed_->setText(seed); }

QStringList CreateExerciseDialog::problems() const { return problems_->stringList(); }

void CreateExerciseDialog::validate() {
  errors_ = -1;
  yaml_.clear();
  std::ifstream in(file_->text().toStdString(), std::ios::binary);
  if (!in) {
    problems_->setStringList({});
    summary_->setText(tr("Cannot read %1; choose the scenario file.").arg(file_->text()));
    update_create();
    return;
  }
  std::ostringstream text;
  text << in.rdbuf();
  yaml_ = text.str();
  int errors = 0;
  const auto lines = validate_scenario_text(yaml_, file_->text().toStdString(), errors);
  QStringList shown;
  for (const auto& line : lines) shown << QString::fromStdString(line);
  problems_->setStringList(shown);
  errors_ = errors;
  summary_->setText(
      errors == 0 ? tr("Valid: %n warning(s). Nothing is created until you press Create.", nullptr,
                       static_cast<int>(lines.size()))
                  : tr("%n error(s): fix them in the file, then validate again.", nullptr, errors));
  update_create();
}

void CreateExerciseDialog::update_create() {
  const bool teams = !teams_->text().trimmed().isEmpty();
  create_->setEnabled(errors_ == 0 && teams);
}

client::NewExercise CreateExerciseDialog::request() const {
  client::NewExercise r;
  r.id = id_->text().trimmed().toStdString();
  r.scenario_yaml = yaml_;
  r.scenario_file = file_->text().toStdString();
  for (const QString& t :
       teams_->text().split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts)) {
    r.teams.push_back(t.toStdString());
  }
  bool ok = false;
  const qulonglong seed = seed_->text().trimmed().toULongLong(&ok);
  if (ok) {
    r.seed = seed;
  } else {
    // A seed not given is drawn at random: fixed seeds make every cohort's answers alike.
    std::random_device device;
    r.seed = (static_cast<std::uint64_t>(device()) << 32) | device();
  }
  return r;
}

}  // namespace cyrange::console
