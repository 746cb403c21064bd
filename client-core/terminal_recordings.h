#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <client-core/call.h>
#include <client-core/connection.h>
#include <orchestrator/common/expected.h>

namespace cyrange::client {

/// A recorded terminal session as the server lists it (RangeService.ListTerminalSessions).
struct TerminalRecordingInfo {
  std::int64_t session_id = 0;
  std::string exercise, team, host;
  std::string user;  ///< login name of who typed; empty once erased
  int cols = 80, rows = 24;
  std::int64_t started_at_ms = 0;  ///< Unix time
  std::int64_t ended_at_ms = 0;    ///< 0 while the terminal is open
  std::int64_t duration_ms = 0;    ///< offset of the last recorded chunk
  std::int64_t bytes = 0;
  bool truncated = false;  ///< hit the server's recording cap
  /// True while the terminal is still open (its recording grows).
  bool open() const { return ended_at_ms == 0; }
};

/// One recorded piece of a terminal.
struct RecordedChunkView {
  int seq = 0;
  std::int64_t offset_us = 0;  ///< since the session started
  char direction = 'o';        ///< 'o' output, 'i' input, 'r' resize ("COLSxROWS")
  std::string data;
};

/// One page of a recording.
struct TerminalRecordingPage {
  TerminalRecordingInfo session;
  std::vector<RecordedChunkView> chunks;
  int next_seq = 0;      ///< from_seq of the next page
  bool complete = true;  ///< nothing stored after this page yet
};

/// Which page of which recording to read.
struct RecordingPageQuery {
  std::int64_t session_id = 0;
  int from_seq = 0;
  std::uint32_t max_bytes = 0;  ///< 0: the server's default (256 KiB); at most 1 MiB
  bool include_input = false;   ///< also the keystrokes
};

/// The recorded sessions of `exercise` (of `team`, or every team the caller may see).
Call<std::vector<TerminalRecordingInfo>> list_terminal_sessions_async(const Connection& connection,
                                                                      const std::string& exercise,
                                                                      const std::string& team = {});
/// Blocking form of list_terminal_sessions_async.
Expected<std::vector<TerminalRecordingInfo>> list_terminal_sessions(const Connection& connection,
                                                                    const std::string& exercise,
                                                                    const std::string& team = {});

/// One page of a recorded session.
Call<TerminalRecordingPage> read_terminal_session_async(const Connection& connection,
                                                        const RecordingPageQuery& query);
/// Blocking form of read_terminal_session_async.
Expected<TerminalRecordingPage> read_terminal_session(const Connection& connection,
                                                      const RecordingPageQuery& query);
/// Blocking: every page of a session read so far, joined into one (next_seq and complete
/// of the last page). Not for a GUI thread.
Expected<TerminalRecordingPage> read_whole_terminal_session(const Connection& connection,
                                                            std::int64_t session_id,
                                                            bool include_input = false);

}  // namespace cyrange::client
