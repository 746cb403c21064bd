#include <console/widgets/recording_player.h>

#include <algorithm>
#include <cmath>

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <client-qt/terminal/terminal_view.h>

namespace cyrange::console {
namespace {

QString clock_text(double seconds) {
  const auto whole = static_cast<qint64>(std::floor(std::max(0.0, seconds)));
  return QStringLiteral("%1:%2").arg(whole / 60).arg(whole % 60, 2, 10, QLatin1Char('0'));
}

}  // namespace

RecordingPlayer::RecordingPlayer(QWidget* parent) : QWidget(parent) {
  view_ = new qt::TerminalView(this);
  view_->setReadOnly(true);
  player_ = std::make_unique<terminal::ReplayPlayer>(recording_, view_->surface());

  play_button_ = new QToolButton(this);
  play_button_->setText(tr("Play"));
  speed_box_ = new QComboBox(this);
  speed_box_->addItem(tr("1x"), 1.0);
  speed_box_->addItem(tr("2x"), 2.0);
  speed_box_->addItem(tr("8x"), 8.0);
  speed_box_->addItem(tr("Instant"), 0.0);
  speed_box_->setToolTip(tr("Playback speed"));
  slider_ = new QSlider(Qt::Horizontal, this);
  slider_->setToolTip(tr("Position in the recording"));
  slider_->setRange(0, 0);
  elapsed_ = new QLabel(this);
  state_ = new QLabel(this);
  // Said beside the controls, not as the view's banner, which would cover the top rows.
  mode_ = new QLabel(this);

  auto* controls = new QHBoxLayout;
  controls->addWidget(play_button_);
  controls->addWidget(speed_box_);
  controls->addWidget(slider_, 1);
  controls->addWidget(elapsed_);
  controls->addWidget(state_);
  controls->addWidget(mode_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(view_, 1);
  layout->addLayout(controls);

  timer_ = new QTimer(this);
  timer_->setInterval(30);
  connect(timer_, &QTimer::timeout, this, &RecordingPlayer::tick);
  connect(play_button_, &QToolButton::clicked, this, [this] { playing_ ? pause() : play(); });
  connect(speed_box_, &QComboBox::currentIndexChanged, this,
          [this](int index) { setSpeed(speed_box_->itemData(index).toDouble()); });
  connect(slider_, &QSlider::valueChanged, this,
          [this](int ms) { seek(static_cast<double>(ms) / 1000.0); });
  update_controls();
}

RecordingPlayer::~RecordingPlayer() = default;

void RecordingPlayer::begin(const client::TerminalRecordingInfo& session, bool live) {
  set_playing(false);
  recording_ = {};
  recording_.header.width = session.cols;
  recording_.header.height = session.rows;
  recording_.header.title = session.exercise + "/" + session.team + "/" + session.host;
  live_ = live;
  complete_ = false;
  clock_base_ = 0;
  player_ = std::make_unique<terminal::ReplayPlayer>(recording_, view_->surface());
  mode_->setText(live ? tr("Watching live, read-only") : tr("Replay, read-only"));
  update_controls();
}

void RecordingPlayer::append(const std::vector<client::RecordedChunkView>& chunks) {
  for (const auto& c : chunks) {
    if (c.direction != 'o' && c.direction != 'r') continue;
    recording_.events.push_back({static_cast<double>(c.offset_us) / 1e6, c.direction, c.data});
  }
  // Live: the screen shows what the trainee sees now.
  if (live_) player_->advance_to(duration());
  update_controls();
}

void RecordingPlayer::setComplete() {
  complete_ = true;
  if (live_) mode_->setText(tr("The terminal has closed; replay, read-only"));
  live_ = false;
  update_controls();
  if (atEnd() && !playing_) emit reachedEnd();
}

void RecordingPlayer::stopLive() {
  if (!live_) return;
  live_ = false;
  complete_ = true;
  mode_->setText(tr("The watch has ended; replay of what was seen, read-only"));
  update_controls();
}

double RecordingPlayer::position() const { return std::min(player_->position(), duration()); }

double RecordingPlayer::duration() const { return recording_.duration(); }

bool RecordingPlayer::atEnd() const { return player_->at_end(); }

QString RecordingPlayer::elapsedText() const {
  return clock_text(position()) + QStringLiteral(" / ") + clock_text(duration());
}

QString RecordingPlayer::modeText() const { return mode_->text(); }

void RecordingPlayer::play() {
  if (live_) return;  // a live watch already shows everything as it comes
  if (atEnd() && complete_) player_->seek(0);
  set_playing(true);
  if (speed_ == 0) tick();  // instant: at the end at once
}

void RecordingPlayer::pause() { set_playing(false); }

void RecordingPlayer::setSpeed(double factor) {
  if (playing_) {  // keep the position, change the pace from here
    clock_base_ = position();
    clock_.restart();
  }
  speed_ = factor;
  const int index = speed_box_->findData(factor);
  if (index >= 0 && index != speed_box_->currentIndex()) {
    QSignalBlocker block(speed_box_);
    speed_box_->setCurrentIndex(index);
  }
  if (playing_ && speed_ == 0) tick();
}

void RecordingPlayer::seek(double seconds) {
  player_->seek(std::clamp(seconds, 0.0, duration()));
  clock_base_ = player_->position();
  clock_.restart();
  update_controls();
}

void RecordingPlayer::set_playing(bool playing) {
  if (playing == playing_) return;
  playing_ = playing;
  if (playing) {
    clock_base_ = player_->position();
    clock_.start();
    timer_->start();
  } else {
    timer_->stop();
  }
  update_controls();
  emit playingChanged(playing);
}

void RecordingPlayer::tick() {
  const double target = speed_ == 0
                            ? duration()
                            : clock_base_ + static_cast<double>(clock_.elapsed()) / 1000.0 * speed_;
  player_->advance_to(std::min(target, duration()));
  if (atEnd() && target >= duration()) {
    set_playing(false);
    if (complete_) emit reachedEnd();
  }
  update_controls();
}

void RecordingPlayer::update_controls() {
  {
    QSignalBlocker block(slider_);
    slider_->setRange(0, static_cast<int>(duration() * 1000));
    slider_->setValue(static_cast<int>(position() * 1000));
  }
  slider_->setEnabled(!live_);
  play_button_->setEnabled(!live_);
  speed_box_->setEnabled(!live_);
  play_button_->setText(playing_ ? tr("Pause") : tr("Play"));
  elapsed_->setText(elapsedText());
  state_->setText(live_ ? tr("Live") : complete_ ? QString() : tr("Loading…"));
}

}  // namespace cyrange::console
