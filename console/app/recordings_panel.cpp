#include <console/app/recordings_panel.h>

#include <utility>

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <client-qt/recording_adapter.h>
#include <client-qt/translations.h>
#include <client-qt/watch_adapter.h>
#include <console/app/recording_list_model.h>
#include <console/models/dashboard_types.h>
#include <console/widgets/recording_player.h>

namespace cyrange::console {

RecordingsPanel::RecordingsPanel(qt::Session* session, client::Language language, QWidget* parent)
    : QWidget(parent), language_(language) {
  api_ = new qt::RecordingAdapter(session, this);
  watches_ = new qt::WatchAdapter(session, this);
  model_ = new RecordingListModel(this);
  team_box_ = new QComboBox(this);
  team_box_->addItem(tr("All teams"), QString());
  team_box_->setToolTip(tr("Follows the team selected on the dashboard"));
  auto* refresh_button = new QPushButton(tr("Refresh"), this);
  replay_ = new QPushButton(tr("Replay"), this);
  watch_ = new QPushButton(tr("Watch live"), this);
  watch_->setToolTip(
      tr("Ask the team to let you follow the terminal while they work in it "
         "(read-only); it starts once a trainee of the team allows it"));
  stop_watch_ = new QPushButton(tr("Stop watching"), this);
  stop_watch_->setEnabled(false);
  table_ = new QTableView(this);
  table_->setModel(model_);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->verticalHeader()->hide();
  player_ = new RecordingPlayer(this);
  title_ = new QLabel(this);
  watch_status_ = new QLabel(this);
  watch_status_->setObjectName(QStringLiteral("watch-status"));
  watch_status_->setWordWrap(true);

  auto* bar = new QHBoxLayout;
  bar->addWidget(new QLabel(tr("Team:"), this));
  bar->addWidget(team_box_);
  bar->addWidget(refresh_button);
  bar->addStretch(1);
  bar->addWidget(replay_);
  bar->addWidget(watch_);
  bar->addWidget(stop_watch_);
  auto* top = new QWidget(this);
  auto* top_layout = new QVBoxLayout(top);
  top_layout->setContentsMargins(0, 0, 0, 0);
  top_layout->addLayout(bar);
  top_layout->addWidget(table_, 1);
  auto* bottom = new QWidget(this);
  auto* bottom_layout = new QVBoxLayout(bottom);
  bottom_layout->setContentsMargins(0, 0, 0, 0);
  bottom_layout->addWidget(title_);
  bottom_layout->addWidget(watch_status_);
  bottom_layout->addWidget(player_, 1);
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(top);
  split->addWidget(bottom);
  split->setStretchFactor(1, 3);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(split);

  connect(refresh_button, &QPushButton::clicked, this, &RecordingsPanel::refresh);
  connect(team_box_, &QComboBox::currentIndexChanged, this, &RecordingsPanel::refresh);
  connect(replay_, &QPushButton::clicked, this, [this] { open_current(false); });
  connect(watch_, &QPushButton::clicked, this, [this] { open_current(true); });
  connect(stop_watch_, &QPushButton::clicked, this, &RecordingsPanel::stopWatching);
  connect(watches_, &qt::WatchAdapter::updated, this, &RecordingsPanel::on_watches);
  connect(watches_, &qt::WatchAdapter::replied, this,
          [this](quint64, const client::TerminalWatchView& w) { apply_watch(w); });
  connect(watches_, &qt::WatchAdapter::failed, this, [this](quint64, const Error& e) {
    waiting_session_ = 0;
    set_watch_status(QString());
    emit problem(qt::localized(e));
  });
  connect(table_, &QTableView::activated, this, [this] { open_current(false); });
  connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) {
            watch_->setEnabled(current.isValid() &&
                               model_->data(current, RecordingListModel::OpenRole).toBool());
          });
  connect(api_, &qt::RecordingAdapter::sessions, this,
          [this](quint64 ticket, const std::vector<client::TerminalRecordingInfo>& list) {
            if (ticket != list_ticket_) return;  // an answer for an older team or exercise
            model_->set(list);
            if (!pending_evidence_.isEmpty()) {
              const QString link = std::exchange(pending_evidence_, {});
              if (!open_listed(link))
                emit problem(tr("The evidence %1 names a recording that is not (or no longer) "
                                "available.")
                                 .arg(link));
            }
            emit listed();
          });
  connect(
      api_, &qt::RecordingAdapter::page, player_,
      [this](qint64, const client::TerminalRecordingPage& page) { player_->append(page.chunks); });
  connect(api_, &qt::RecordingAdapter::finished, player_, [this] {
    player_->setComplete();
    if (seek_when_read_ >= 0) player_->seek(std::exchange(seek_when_read_, -1));
  });
  connect(api_, &qt::RecordingAdapter::failed, this, [this](quint64, const Error& e) {
    const bool ja = language_ == client::Language::ja && !e.message_ja.empty();
    emit problem(QString::fromStdString(ja ? e.message_ja : e.message));
  });
  watch_->setEnabled(false);
}

RecordingsPanel::~RecordingsPanel() {
  // The request must not outlive the window that would show the watch.
  if (my_watch_) watches_->end(my_watch_->id);
}

void RecordingsPanel::setExercise(const QString& exercise, const QStringList& teams) {
  api_->stop();
  stopWatching();
  watches_->stopFollowing();
  followed_team_.clear();
  exercise_ = exercise;
  model_->clear();
  {
    QSignalBlocker block(team_box_);
    const QString chosen = team_box_->currentData().toString();
    while (team_box_->count() > 1) team_box_->removeItem(1);
    for (const auto& t : teams) team_box_->addItem(t, t);
    team_box_->setCurrentIndex(std::max(0, team_box_->findData(chosen)));
  }
  refresh();
}

void RecordingsPanel::setTeam(const QString& team) {
  const int index = team_box_->findData(team);
  if (index < 0 && !team.isEmpty()) team_box_->addItem(team, team);
  team_box_->setCurrentIndex(std::max(0, team_box_->findData(team)));
}

void RecordingsPanel::refresh() {
  if (exercise_.isEmpty()) return;
  list_ticket_ = api_->list(exercise_, team_box_->currentData().toString());
}

void RecordingsPanel::openSession(qint64 id, bool live) {
  const auto* s = model_->at(model_->row_of(id));
  if (s == nullptr) return;
  player_->begin(*s, live && s->open());
  shown_session_ = id;
  seek_when_read_ = -1;
  title_->setText(tr("%1 / %2 on %3, typed by %4")
                      .arg(QString::fromStdString(s->exercise), QString::fromStdString(s->team),
                           QString::fromStdString(s->host),
                           s->user.empty() ? tr("(erased)") : QString::fromStdString(s->user)));
  api_->open(id, live && s->open());
}

void RecordingsPanel::watchSession(qint64 id) {
  const auto* s = model_->at(model_->row_of(id));
  if (s == nullptr || !s->open()) return;
  const QString team = QString::fromStdString(s->team);
  if (my_watch_ && my_watch_->team == s->team && my_watch_->accepted()) {
    openSession(id, true);
    return;
  }
  if (my_watch_ && my_watch_->team != s->team) stopWatching();
  follow_team(team);
  waiting_session_ = id;
  watches_->ask(exercise_, team);
  set_watch_status(tr("Asking team %1 to let you watch…").arg(team));
}

void RecordingsPanel::stopWatching() {
  waiting_session_ = 0;
  if (!my_watch_) return;
  watches_->end(my_watch_->id);
  if (player_->isLive()) {
    api_->stop();
    player_->stopLive();
  }
}

QString RecordingsPanel::evidenceLink() const {
  if (shown_session_ == 0) return {};
  return QString::fromStdString(to_link({shown_session_, static_cast<int>(player_->position())}));
}

bool RecordingsPanel::openEvidence(const QString& link) {
  if (!find_recording_moment(link.toStdString())) return false;
  if (open_listed(link)) return true;
  // Another team's, or not listed yet: list every team, then open it.
  pending_evidence_ = link;
  setTeam({});
  refresh();
  return true;
}

bool RecordingsPanel::open_listed(const QString& link) {
  const auto moment = find_recording_moment(link.toStdString());
  if (!moment || model_->row_of(moment->session) < 0) return false;
  openSession(moment->session, false);
  seek_when_read_ = moment->seconds;
  return true;
}

QString RecordingsPanel::watchStatus() const { return watch_status_->text(); }

void RecordingsPanel::follow_team(const QString& team) {
  if (team == followed_team_) return;
  followed_team_ = team;
  watches_->follow(exercise_, team);
}

void RecordingsPanel::on_watches(const client::TerminalWatchesView& watches) {
  for (const auto& w : watches.open)
    if (my_watch_ && w.id == my_watch_->id) return apply_watch(w);
  if (watches.changed) apply_watch(*watches.changed);
}

void RecordingsPanel::apply_watch(const client::TerminalWatchView& now) {
  // Only this instructor's request: the one known, or the answer to the one just asked.
  const bool mine = my_watch_ ? now.id == my_watch_->id
                              : waiting_session_ != 0 && now.team == followed_team_.toStdString();
  if (!mine) return;
  const QString team = QString::fromStdString(now.team);
  if (now.asked()) {
    my_watch_ = now;
    set_watch_status(tr("Waiting for a trainee of team %1 to allow you to watch.").arg(team));
  } else if (now.accepted()) {
    const bool newly = !my_watch_ || !my_watch_->accepted();
    my_watch_ = now;
    set_watch_status(tr("Team %1 allowed you to watch (%2 said yes). Read-only; they see that "
                        "you watch and can stop it.")
                         .arg(team, QString::fromStdString(now.answered_by)));
    if (newly && waiting_session_ != 0) openSession(std::exchange(waiting_session_, 0), true);
  } else {
    my_watch_.reset();
    waiting_session_ = 0;
    if (player_->isLive()) {
      api_->stop();
      player_->stopLive();
    }
    set_watch_status(now.state == "declined"
                         ? tr("Team %1 declined to be watched (%2).")
                               .arg(team, QString::fromStdString(now.answered_by))
                         : tr("The watch of team %1 has ended (ended by %2).")
                               .arg(team, QString::fromStdString(now.ended_by)));
  }
  stop_watch_->setEnabled(my_watch_.has_value());
  emit watchChanged();
}

void RecordingsPanel::set_watch_status(const QString& text) {
  watch_status_->setText(text);
  watch_status_->setVisible(!text.isEmpty());
}

void RecordingsPanel::open_current(bool live) {
  const QModelIndex current = table_->currentIndex();
  if (!current.isValid()) return;
  const qint64 id = model_->data(current, RecordingListModel::SessionRole).toLongLong();
  if (live) {
    watchSession(id);
  } else {
    openSession(id, false);
  }
}

}  // namespace cyrange::console
