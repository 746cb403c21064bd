#include <trainee-client/app/tasks_panel.h>

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

#include <client-qt/session.h>
#include <client-qt/translations.h>

namespace cyrange::trainee {

namespace {

// State as text and symbol, never colour alone.
QString state_of(const client::Task& task) {
  switch (task.status) {
    case client::ObjectiveStatus::solved:
      return TasksPanel::tr("✓ solved");
    case client::ObjectiveStatus::partial:
      return TasksPanel::tr("◐ partly solved");
    default:
      return TasksPanel::tr("○ open");
  }
}

QString answer_hint(client::AnswerType type) {
  switch (type) {
    case client::AnswerType::number:
      return TasksPanel::tr("Answer with a number");
    case client::AnswerType::check_only:
      return TasksPanel::tr("Nothing to type: do it on the range; it is checked there");
    case client::AnswerType::report_rubric:
      return TasksPanel::tr("Answered by your incident report; the instructor grades it");
    default:
      return TasksPanel::tr("Type your answer");
  }
}

bool typed(client::AnswerType type) {
  return type == client::AnswerType::text || type == client::AnswerType::number;
}

}  // namespace

TasksPanel::TasksPanel(qt::Session* session, Day day, QWidget* parent)
    : QWidget(parent),
      scoring_(session->connection()),
      day_(std::move(day)),
      list_(new QListWidget(this)),
      question_(new QLabel(this)),
      progress_(new QLabel(this)),
      part_(new QComboBox(this)),
      answer_(new QLineEdit(this)),
      submit_(new QPushButton(tr("Submit answer"), this)),
      verdict_(new QLabel(this)),
      hints_(new QVBoxLayout),
      solution_(new QLabel(this)),
      coalesce_(new QTimer(this)) {
  setObjectName(QStringLiteral("tasks"));
  list_->setObjectName(QStringLiteral("task-list"));
  question_->setObjectName(QStringLiteral("task-question"));
  answer_->setObjectName(QStringLiteral("answer"));
  submit_->setObjectName(QStringLiteral("submit-answer"));
  verdict_->setObjectName(QStringLiteral("verdict"));
  solution_->setObjectName(QStringLiteral("solution"));
  for (QLabel* label : {question_, progress_, verdict_, solution_}) {
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  }
  QFont larger = question_->font();
  larger.setPointSizeF(larger.pointSizeF() * 1.15);
  question_->setFont(larger);

  auto* detail = new QWidget(this);
  auto* detail_layout = new QVBoxLayout(detail);
  detail_layout->addWidget(question_);
  detail_layout->addWidget(progress_);
  auto* answer_row = new QHBoxLayout;
  answer_row->addWidget(part_);
  answer_row->addWidget(answer_, 1);
  answer_row->addWidget(submit_);
  detail_layout->addLayout(answer_row);
  detail_layout->addWidget(verdict_);
  auto* hints_box = new QGroupBox(tr("Hints"), detail);
  hints_box->setLayout(hints_);
  detail_layout->addWidget(hints_box);
  detail_layout->addWidget(solution_);
  detail_layout->addStretch(1);
  auto* scroll = new QScrollArea(this);
  scroll->setWidgetResizable(true);
  scroll->setWidget(detail);

  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(list_);
  split->addWidget(scroll);
  split->setStretchFactor(1, 3);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(split);

  coalesce_->setSingleShot(true);
  coalesce_->setInterval(200);
  connect(coalesce_, &QTimer::timeout, this, &TasksPanel::fetch);
  connect(list_, &QListWidget::currentRowChanged, this, [this](int row) {
    if (row >= 0 && row < static_cast<int>(tasks_.size())) {
      selected_ = QString::fromStdString(tasks_[static_cast<std::size_t>(row)].objective);
      verdict_->clear();
      confirming_.clear();
      show_selected();
    }
  });
  connect(submit_, &QPushButton::clicked, this, &TasksPanel::submit);
  connect(answer_, &QLineEdit::returnPressed, this, &TasksPanel::submit);
  show_selected();
}

void TasksPanel::refresh() {
  if (!coalesce_->isActive()) coalesce_->start();
}

void TasksPanel::fetch() {
  relay_.then<client::TaskList>(scoring_.list_tasks_async(day_.exercise.toStdString()),
                                [this](const Expected<client::TaskList>& list) {
                                  if (!list) {
                                    verdict_->setText(qt::localized(list.error()));
                                    return;
                                  }
                                  show_tasks(list->tasks);
                                });
}

void TasksPanel::show_tasks(const std::vector<client::Task>& tasks) {
  tasks_ = tasks;
  const QSignalBlocker quiet(list_);
  list_->clear();
  int selected_row = -1;
  for (const auto& task : tasks_) {
    const QString id = QString::fromStdString(task.objective);
    list_->addItem(tr("%1  %2 — %3/%4 points")
                       .arg(state_of(task), id)
                       .arg(task.points)
                       .arg(task.points_available));
    if (id == selected_) selected_row = list_->count() - 1;
  }
  if (selected_row < 0 && !tasks_.empty()) {
    selected_row = 0;
    selected_ = QString::fromStdString(tasks_.front().objective);
  }
  list_->setCurrentRow(selected_row);
  show_selected();
  emit updated();
}

const client::Task* TasksPanel::selected() const {
  for (const auto& task : tasks_)
    if (QString::fromStdString(task.objective) == selected_) return &task;
  return nullptr;
}

void TasksPanel::select(const QString& objective) {
  for (int row = 0; row < static_cast<int>(tasks_.size()); ++row)
    if (QString::fromStdString(tasks_[static_cast<std::size_t>(row)].objective) == objective)
      list_->setCurrentRow(row);
}

QString TasksPanel::verdict() const { return verdict_->text(); }

void TasksPanel::show_selected() {
  while (QLayoutItem* item = hints_->takeAt(0)) {
    delete item->widget();
    delete item;
  }
  const client::Task* task = selected();
  if (!task) {
    question_->setText(tasks_.empty() ? tr("Waiting for your tasks…") : QString());
    progress_->clear();
    part_->hide();
    answer_->setEnabled(false);
    submit_->setEnabled(false);
    solution_->clear();
    return;
  }
  question_->setText(qt::localized(task->question));
  const QString attempts = task->attempts_left
                               ? tr("wrong answers: %1, attempts left: %2")
                                     .arg(task->wrong_attempts)
                                     .arg(*task->attempts_left)
                               : tr("wrong answers: %1 (no limit)").arg(task->wrong_attempts);
  progress_->setText(tr("%1 · %2 of %3 points · %4")
                         .arg(state_of(*task))
                         .arg(task->points)
                         .arg(task->points_available)
                         .arg(attempts));
  // Parts: one entry per unsolved typed part; a task without parts answers as a whole.
  const QString previous_part = part_->currentData().toString();
  part_->clear();
  client::AnswerType type = task->answer_type;
  bool parts_used_up = false;  // typed parts remain, but none may be answered any more
  for (const auto& part : task->parts) {
    if (part.solved || !typed(part.answer_type)) continue;
    // A part counts its own attempts when the scenario limits it on its own.
    if (part.attempts_left && *part.attempts_left <= 0) {
      parts_used_up = true;
      continue;
    }
    const QString label =
        part.attempts_left
            ? tr("%1 (%2 points, attempts left: %3)")
                  .arg(QString::fromStdString(part.id))
                  .arg(part.points)
                  .arg(*part.attempts_left)
            : QStringLiteral("%1 (%2)").arg(QString::fromStdString(part.id)).arg(part.points);
    part_->addItem(label, QString::fromStdString(part.id));
    part_->setItemData(part_->count() - 1, qt::localized(part.question), Qt::ToolTipRole);
  }
  if (part_->count() > 0) parts_used_up = false;
  part_->setVisible(part_->count() > 0);
  if (part_->count() > 0) {
    type = client::AnswerType::text;
    const int again = part_->findData(previous_part);
    if (again >= 0) part_->setCurrentIndex(again);
  }
  const bool can_answer = task->status != client::ObjectiveStatus::solved && !parts_used_up &&
                          (typed(type) || part_->count() > 0) &&
                          (!task->attempts_left || *task->attempts_left > 0);
  answer_->setEnabled(can_answer);
  submit_->setEnabled(can_answer);
  answer_->setPlaceholderText(answer_hint(type));
  if (((task->attempts_left && *task->attempts_left == 0) || parts_used_up) &&
      task->status != client::ObjectiveStatus::solved)
    answer_->setPlaceholderText(tr("No attempts left for this task"));

  for (const auto& hint : task->hints) add_hint_row(*task, hint);
  if (task->hints.empty()) hints_->addWidget(new QLabel(tr("This task has no hints.")));
  solution_->setText(
      task->solution_revealed
          ? tr("Solution (shown by your instructor): %1").arg(qt::localized(task->solution))
          : QString());
}

void TasksPanel::add_hint_row(const client::Task& task, const client::TaskHint& hint) {
  const QString objective = QString::fromStdString(task.objective);
  const QString id = QString::fromStdString(hint.id);
  auto* row = new QWidget;
  row->setObjectName(QStringLiteral("hint:") + id);
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  if (hint.taken) {
    auto* text = new QLabel(
        tr("%1 (−%2 points): %3").arg(id).arg(hint.penalty).arg(qt::localized(hint.text)), row);
    text->setWordWrap(true);
    text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(text, 1);
    hints_->addWidget(row);
    return;
  }
  // The cost is stated and confirmed in place before the hint is taken.
  auto* take = new QPushButton(tr("Take %1 (−%2 points)…").arg(id).arg(hint.penalty), row);
  take->setObjectName(QStringLiteral("take"));
  auto* confirm_text = new QLabel(
      tr("Taking %1 costs your team %2 points. Take it?").arg(id).arg(hint.penalty), row);
  auto* confirm = new QPushButton(tr("Yes, take it"), row);
  confirm->setObjectName(QStringLiteral("confirm"));
  auto* cancel = new QPushButton(tr("Cancel"), row);
  layout->addWidget(take);
  layout->addWidget(confirm_text, 1);
  layout->addWidget(confirm);
  layout->addWidget(cancel);
  layout->addStretch(0);
  // The question stays open across refreshes (the rows are redrawn when the score moves).
  const auto asking = [take, confirm_text, confirm, cancel](bool ask) {
    take->setVisible(!ask);
    confirm_text->setVisible(ask);
    confirm->setVisible(ask);
    cancel->setVisible(ask);
  };
  asking(confirming_ == id);
  connect(take, &QPushButton::clicked, row, [this, id, asking] {
    confirming_ = id;
    asking(true);
  });
  connect(cancel, &QPushButton::clicked, row, [this, asking] {
    confirming_.clear();
    asking(false);
  });
  connect(confirm, &QPushButton::clicked, this, [this, objective, id, confirm] {
    confirm->setEnabled(false);
    confirming_.clear();
    take_hint(objective, id);
  });
  hints_->addWidget(row);
}

void TasksPanel::take_hint(const QString& objective, const QString& hint) {
  emit action(client::TraineeEventKind::hint, objective + QLatin1Char('/') + hint, QString());
  relay_.then<client::ScoringReply>(
      scoring_.take_hint_async(day_.exercise.toStdString(), objective.toStdString(),
                               hint.toStdString()),
      [this](const Expected<client::ScoringReply>& reply) {
        const QString text = reply ? qt::localized(reply->message) : qt::localized(reply.error());
        verdict_->setText(text);
        emit answered(text);
        fetch();
      });
}

void TasksPanel::submit() {
  const client::Task* task = selected();
  const QString answer = answer_->text().trimmed();
  if (!task || answer.isEmpty() || !submit_->isEnabled()) return;
  const QString objective = QString::fromStdString(task->objective);
  const QString part = part_->isVisible() ? part_->currentData().toString() : QString();
  submit_->setEnabled(false);
  verdict_->setText(tr("Checking your answer…"));
  emit action(client::TraineeEventKind::answer,
              part.isEmpty() ? objective : objective + QLatin1Char('/') + part, answer);
  relay_.then<client::ScoringReply>(
      scoring_.submit_answer_async(day_.exercise.toStdString(), objective.toStdString(),
                                   part.toStdString(), answer.toStdString()),
      [this](const Expected<client::ScoringReply>& reply) {
        submit_->setEnabled(true);
        if (!reply) {
          verdict_->setText(qt::localized(reply.error()));
          emit answered(verdict_->text());
          return;
        }
        QString mark;
        switch (reply->verdict) {
          case client::Verdict::correct:
          case client::Verdict::part_correct:
            mark = QStringLiteral("✓ ");
            answer_->clear();
            break;
          case client::Verdict::wrong:
            mark = QStringLiteral("✗ ");
            break;
          default:
            break;
        }
        verdict_->setText(mark + qt::localized(reply->message));
        emit answered(verdict_->text());
        fetch();
      });
}

}  // namespace cyrange::trainee
