#include <console/dialogs/reveal_solution_dialog.h>

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace cyrange::console {

RevealSolutionDialog::RevealSolutionDialog(const ScenarioCatalog& catalog, const QStringList& teams,
                                           client::Language language, SolvedFn solved,
                                           QWidget* parent)
    : QDialog(parent),
      catalog_(catalog),
      all_teams_(teams),
      language_(language),
      solved_(std::move(solved)) {
  setWindowTitle(tr("Reveal a solution"));
  team_ = new QComboBox(this);
  team_->addItem(tr("All teams"), QString());
  for (const QString& t : teams) team_->addItem(t, t);
  objective_ = new QComboBox(this);
  for (const auto& o : catalog.objectives) {
    if (o.solution.ja.empty() && o.solution.en.empty()) continue;
    objective_->addItem(
        QStringLiteral("%1 — %2").arg(QString::fromStdString(o.id),
                                      QString::fromStdString(o.question.in(language))),
        QString::fromStdString(o.id));
  }
  solution_ = new QLabel(this);
  solution_->setObjectName(QStringLiteral("solution"));
  solution_->setWordWrap(true);
  solution_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
  solution_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  solution_->setFrameShape(QFrame::StyledPanel);
  solution_->setMargin(6);
  cost_ = new QLabel(this);
  cost_->setObjectName(QStringLiteral("cost"));
  cost_->setWordWrap(true);
  auto* form = new QFormLayout;
  form->addRow(tr("Team"), team_);
  form->addRow(tr("Objective"), objective_);
  auto* solution_title = new QLabel(tr("Solution"), this);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
  auto* reveal = buttons->addButton(tr("Reveal"), QDialogButtonBox::AcceptRole);
  reveal->setEnabled(objective_->count() > 0);
  connect(reveal, &QPushButton::clicked, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(objective_, &QComboBox::currentIndexChanged, this, &RevealSolutionDialog::show_choice);
  connect(team_, &QComboBox::currentIndexChanged, this, &RevealSolutionDialog::show_choice);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(solution_title);
  layout->addWidget(solution_, 1);
  layout->addWidget(cost_);
  layout->addWidget(buttons);
  show_choice();
  resize(640, 320);
}

QStringList RevealSolutionDialog::teams() const {
  const QString one = team_->currentData().toString();
  return one.isEmpty() ? all_teams_ : QStringList{one};
}

QString RevealSolutionDialog::objective() const { return objective_->currentData().toString(); }

QStringList RevealSolutionDialog::teamsLosingPoints() const {
  QStringList out;
  for (const QString& team : teams())
    if (!solved_(team, objective())) out << team;
  return out;
}

QString RevealSolutionDialog::costText() const { return cost_->text(); }

void RevealSolutionDialog::show_choice() {
  const auto* o = catalog_.objective(objective().toStdString());
  solution_->setText(o ? QString::fromStdString(o->solution.in(language_))
                       : tr("No objective of this scenario has a solution text."));
  if (!o) {
    cost_->clear();
    return;
  }
  const QStringList losing = teamsLosingPoints();
  if (losing.isEmpty()) {
    cost_->setText(
        tr("Every chosen team solved this objective already: the reveal costs "
           "nothing."));
    return;
  }
  cost_->setText(tr("%n team(s) have not solved this objective yet (%1): solving it after the "
                    "reveal earns them no points, so each can lose up to %2 points.",
                    nullptr, static_cast<int>(losing.size()))
                     .arg(losing.join(QStringLiteral(", ")))
                     .arg(o->max_points));
}

void RevealSolutionDialog::choose(const QString& team, const QString& objective) {
  team_->setCurrentIndex(std::max(0, team_->findData(team)));
  objective_->setCurrentIndex(objective_->findData(objective));
}

}  // namespace cyrange::console
