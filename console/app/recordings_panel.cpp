#include <console/app/recordings_panel.h>

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
#include <console/app/recording_list_model.h>
#include <console/widgets/recording_player.h>

namespace cyrange::console {

RecordingsPanel::RecordingsPanel(qt::Session* session, client::Language language, QWidget* parent)
    : QWidget(parent), language_(language) {
  api_ = new qt::RecordingAdapter(session, this);
  model_ = new RecordingListModel(this);
  team_box_ = new QComboBox(this);
  team_box_->addItem(tr("All teams"), QString());
  team_box_->setToolTip(tr("Follows the team selected on the dashboard"));
  auto* refresh_button = new QPushButton(tr("Refresh"), this);
  replay_ = new QPushButton(tr("Replay"), this);
  watch_ = new QPushButton(tr("Watch live"), this);
  watch_->setToolTip(tr("Follow the terminal while the trainee works in it (read-only)"));
  table_ = new QTableView(this);
  table_->setModel(model_);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->verticalHeader()->hide();
  player_ = new RecordingPlayer(this);
  title_ = new QLabel(this);

  auto* bar = new QHBoxLayout;
  bar->addWidget(new QLabel(tr("Team:"), this));
  bar->addWidget(team_box_);
  bar->addWidget(refresh_button);
  bar->addStretch(1);
  bar->addWidget(replay_);
  bar->addWidget(watch_);
  auto* top = new QWidget(this);
  auto* top_layout = new QVBoxLayout(top);
  top_layout->setContentsMargins(0, 0, 0, 0);
  top_layout->addLayout(bar);
  top_layout->addWidget(table_, 1);
  auto* bottom = new QWidget(this);
  auto* bottom_layout = new QVBoxLayout(bottom);
  bottom_layout->setContentsMargins(0, 0, 0, 0);
  bottom_layout->addWidget(title_);
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
            emit listed();
          });
  connect(
      api_, &qt::RecordingAdapter::page, player_,
      [this](qint64, const client::TerminalRecordingPage& page) { player_->append(page.chunks); });
  connect(api_, &qt::RecordingAdapter::finished, player_, [this] { player_->setComplete(); });
  connect(api_, &qt::RecordingAdapter::failed, this, [this](quint64, const Error& e) {
    const bool ja = language_ == client::Language::ja && !e.message_ja.empty();
    emit problem(QString::fromStdString(ja ? e.message_ja : e.message));
  });
  watch_->setEnabled(false);
}

RecordingsPanel::~RecordingsPanel() = default;

void RecordingsPanel::setExercise(const QString& exercise, const QStringList& teams) {
  api_->stop();
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
  title_->setText(tr("%1 / %2 on %3, typed by %4")
                      .arg(QString::fromStdString(s->exercise), QString::fromStdString(s->team),
                           QString::fromStdString(s->host),
                           s->user.empty() ? tr("(erased)") : QString::fromStdString(s->user)));
  api_->open(id, live && s->open());
}

void RecordingsPanel::open_current(bool live) {
  const QModelIndex current = table_->currentIndex();
  if (!current.isValid()) return;
  openSession(model_->data(current, RecordingListModel::SessionRole).toLongLong(), live);
}

}  // namespace cyrange::console
