#include <console/app/cohort_panel.h>

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <client-core/course_client.h>
#include <client-core/scoring_client.h>
#include <client-qt/course_adapter.h>
#include <client-qt/translations.h>
#include <console/app/cohort_filter_proxy.h>
#include <console/app/cohort_model.h>
#include <console/app/review_list_model.h>
#include <console/app/scenario_catalog.h>
#include <console/dialogs/grade_dialog.h>

namespace cyrange::console {
namespace {

// Run changes closer together than this are read as one.
constexpr int kCoalesce = 200;

QTableView* table_of(QAbstractItemModel* model, QWidget* parent) {
  auto* table = new QTableView(parent);
  table->setModel(model);
  table->setSelectionBehavior(QAbstractItemView::SelectRows);
  table->setSelectionMode(QAbstractItemView::SingleSelection);
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->horizontalHeader()->setStretchLastSection(true);
  table->verticalHeader()->hide();
  return table;
}

// The one objective and rubric item the grade dialog offers for a review item.
ScenarioCatalog catalog_of(const client::PendingReviewInfo& review) {
  ObjectiveInfo objective;
  objective.id = review.objective;
  objective.question = review.objective_title;
  objective.max_points = review.points;
  objective.rubric.push_back({review.item, review.points, review.text});
  ScenarioCatalog catalog;
  catalog.objectives.push_back(std::move(objective));
  return catalog;
}

}  // namespace

CohortPanel::CohortPanel(qt::Session* session, client::Language language, QWidget* parent)
    : QWidget(parent),
      session_(session),
      language_(language),
      live_(new qt::CourseAdapter(session, this)) {
  model_ = new CohortModel(this);
  proxy_ = new CohortFilterProxy(this);
  proxy_->setSourceModel(model_);
  reviews_ = new ReviewListModel(this);

  course_box_ = new QComboBox(this);
  course_box_->addItem(tr("All courses"), QString());
  state_box_ = new QComboBox(this);
  state_box_->addItem(tr("All states"), -1);
  using S = client::RunState;
  for (S s : {S::queued, S::starting, S::running, S::paused, S::finished, S::expired, S::failed})
    state_box_->addItem(CohortModel::state_name(s), static_cast<int>(s));
  auto* refresh_button = new QPushButton(tr("Refresh"), this);
  count_ = new QLabel(this);

  table_ = table_of(proxy_, this);
  table_->setSortingEnabled(true);
  table_->sortByColumn(CohortModel::LastChange, Qt::DescendingOrder);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setStretchLastSection(false);
  table_->setWordWrap(false);
  // A failure's detail can be long: the column keeps a fixed width, the tooltip has it all.
  table_->horizontalHeader()->setSectionResizeMode(CohortModel::State, QHeaderView::Interactive);
  table_->setColumnWidth(CohortModel::State, 200);
  table_->setTextElideMode(Qt::ElideRight);

  review_title_ = new QLabel(this);
  review_title_->setWordWrap(true);
  review_table_ = table_of(reviews_, this);
  review_table_->horizontalHeader()->setSectionResizeMode(ReviewListModel::Objective,
                                                          QHeaderView::ResizeToContents);
  review_table_->horizontalHeader()->setSectionResizeMode(ReviewListModel::Item,
                                                          QHeaderView::Stretch);
  review_table_->horizontalHeader()->setStretchLastSection(false);
  grade_ = new QPushButton(tr("Grade…"), this);
  grade_->setToolTip(tr("Grade the selected item as met, beside the trainee's incident report"));

  auto* bar = new QHBoxLayout;
  bar->addWidget(new QLabel(tr("Course:"), this));
  bar->addWidget(course_box_);
  bar->addWidget(new QLabel(tr("State:"), this));
  bar->addWidget(state_box_);
  bar->addWidget(refresh_button);
  bar->addStretch(1);
  bar->addWidget(count_);
  auto* top = new QWidget(this);
  auto* top_layout = new QVBoxLayout(top);
  top_layout->setContentsMargins(0, 0, 0, 0);
  top_layout->addLayout(bar);
  top_layout->addWidget(table_, 1);
  auto* bottom = new QWidget(this);
  auto* bottom_layout = new QVBoxLayout(bottom);
  bottom_layout->setContentsMargins(0, 0, 0, 0);
  auto* review_bar = new QHBoxLayout;
  review_bar->addWidget(review_title_, 1);
  review_bar->addWidget(grade_);
  bottom_layout->addLayout(review_bar);
  bottom_layout->addWidget(review_table_, 1);
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(top);
  split->addWidget(bottom);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(split);

  connect(refresh_button, &QPushButton::clicked, this, &CohortPanel::refresh);
  connect(course_box_, &QComboBox::currentIndexChanged, this,
          [this] { proxy_->setCourse(course_box_->currentData().toString()); });
  connect(state_box_, &QComboBox::currentIndexChanged, this, [this] {
    const int s = state_box_->currentData().toInt();
    proxy_->setState(s < 0 ? std::nullopt : std::optional(static_cast<client::RunState>(s)));
  });
  connect(proxy_, &QAbstractItemModel::rowsInserted, this, [this] { show_reviews(); });
  connect(proxy_, &QAbstractItemModel::rowsRemoved, this, [this] { show_reviews(); });
  connect(proxy_, &QAbstractItemModel::modelReset, this, [this] { show_reviews(); });
  connect(proxy_, &QAbstractItemModel::layoutChanged, this, [this] { show_reviews(); });
  connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this] { show_reviews(); });
  connect(review_table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          &CohortPanel::update_buttons);
  connect(review_table_, &QTableView::activated, this, &CohortPanel::gradeSelected);
  connect(grade_, &QPushButton::clicked, this, &CohortPanel::gradeSelected);
  // A run changed (state, queue, results): read the list again, once per burst of changes
  // (the stream's first list is such a burst). The review items are read with it.
  connect(live_, &qt::CourseAdapter::runChanged, this, [this] {
    if (refresh_pending_) return;
    refresh_pending_ = true;
    QTimer::singleShot(kCoalesce, this, [this] {
      refresh_pending_ = false;
      refresh();
    });
  });
  connect(live_, &qt::CourseAdapter::watchEnded, this, [this](const client::StreamEnd& end) {
    if (end.reason == client::StreamEnd::Reason::failed) emit problem(qt::localized(end.error));
  });
  show_reviews();
}

CohortPanel::~CohortPanel() = default;

void CohortPanel::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (!live_->watching()) live_->watchRuns();
  refresh();
}

void CohortPanel::refresh() {
  const quint64 generation = ++generation_;
  const client::CourseClient courses(session_->connection());
  relay_.then<std::vector<client::CourseRunInfo>>(
      courses.runs_async(),
      [this, generation](const Expected<std::vector<client::CourseRunInfo>>& runs) {
        if (generation != generation_) return;
        if (!runs) {
          emit problem(qt::localized(runs.error()));
          return;
        }
        relay_.then<client::ReviewQueue>(
            client::CourseClient(session_->connection()).reviews_async(),
            [this, generation, runs = *runs](const Expected<client::ReviewQueue>& queue) {
              if (generation != generation_) return;
              if (!queue) emit problem(qt::localized(queue.error()));
              const qint64 selected = shown_run_;
              model_->set(runs, queue ? *queue : client::ReviewQueue{});
              fill_courses();
              if (selected == 0 || !selectRun(selected)) show_reviews();
              count_->setText(tr("%1 of %2 runs shown").arg(proxy_->rowCount()).arg(runs.size()));
              emit refreshed();
            });
      });
}

void CohortPanel::fill_courses() {
  QSignalBlocker block(course_box_);
  const QString chosen = course_box_->currentData().toString();
  while (course_box_->count() > 1) course_box_->removeItem(1);
  for (const QString& c : model_->courses()) course_box_->addItem(c, c);
  const int index = course_box_->findData(chosen);
  course_box_->setCurrentIndex(std::max(0, index));
  if (index < 0) proxy_->setCourse({});
}

bool CohortPanel::selectRun(qint64 id) {
  const int row = model_->row_of(id);
  if (row < 0) return false;
  const QModelIndex shown = proxy_->mapFromSource(model_->index(row, 0));
  if (!shown.isValid()) return false;
  table_->setCurrentIndex(shown);
  table_->selectRow(shown.row());
  show_reviews();
  return true;
}

void CohortPanel::show_reviews() {
  count_->setText(tr("%1 of %2 runs shown").arg(proxy_->rowCount()).arg(model_->rowCount()));
  const QModelIndex current = proxy_->mapToSource(table_->currentIndex());
  const auto* run = current.isValid() ? model_->at(current.row()) : nullptr;
  shown_run_ = run ? run->id : 0;
  if (run == nullptr) {
    reviews_->set({}, language_);
    review_title_->setText(tr("Select a run to see the rubric items that wait for review."));
  } else {
    const auto items = model_->reviews_of(run->id);
    reviews_->set(items, language_);
    const QString who = QString::fromStdString(run->user);
    const QString course = QString::fromStdString(run->course_id);
    if (!model_->reviews_known(run->id))
      review_title_->setText(
          model_->data(current.siblingAtColumn(CohortModel::Reviews), Qt::ToolTipRole).toString());
    else if (run->exercise_id.empty())
      review_title_->setText(
          tr("%1's run of %2 has not started; nothing waits for review.").arg(who, course));
    else if (items.empty())
      review_title_->setText(
          tr("No rubric item of %1's run of %2 waits for review.").arg(who, course));
    else
      review_title_->setText(tr("Waiting for review in %1's run of %2 (team %3):")
                                 .arg(who, course, QString::fromStdString(run->team)));
    if (!items.empty() && !review_table_->currentIndex().isValid()) review_table_->selectRow(0);
  }
  update_buttons();
}

void CohortPanel::update_buttons() {
  grade_->setEnabled(reviews_->at(review_table_->currentIndex().row()) != nullptr);
}

void CohortPanel::gradeSelected() {
  const auto* chosen = reviews_->at(review_table_->currentIndex().row());
  if (chosen == nullptr) return;
  const client::PendingReviewInfo review = *chosen;
  const ScenarioCatalog catalog = catalog_of(review);
  const QString team = QString::fromStdString(review.team);
  GradeDialog dialog(catalog, {team}, language_, this);
  const auto* run = model_->at(model_->row_of(review.run_id));
  dialog.setWindowTitle(
      tr("Review an item of %1's run").arg(run ? QString::fromStdString(run->user) : team));
  dialog.fill(team, QString::fromStdString(review.objective), QString::fromStdString(review.item),
              QString(), QString());
  dialog.showReportsOf(session_->connection(), QString::fromStdString(review.exercise_id));
  if (dialog.exec() != QDialog::Accepted) return;
  const client::ScoringClient scoring(session_->connection());
  relay_.then<client::ScoringReply>(
      scoring.grade_rubric_async(review.exercise_id, review.team, review.objective, review.item,
                                 dialog.note().toStdString(), dialog.evidence().toStdString()),
      [this](const Expected<client::ScoringReply>& reply) {
        if (!reply) {
          emit problem(qt::localized(reply.error()));
          return;
        }
        emit notice(qt::localized(reply->message));
        refresh();  // the run's score and its waiting items change
      });
}

}  // namespace cyrange::console
