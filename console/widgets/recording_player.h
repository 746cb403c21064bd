#pragma once

#include <memory>
#include <vector>

#include <QElapsedTimer>
#include <QWidget>

#include <client-core/terminal_recordings.h>
#include <client-qt/terminal/asciicast.h>

class QComboBox;
class QLabel;
class QSlider;
class QTimer;
class QToolButton;

namespace cyrange::qt {
class TerminalView;
}

namespace cyrange::console {

/// Replays one terminal recording in the trainees' terminal widget, read-only: play and
/// pause, speed (1x, 2x, 8x, instant), a position slider to seek, and the elapsed time.
/// Chunks may keep arriving while it plays (a live watch); in live mode the screen shows
/// each as soon as it comes. The view sends nothing anywhere: keys stay in the console.
class RecordingPlayer : public QWidget {
  Q_OBJECT

 public:
  /// An empty player.
  explicit RecordingPlayer(QWidget* parent = nullptr);
  ~RecordingPlayer() override;

  /// Starts a new recording of `cols` x `rows` and empties the screen; `live` follows it.
  void begin(const client::TerminalRecordingInfo& session, bool live);
  /// Appends the next recorded chunks (in order); input chunks are ignored.
  void append(const std::vector<client::RecordedChunkView>& chunks);
  /// Says that everything was read (and, live, that the terminal has closed).
  void setComplete();
  /// Stops following a live terminal that goes on (the watch ended): what was read stays,
  /// as a replay.
  void stopLive();
  /// True while it follows a terminal that is still open.
  bool isLive() const { return live_; }

  /// Seconds shown so far and the length of what was read.
  double position() const;
  double duration() const;
  /// True while playing.
  bool isPlaying() const { return playing_; }
  /// True when every chunk read has been shown.
  bool atEnd() const;
  /// The read-only terminal.
  qt::TerminalView* view() const { return view_; }
  /// The text of the elapsed-time label ("0:03 / 0:10").
  QString elapsedText() const;
  /// What is shown: "Replay, read-only", "Watching live, read-only", ...
  QString modeText() const;

 public slots:
  void play();
  void pause();
  /// Speed factor: 1, 2, 8, or 0 for instant (jump to the end).
  void setSpeed(double factor);
  /// Shows the screen as it was `seconds` into the recording.
  void seek(double seconds);

 signals:
  /// Playing started or stopped.
  void playingChanged(bool playing);
  /// Every chunk read so far has been shown and the recording is complete.
  void reachedEnd();

 private:
  void tick();
  void update_controls();
  void set_playing(bool playing);

  terminal::AsciicastRecording recording_;
  std::unique_ptr<terminal::ReplayPlayer> player_;
  qt::TerminalView* view_;
  QToolButton* play_button_;
  QComboBox* speed_box_;
  QSlider* slider_;
  QLabel* elapsed_;
  QLabel* state_;
  QLabel* mode_;
  QTimer* timer_;
  QElapsedTimer clock_;
  double clock_base_ = 0;  // position when clock_ started
  double speed_ = 1;
  bool playing_ = false;
  bool live_ = false;
  bool complete_ = false;
};

}  // namespace cyrange::console
