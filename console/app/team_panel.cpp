#include <console/app/team_panel.h>

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <client-qt/analytics_adapter.h>
#include <client-qt/exercise_adapter.h>
#include <client-qt/translations.h>
#include <console/app/team_activity_model.h>
#include <console/app/timeline_model.h>

namespace cyrange::console {

namespace {

QTableView* read_only_table(QAbstractItemModel* model, QWidget* parent) {
  auto* view = new QTableView(parent);
  view->setModel(model);
  view->setSelectionBehavior(QAbstractItemView::SelectRows);
  view->setEditTriggers(QAbstractItemView::NoEditTriggers);
  view->horizontalHeader()->setStretchLastSection(true);
  view->verticalHeader()->hide();
  return view;
}

}  // namespace

TeamPanel::TeamPanel(qt::Session* session, QWidget* parent)
    : QWidget(parent),
      analytics_api_(new qt::AnalyticsAdapter(session, this)),
      range_api_(new qt::ExerciseAdapter(session, this)),
      activity_(new TeamActivityModel(this)),
      hosts_(new QStandardItemModel(0, 5, this)),
      title_(new QLabel(this)),
      range_state_(new QLabel(this)),
      numbers_(new QLabel(this)),
      truncated_(new QLabel(this)),
      coalesce_(new QTimer(this)) {
  hosts_->setHorizontalHeaderLabels(
      {tr("Host"), tr("State"), tr("Role"), tr("Addresses"), tr("Trainee terminal")});
  activity_view_ = read_only_table(activity_, this);
  activity_view_->horizontalHeader()->setStretchLastSection(false);
  activity_view_->horizontalHeader()->setSectionResizeMode(TeamActivityModel::Detail,
                                                           QHeaderView::Stretch);
  hosts_view_ = read_only_table(hosts_, this);
  numbers_->setObjectName(QStringLiteral("team-numbers"));
  numbers_->setWordWrap(true);
  numbers_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  truncated_->setWordWrap(true);
  truncated_->hide();
  QFont big = title_->font();
  big.setPointSizeF(big.pointSizeF() * 1.3);
  big.setBold(true);
  title_->setFont(big);

  auto* refresh_button = new QPushButton(tr("Refresh"), this);
  auto* recordings = new QPushButton(tr("Terminal recordings…"), this);
  recordings->setToolTip(tr("Replay this team's terminals, or ask to watch them live"));
  auto* bar = new QHBoxLayout;
  bar->addWidget(title_);
  bar->addWidget(range_state_);
  bar->addStretch(1);
  bar->addWidget(recordings);
  bar->addWidget(refresh_button);

  auto* upper = new QWidget(this);
  auto* upper_layout = new QHBoxLayout(upper);
  upper_layout->setContentsMargins(0, 0, 0, 0);
  auto* hosts_box = new QVBoxLayout;
  hosts_box->addWidget(new QLabel(tr("Hosts of the team's range"), this));
  hosts_box->addWidget(hosts_view_, 1);
  auto* numbers_box = new QVBoxLayout;
  numbers_box->addWidget(new QLabel(tr("Numbers"), this));
  numbers_box->addWidget(numbers_);
  numbers_box->addStretch(1);
  upper_layout->addLayout(hosts_box, 3);
  upper_layout->addLayout(numbers_box, 2);
  auto* lower = new QWidget(this);
  auto* lower_layout = new QVBoxLayout(lower);
  lower_layout->setContentsMargins(0, 0, 0, 0);
  lower_layout->addWidget(new QLabel(tr("Activity since the start (commands, answers, hints, "
                                        "report edits and score changes)"),
                                     this));
  lower_layout->addWidget(truncated_);
  lower_layout->addWidget(activity_view_, 1);
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(upper);
  split->addWidget(lower);
  split->setStretchFactor(1, 3);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(bar);
  layout->addWidget(split, 1);

  // Board changes come in bursts; one read after the burst is enough.
  coalesce_->setSingleShot(true);
  coalesce_->setInterval(2000);
  connect(coalesce_, &QTimer::timeout, this, &TeamPanel::refresh);
  connect(refresh_button, &QPushButton::clicked, this, &TeamPanel::refresh);
  connect(recordings, &QPushButton::clicked, this, [this] { emit recordingsRequested(team_); });
  connect(analytics_api_, &qt::AnalyticsAdapter::activityReady, this,
          [this](quint64 ticket, const client::TeamActivityView& a) {
            if (ticket != activity_ticket_) return;  // for another team
            activity_->set(a);
            truncated_->setText(tr("Only the latest %n steps are shown.", nullptr,
                                   static_cast<int>(a.entries.size())));
            truncated_->setVisible(a.truncated);
            activity_view_->scrollToBottom();
            arrived();
          });
  connect(analytics_api_, &qt::AnalyticsAdapter::analyticsReady, this,
          [this](quint64 ticket, const client::ExerciseAnalyticsView& a) {
            if (ticket != analytics_ticket_) return;
            show_numbers(a);
            arrived();
          });
  connect(range_api_, &qt::ExerciseAdapter::ranges, this,
          [this](quint64 ticket, const std::vector<client::TeamRangeView>& r) {
            if (ticket != ranges_ticket_) return;
            show_hosts(r);
            arrived();
          });
  const auto failed = [this](quint64, const Error& e) {
    emit problem(qt::localized(e));
    arrived();
  };
  connect(analytics_api_, &qt::AnalyticsAdapter::failed, this, failed);
  connect(range_api_, &qt::ExerciseAdapter::failed, this, failed);
  setTeam({});
}

TeamPanel::~TeamPanel() = default;

void TeamPanel::setExercise(const QString& exercise) {
  exercise_ = exercise;
  host_states_.clear();
  ranges_.clear();
  setTeam({});
}

void TeamPanel::setTeam(const QString& team) {
  team_ = team;
  activity_->clear();
  hosts_->removeRows(0, hosts_->rowCount());
  numbers_->clear();
  range_state_->clear();
  title_->setText(team.isEmpty() ? tr("Select a team on the dashboard") : tr("Team %1").arg(team));
  refresh();
}

QString TeamPanel::numbersText() const { return numbers_->text(); }

void TeamPanel::refresh() {
  coalesce_->stop();
  if (exercise_.isEmpty() || team_.isEmpty() || !isVisible()) return;
  waiting_ = 3;
  activity_ticket_ = analytics_api_->activity(exercise_, team_);
  analytics_ticket_ = analytics_api_->analytics(exercise_, team_);
  ranges_ticket_ = range_api_->listRanges(exercise_);
}

void TeamPanel::boardChanged() {
  if (isVisible() && !team_.isEmpty() && !coalesce_->isActive()) coalesce_->start();
}

void TeamPanel::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  refresh();
}

void TeamPanel::arrived() {
  if (waiting_ > 0 && --waiting_ == 0) emit loaded();
}

void TeamPanel::applyProvisioning(const client::ProvisioningStep& step) {
  if (step.host.empty()) return;
  host_states_[{QString::fromStdString(step.team), QString::fromStdString(step.host)}] =
      QString::fromStdString(step.state);
  if (QString::fromStdString(step.team) == team_) show_hosts(ranges_);
}

void TeamPanel::show_hosts(const std::vector<client::TeamRangeView>& ranges) {
  ranges_ = ranges;
  hosts_->removeRows(0, hosts_->rowCount());
  for (const auto& r : ranges) {
    if (QString::fromStdString(r.team) != team_) continue;
    range_state_->setText(tr("range: %1").arg(QString::fromStdString(r.state)));
    for (const auto& h : r.hosts) {
      QStringList addresses;
      for (const auto& a : h.addresses) addresses << QString::fromStdString(a);
      // The host's last provisioning step seen here, else the state of the whole range.
      const auto seen = host_states_.find({team_, QString::fromStdString(h.name)});
      hosts_->appendRow(
          {new QStandardItem(QString::fromStdString(h.name)),
           new QStandardItem(seen != host_states_.end() ? seen->second
                                                        : QString::fromStdString(r.state)),
           new QStandardItem(QString::fromStdString(h.role)),
           new QStandardItem(addresses.join(QStringLiteral(", "))),
           new QStandardItem(h.trainee_terminal ? tr("yes") : tr("no"))});
    }
  }
  hosts_view_->resizeColumnsToContents();
}

void TeamPanel::show_numbers(const client::ExerciseAnalyticsView& analytics) {
  for (const auto& t : analytics.teams) {
    if (QString::fromStdString(t.team) != team_) continue;
    QStringList lines;
    lines << (t.first_action_s ? tr("First action after %1").arg(exercise_clock(*t.first_action_s))
                               : tr("No action yet"));
    lines << tr("%n command(s)", nullptr, static_cast<int>(t.commands));
    lines << tr("%n hint(s) charged", nullptr, static_cast<int>(t.hints));
    lines << tr("Idle %1").arg(exercise_clock(t.idle_s));
    for (const auto& o : t.objectives)
      lines << tr("%1 solved at %2 after %n command(s)", nullptr, static_cast<int>(o.commands))
                   .arg(QString::fromStdString(o.objective), exercise_clock(o.solved_after_s));
    numbers_->setText(lines.join(QLatin1Char('\n')));
    return;
  }
  numbers_->setText(tr("No numbers yet"));
}

}  // namespace cyrange::console
