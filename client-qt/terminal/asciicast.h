#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <orchestrator/common/expected.h>

namespace cyrange::terminal {

class TerminalSurface;

/// The header line of an asciicast v2 recording.
struct AsciicastHeader {
  int width = 80;                   ///< terminal columns at the start
  int height = 24;                  ///< terminal rows at the start
  std::optional<double> timestamp;  ///< Unix time the recording started
  std::string title;                ///< optional title
};

/// One event line `[time, code, data]`.
struct AsciicastEvent {
  double time = 0;   ///< seconds since the start
  char code = 'o';   ///< 'o' output, 'i' input, 'r' resize ("COLSxROWS"), 'm' marker
  std::string data;  ///< UTF-8 payload
};

/// A parsed recording: header plus events in time order.
struct AsciicastRecording {
  AsciicastHeader header;              ///< the first line
  std::vector<AsciicastEvent> events;  ///< every later non-empty line
  /// Time of the last event (0 without events).
  double duration() const { return events.empty() ? 0 : events.back().time; }
};

/// Parses asciicast v2 text; errors name `origin` and the 1-based line number.
Expected<AsciicastRecording> parse_asciicast(std::string_view text,
                                             std::string_view origin = "recording");

/// Reads and parses an asciicast v2 file; errors name the file and the line.
Expected<AsciicastRecording> load_asciicast(const std::filesystem::path& path);

/// Replays a recording onto a surface by time; a QTimer in the console drives play/pause.
///
/// The surface cannot be snapshotted (libvterm 0.1.4 has no serialisation), so seeking
/// backwards replays from the start; seeking forwards continues from the current event.
class ReplayPlayer {
 public:
  /// Plays `recording` onto `surface`; both must outlive the player. Starts at time 0.
  ReplayPlayer(const AsciicastRecording& recording, TerminalSurface& surface);

  /// Shows the screen as it was at time `t`: resets when going back, then feeds events <= t.
  void seek(double t);
  /// Feeds the events with time <= t that have not been fed yet; never goes back.
  void advance_to(double t);

  /// Time of the latest position asked for by seek() or advance_to().
  double position() const { return position_; }
  /// Length of the recording in seconds.
  double duration() const { return recording_.duration(); }
  /// True when every event has been fed.
  bool at_end() const { return next_ >= recording_.events.size(); }
  /// Time of the next event not yet fed, for scheduling the timer; empty at the end.
  std::optional<double> next_event_time() const;

 private:
  void restart();
  void apply(const AsciicastEvent& event);

  const AsciicastRecording& recording_;
  TerminalSurface& surface_;
  std::size_t next_ = 0;
  double position_ = 0;
};

}  // namespace cyrange::terminal
