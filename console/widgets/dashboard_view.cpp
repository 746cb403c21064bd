#include <console/widgets/dashboard_view.h>

#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QListView>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <console/models/attention_model.h>
#include <console/models/board_model.h>
#include <console/models/dashboard_model.h>
#include <console/models/feed_filter_proxy.h>
#include <console/models/feed_model.h>
#include <console/models/matrix_model.h>
#include <console/models/model_roles.h>
#include <console/models/team_selection.h>
#include <console/widgets/score_chart.h>

namespace cyrange::console {

namespace {

// Rows are one line high, fixed: a header in ResizeToContents mode measures every cell of
// the table again on each dataChanged, which under a burst of solves kept the GUI thread
// busy for seconds (cyrange-bench-console, docs/benchmarks.md).
QTableView* table(QAbstractItemModel* model, QWidget* parent) {
  auto* view = new QTableView(parent);
  view->setModel(model);
  view->setEditTriggers(QAbstractItemView::NoEditTriggers);
  view->setSelectionMode(QAbstractItemView::SingleSelection);
  view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  return view;
}

// Columns fit their contents when rows, columns or headers change, and at most once a
// second while the cells change; in between the instructor may widen them by hand.
void fit_columns(QTableView* view) {
  view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
  auto* model = view->model();
  const auto fit_now = [view] { view->resizeColumnsToContents(); };
  QObject::connect(model, &QAbstractItemModel::modelReset, view, fit_now);
  QObject::connect(model, &QAbstractItemModel::rowsInserted, view, fit_now);
  QObject::connect(model, &QAbstractItemModel::columnsInserted, view, fit_now);
  QObject::connect(model, &QAbstractItemModel::headerDataChanged, view, fit_now);
  auto* later = new QTimer(view);
  later->setSingleShot(true);
  later->setInterval(1000);
  QObject::connect(later, &QTimer::timeout, view, fit_now);
  QObject::connect(model, &QAbstractItemModel::dataChanged, later, [later] {
    if (!later->isActive()) later->start();
  });
}

QWidget* titled(const QString& title, QWidget* content, QWidget* parent) {
  auto* box = new QGroupBox(title, parent);
  auto* layout = new QVBoxLayout(box);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(content);
  return box;
}

}  // namespace

DashboardView::DashboardView(DashboardModel* dashboard, QWidget* parent)
    : QWidget(parent), dashboard_(dashboard) {
  selection_ = new TeamSelection(this);
  matrix_ = new MatrixModel(dashboard, selection_, this);
  board_ = new BoardModel(dashboard, selection_, this);
  feed_ = new FeedModel(dashboard, selection_, this);
  feed_filter_ = new FeedFilterProxy(this);
  feed_filter_->setSourceModel(feed_);
  attention_ = new AttentionModel(dashboard, selection_, this);

  matrix_view_ = table(matrix_, this);
  matrix_view_->setSelectionBehavior(QAbstractItemView::SelectItems);
  fit_columns(matrix_view_);
  board_view_ = table(board_, this);
  board_view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  fit_columns(board_view_);
  board_view_->horizontalHeader()->setStretchLastSection(true);
  feed_view_ = table(feed_filter_, this);
  feed_view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  feed_view_->horizontalHeader()->setStretchLastSection(true);
  // A feed row with evidence replays it; any other row opens its team's details.
  connect(feed_view_, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
    const QString link = index.data(EvidenceRole).toString();
    if (!link.isEmpty()) return emit evidenceRequested(link);
    const QString team = index.data(TeamRole).toString();
    if (!team.isEmpty()) emit teamDetailsRequested(team);
  });
  chart_ = new ScoreChart(dashboard, this);
  chart_->setMinimumHeight(220);

  attention_view_ = new QListView(this);
  attention_view_->setModel(attention_);
  attention_view_->setWordWrap(true);
  auto* acknowledge = new QPushButton(tr("Acknowledge"), this);
  connect(acknowledge, &QPushButton::clicked, this, [this] {
    const QModelIndex current = attention_view_->currentIndex();
    if (current.isValid()) attention_->acknowledge(current.row());
  });
  auto* attention_box = new QWidget(this);
  auto* attention_layout = new QVBoxLayout(attention_box);
  attention_layout->setContentsMargins(0, 0, 0, 0);
  attention_layout->addWidget(attention_view_, 1);
  attention_layout->addWidget(acknowledge);

  // Feed filters: one team or all; one kind of event or all.
  team_filter_ = new QComboBox(this);
  kind_filter_ = new QComboBox(this);
  kind_filter_->addItem(tr("All events"), -1);
  const std::pair<FeedKind, QString> kinds[] = {
      {FeedKind::solve, tr("Solves")},
      {FeedKind::wrong_answer, tr("Wrong answers")},
      {FeedKind::hint, tr("Hints")},
      {FeedKind::inject, tr("Injects")},
      {FeedKind::service_down, tr("Services down")},
      {FeedKind::provisioning_failed, tr("Hosts not ready")},
  };
  for (const auto& [kind, name] : kinds) kind_filter_->addItem(name, static_cast<int>(kind));
  fill_team_filter();
  connect(dashboard, &DashboardModel::teamsInserted, this, &DashboardView::fill_team_filter);
  connect(team_filter_, &QComboBox::currentIndexChanged, this,
          [this] { feed_filter_->setTeam(team_filter_->currentData().toString()); });
  connect(kind_filter_, &QComboBox::currentIndexChanged, this, [this] {
    const int kind = kind_filter_->currentData().toInt();
    feed_filter_->setKinds(kind < 0 ? QSet<FeedKind>{}
                                    : QSet<FeedKind>{static_cast<FeedKind>(kind)});
  });
  auto* feed_box = new QWidget(this);
  auto* feed_layout = new QVBoxLayout(feed_box);
  feed_layout->setContentsMargins(0, 0, 0, 0);
  auto* filters = new QHBoxLayout;
  filters->addWidget(new QLabel(tr("Team"), this));
  filters->addWidget(team_filter_);
  filters->addWidget(new QLabel(tr("Show"), this));
  filters->addWidget(kind_filter_);
  filters->addStretch(1);
  feed_layout->addLayout(filters);
  feed_layout->addWidget(feed_view_, 1);

  // Linked views: a team chosen anywhere is the team everywhere.
  for (QTableView* view : {matrix_view_, board_view_, feed_view_}) {
    connect(view, &QTableView::clicked, this, &DashboardView::select_team_of);
  }
  connect(attention_view_, &QListView::clicked, this, &DashboardView::select_team_of);
  for (QAbstractItemView* view : std::initializer_list<QAbstractItemView*>{
           matrix_view_, board_view_, feed_view_, attention_view_})
    offer_team_details(view);
  // The matrix names its teams in the row header.
  connect(matrix_view_->verticalHeader(), &QHeaderView::sectionDoubleClicked, this,
          [this](int section) {
            const QString team = matrix_->headerData(section, Qt::Vertical, TeamRole).toString();
            if (!team.isEmpty()) emit teamDetailsRequested(team);
          });
  connect(selection_, &TeamSelection::teamChanged, chart_,
          [this](const QString& team) { chart_->highlight(team); });

  auto* top = new QSplitter(Qt::Horizontal, this);
  top->addWidget(titled(tr("Teams × objectives"), matrix_view_, top));
  auto* right = new QSplitter(Qt::Vertical, top);
  right->addWidget(titled(tr("Scoreboard"), board_view_, right));
  right->addWidget(chart_);
  top->addWidget(right);
  top->setStretchFactor(0, 3);
  top->setStretchFactor(1, 2);
  auto* bottom = new QSplitter(Qt::Horizontal, this);
  bottom->addWidget(titled(tr("Events"), feed_box, bottom));
  bottom->addWidget(titled(tr("Needs attention"), attention_box, bottom));
  bottom->setStretchFactor(0, 3);
  bottom->setStretchFactor(1, 1);
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(top);
  split->addWidget(bottom);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(split);
}

void DashboardView::select_team_of(const QModelIndex& index) {
  const QString team = index.data(TeamRole).toString();
  if (!team.isEmpty()) selection_->setTeam(team);
}

void DashboardView::offer_team_details(QAbstractItemView* view) {
  if (view != feed_view_) {
    connect(view, &QAbstractItemView::doubleClicked, this, [this](const QModelIndex& index) {
      const QString team = index.data(TeamRole).toString();
      if (!team.isEmpty()) emit teamDetailsRequested(team);
    });
  }
  view->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(view, &QWidget::customContextMenuRequested, this, [this, view](const QPoint& at) {
    const QString team = view->indexAt(at).data(TeamRole).toString();
    if (team.isEmpty()) return;
    selection_->setTeam(team);
    QMenu menu(view);
    menu.addAction(tr("Team details: %1").arg(team), this,
                   [this, team] { emit teamDetailsRequested(team); });
    menu.exec(view->viewport()->mapToGlobal(at));
  });
}

void DashboardView::fill_team_filter() {
  const QString current = team_filter_->currentData().toString();
  team_filter_->blockSignals(true);
  team_filter_->clear();
  team_filter_->addItem(tr("All teams"), QString());
  for (const auto& team : dashboard_->state().teams())
    team_filter_->addItem(QString::fromStdString(team), QString::fromStdString(team));
  team_filter_->setCurrentIndex(std::max(0, team_filter_->findData(current)));
  team_filter_->blockSignals(false);
}

}  // namespace cyrange::console
