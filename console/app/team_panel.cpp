#include <console/app/team_panel.h>

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <client-qt/analytics_adapter.h>
#include <client-qt/exercise_adapter.h>
#include <client-qt/recording_adapter.h>
#include <client-qt/translations.h>
#include <console/app/recording_list_model.h>
#include <console/app/team_activity_model.h>
#include <console/app/timeline_model.h>
#include <console/models/dashboard_types.h>
#include <console/models/feed_filter_proxy.h>
#include <console/models/feed_model.h>
#include <console/models/model_roles.h>
#include <console/models/team_objectives_model.h>

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

// The team's events: every row is the selected team's, so none is set in bold as the
// dashboard's feed does to pick the selected team out.
class TeamEventsProxy : public FeedFilterProxy {
 public:
  using FeedFilterProxy::FeedFilterProxy;
  QVariant data(const QModelIndex& index, int role) const override {
    return role == Qt::FontRole ? QVariant() : FeedFilterProxy::data(index, role);
  }
};

// A caption above `content`, both in one widget.
QWidget* captioned(const QString& caption, QWidget* content, QWidget* parent) {
  auto* box = new QWidget(parent);
  auto* layout = new QVBoxLayout(box);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(new QLabel(caption, box));
  layout->addWidget(content, 1);
  return box;
}

}  // namespace

TeamPanel::TeamPanel(qt::Session* session, QWidget* parent)
    : QWidget(parent),
      analytics_api_(new qt::AnalyticsAdapter(session, this)),
      range_api_(new qt::ExerciseAdapter(session, this)),
      recordings_api_(new qt::RecordingAdapter(session, this)),
      activity_(new TeamActivityModel(this)),
      hosts_(new QStandardItemModel(0, 5, this)),
      events_(new TeamEventsProxy(this)),
      sessions_(new RecordingListModel(this)),
      details_(new QTabWidget(this)),
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
  objectives_view_ = read_only_table(nullptr, this);
  events_view_ = read_only_table(events_, this);
  sessions_view_ = read_only_table(sessions_, this);
  sessions_view_->setToolTip(tr("Double-click a session to replay it in the Recordings tab"));
  events_view_->setToolTip(
      tr("Double-click an event whose evidence names a recording to replay that moment"));
  activity_view_->setToolTip(
      tr("Double-click a command, or a grade whose evidence names a "
         "recording, to replay that moment in the Recordings tab"));
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

  // Hosts, objectives and numbers side by side; the team's history in tabs below.
  auto* numbers_box = new QWidget(this);
  auto* numbers_layout = new QVBoxLayout(numbers_box);
  numbers_layout->setContentsMargins(0, 0, 0, 0);
  numbers_layout->addWidget(new QLabel(tr("Numbers"), numbers_box));
  numbers_layout->addWidget(numbers_);
  numbers_layout->addStretch(1);
  numbers_box->setMinimumWidth(200);
  auto* upper = new QSplitter(Qt::Horizontal, this);
  upper->addWidget(captioned(tr("Hosts of the team's range"), hosts_view_, upper));
  upper->addWidget(captioned(tr("Objectives"), objectives_view_, upper));
  upper->addWidget(numbers_box);
  upper->setStretchFactor(0, 3);
  upper->setStretchFactor(1, 4);
  upper->setStretchFactor(2, 2);
  auto* activity_page = new QWidget(this);
  auto* activity_layout = new QVBoxLayout(activity_page);
  activity_layout->setContentsMargins(0, 0, 0, 0);
  activity_layout->addWidget(truncated_);
  activity_layout->addWidget(activity_view_, 1);
  details_->addTab(activity_page, tr("Commands and activity"));
  details_->addTab(events_view_, tr("Events"));
  details_->addTab(sessions_view_, tr("Terminal sessions"));
  details_->setTabToolTip(0, tr("Activity since the start: commands, answers, hints, report "
                                "edits and score changes"));
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(upper);
  split->addWidget(details_);
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
  connect(recordings_api_, &qt::RecordingAdapter::sessions, this,
          [this](quint64 ticket, const std::vector<client::TerminalRecordingInfo>& list) {
            if (ticket != sessions_ticket_) return;
            sessions_->set(list);
            activity_->setSessions(list);
            sessions_view_->resizeColumnsToContents();
            arrived();
          });
  connect(sessions_view_, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
    const qint64 id = index.data(RecordingListModel::SessionRole).toLongLong();
    if (id > 0) emit evidenceRequested(QString::fromStdString(to_link({id, 0})));
  });
  // An event or a step of the activity that names a recorded moment replays it.
  for (QTableView* view : {events_view_, activity_view_}) {
    connect(view, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
      const QString link = index.data(EvidenceRole).toString();
      if (!link.isEmpty()) emit evidenceRequested(link);
    });
  }
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
  connect(recordings_api_, &qt::RecordingAdapter::failed, this, failed);
  setTeam({});
}

TeamPanel::~TeamPanel() = default;

void TeamPanel::setExercise(const QString& exercise) {
  exercise_ = exercise;
  host_states_.clear();
  ranges_.clear();
  setTeam({});
}

void TeamPanel::setDashboard(DashboardModel* dashboard, FeedModel* feed) {
  // The old dashboard goes with its exercise; so does the model over it.
  delete objectives_;
  objectives_ = new TeamObjectivesModel(dashboard, this);
  objectives_->setTeam(team_);
  objectives_view_->setModel(objectives_);
  objectives_view_->horizontalHeader()->setStretchLastSection(false);
  objectives_view_->horizontalHeader()->setSectionResizeMode(TeamObjectivesModel::Objective,
                                                             QHeaderView::Stretch);
  // A handful of rows: fitting them again when a cell changes costs nothing (a state or a
  // hint list grows wider than the column was).
  const auto fit = [this] { objectives_view_->resizeColumnsToContents(); };
  connect(objectives_, &QAbstractItemModel::rowsInserted, objectives_view_, fit);
  connect(objectives_, &QAbstractItemModel::modelReset, objectives_view_, fit);
  connect(objectives_, &QAbstractItemModel::dataChanged, objectives_view_, fit);
  events_->setSourceModel(feed);
  events_view_->setColumnHidden(FeedModel::TeamColumn, true);
  events_view_->horizontalHeader()->setStretchLastSection(true);
}

void TeamPanel::setTeam(const QString& team) {
  team_ = team;
  activity_->clear();
  sessions_->clear();
  if (objectives_) objectives_->setTeam(team);
  // An empty filter shows every team: with no team chosen the events tab shows nothing.
  events_->setTeam(team.isEmpty() ? QStringLiteral("\n") : team);
  hosts_->removeRows(0, hosts_->rowCount());
  // Until the analytics answer (or if the server has none), say so rather than show a gap.
  numbers_->setText(team.isEmpty() ? QString() : tr("No numbers yet"));
  range_state_->clear();
  title_->setText(team.isEmpty() ? tr("Select a team on the dashboard") : tr("Team %1").arg(team));
  refresh();
}

QString TeamPanel::numbersText() const { return numbers_->text(); }

void TeamPanel::refresh() {
  coalesce_->stop();
  if (exercise_.isEmpty() || team_.isEmpty() || !isVisible()) return;
  waiting_ = 4;
  activity_ticket_ = analytics_api_->activity(exercise_, team_);
  sessions_ticket_ = recordings_api_->list(exercise_, team_);
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
