#include <console/dialogs/push_hint_dialog.h>

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace cyrange::console {

PushHintDialog::PushHintDialog(const ScenarioCatalog& catalog, const QStringList& teams,
                               client::Language language, QWidget* parent)
    : QDialog(parent), catalog_(catalog), all_teams_(teams), language_(language) {
  setWindowTitle(tr("Push a hint"));
  team_ = new QComboBox(this);
  team_->addItem(tr("All teams"), QString());
  for (const QString& t : teams) team_->addItem(t, t);
  objective_ = new QComboBox(this);
  for (const auto& o : catalog.objectives) {
    if (o.hints.empty()) continue;
    objective_->addItem(
        QStringLiteral("%1 — %2").arg(QString::fromStdString(o.id),
                                      QString::fromStdString(o.question.in(language))),
        QString::fromStdString(o.id));
  }
  hint_ = new QComboBox(this);
  cost_ = new QLabel(this);
  cost_->setWordWrap(true);
  auto* form = new QFormLayout;
  form->addRow(tr("Team"), team_);
  form->addRow(tr("Objective"), objective_);
  form->addRow(tr("Hint"), hint_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
  auto* push = buttons->addButton(tr("Push hint"), QDialogButtonBox::AcceptRole);
  connect(push, &QPushButton::clicked, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(objective_, &QComboBox::currentIndexChanged, this, &PushHintDialog::fill_hints);
  connect(hint_, &QComboBox::currentIndexChanged, this, &PushHintDialog::show_cost);
  connect(team_, &QComboBox::currentIndexChanged, this, &PushHintDialog::show_cost);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(cost_);
  layout->addWidget(buttons);
  fill_hints();
}

void PushHintDialog::fill_hints() {
  hint_->clear();
  if (const auto* o = catalog_.objective(objective().toStdString())) {
    for (const auto& h : o->hints) {
      hint_->addItem(QStringLiteral("%1 (−%2) — %3")
                         .arg(QString::fromStdString(h.id))
                         .arg(h.penalty)
                         .arg(QString::fromStdString(h.text.in(language_)).left(60)),
                     QString::fromStdString(h.id));
    }
  }
  show_cost();
}

void PushHintDialog::show_cost() {
  const int n = static_cast<int>(teams().size());
  cost_->setText(tr("Each of the %n team(s) loses %1 points; a team that already took this "
                    "hint is not charged again.",
                    nullptr, n)
                     .arg(penalty()));
}

QStringList PushHintDialog::teams() const {
  const QString one = team_->currentData().toString();
  return one.isEmpty() ? all_teams_ : QStringList{one};
}

QString PushHintDialog::objective() const { return objective_->currentData().toString(); }

QString PushHintDialog::hint() const { return hint_->currentData().toString(); }

int PushHintDialog::penalty() const {
  if (const auto* o = catalog_.objective(objective().toStdString())) {
    for (const auto& h : o->hints) {
      if (QString::fromStdString(h.id) == hint()) return h.penalty;
    }
  }
  return 0;
}

void PushHintDialog::choose(const QString& team, const QString& objective, const QString& hint) {
  team_->setCurrentIndex(std::max(0, team_->findData(team)));
  objective_->setCurrentIndex(objective_->findData(objective));
  hint_->setCurrentIndex(hint_->findData(hint));
}

}  // namespace cyrange::console
