#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/range/host_pool.h>
#include <orchestrator/range/range_spec.h>

namespace cyrange::exercise {

/// Life of an exercise's ranges as recorded: provisioning -> ready | failed -> ended.
inline constexpr const char* kStateProvisioning = "provisioning";
inline constexpr const char* kStateReady = "ready";
inline constexpr const char* kStateFailed = "failed";
inline constexpr const char* kStateSuspended = "suspended";  ///< guests saved to disk, clock paused
inline constexpr const char* kStateEnded = "ended";

/// One libvirt object an exercise created (or is about to create).
struct RangeObjectRow {
  std::string exercise;
  std::string team;
  std::string kind;  ///< "domain", "network", "pool" or "volume"
  std::string name;  ///< libvirt name; volumes are "<pool>/<volume>"
  std::string exercise_state;
};

/// An exercise with its teams.
struct ExerciseRow {
  std::string id;
  std::string scenario_id;
  std::string state;
  std::vector<std::string> teams;
  std::string detail;      ///< why provisioning failed, when it did
  std::uint64_t seed = 0;  ///< drew every team's variables
};

/// What an exercise was created from, kept so cyranged can rebuild it after a restart.
struct ExerciseSetup {
  std::string scenario_file;  ///< the name the instructor gave, for messages
  std::string scenario_yaml;  ///< the scenario text itself
  std::uint64_t seed = 0;
};

/// The latest progress of one host (host empty: the team range as a whole).
struct ProgressRow {
  std::string team, host, state, message;
  int percent = 0;
  std::int64_t version = 0;  ///< increases with every update, across the database
};

/// One recorded piece of a terminal session.
struct TerminalChunk {
  std::int64_t offset_us = 0;  ///< since the session started
  char direction = 'o';        ///< 'o' output, 'i' input, 'r' resize ("COLSxROWS")
  std::string data;
};

/// A terminal session read back for export.
struct TerminalRecording {
  std::int64_t id = 0;
  std::string exercise, team, host;
  int width = 80, height = 24;
  std::int64_t started_unix = 0;
  std::vector<TerminalChunk> chunks;
};

/// Starts the chunk stored in place of everything past a session's recording cap
/// (TerminalLimits::max_recorded_bytes); nothing of the session is stored after it.
inline constexpr const char* kTerminalTruncatedMarker = "\r\n[cyrange: recording truncated after ";

/// A terminal session as listed for replay: where, who, how long and how much.
struct TerminalSessionRow {
  std::int64_t id = 0;
  std::string exercise, team, host;
  std::int64_t user_id = 0;          ///< 0 once the user was erased
  std::string user_name, user_role;  ///< login name and role; empty once erased
  int width = 80, height = 24;       ///< at the start
  std::int64_t started_unix_ms = 0;
  std::int64_t ended_unix_ms = 0;  ///< 0 while the terminal is open
  std::int64_t duration_us = 0;    ///< offset of the last chunk
  std::int64_t bytes = 0;          ///< data stored, every direction
  bool truncated = false;          ///< the last chunk is the truncation marker
};

/// A recorded chunk with its sequence number within the session.
struct SequencedChunk {
  int seq = 0;
  TerminalChunk chunk;
};

/// One page of a session's chunks.
struct TerminalChunkPage {
  std::vector<SequencedChunk> chunks;
  int next_seq = 0;      ///< where the next page starts
  bool complete = true;  ///< nothing is stored after this page (yet)
};

/// Exercises, their team ranges and every libvirt object they own, in PostgreSQL
/// (tables of migrations 0002 and 0006). Thread-safe: one connection behind a mutex.
class RangeRegistry {
 public:
  /// Connects and checks the schema is migrated (failed_precondition naming `cyrange db migrate`).
  static Expected<std::unique_ptr<RangeRegistry>> open(const std::string& database_uri);
  ~RangeRegistry();
  RangeRegistry(const RangeRegistry&) = delete;
  RangeRegistry& operator=(const RangeRegistry&) = delete;

  /// Records a new exercise (state provisioning) with its teams (created in `teams` if missing).
  /// already_exists while an exercise of that id has not ended.
  Status begin_exercise(const std::string& id, const std::string& scenario_id,
                        const std::string& scenario_hash, const std::vector<std::string>& teams);
  /// Stores one team's range spec, so later processes can reset it and open its consoles.
  Status save_team_spec(const range::RangeSpec& spec, const std::string& libvirt_uri);
  /// Sets the exercise's state (see kState*) and why (kept until the next change).
  Status set_state(const std::string& exercise, const std::string& state,
                   const std::string& detail = "");
  /// Keeps the scenario text and seed an exercise was created from.
  Status save_setup(const std::string& exercise, const ExerciseSetup& setup);
  /// The setup saved by save_setup(); not_found for an unknown exercise.
  Expected<ExerciseSetup> setup(const std::string& exercise);
  /// Records an object BEFORE it is created; recording it twice is harmless.
  Status record_object(const std::string& exercise, const std::string& team,
                       const std::string& kind, const std::string& name,
                       const std::string& libvirt_uri);
  /// Forgets one object after it was removed.
  Status forget_object(const std::string& kind, const std::string& name,
                       const std::string& libvirt_uri);
  /// Marks the exercise ended and forgets its objects and specs (after they were removed).
  Status end_exercise(const std::string& exercise);

  /// Every object recorded on one libvirt URI, with its exercise's state.
  Expected<std::vector<RangeObjectRow>> objects(const std::string& libvirt_uri);
  /// Exercises (ended ones too if asked), newest first.
  Expected<std::vector<ExerciseRow>> exercises(bool include_ended);
  /// One exercise, or not_found.
  Expected<ExerciseRow> exercise(const std::string& id);
  /// The specs of an exercise's teams with the URI they live on; empty if none.
  Expected<std::vector<range::RangeSpec>> team_specs(const std::string& exercise,
                                                     std::string* libvirt_uri = nullptr);
  /// Team ranges with the URI each lives on: one exercise's, or (exercise empty) those of
  /// every exercise that has not ended; ordered by exercise, then team.
  Expected<std::vector<range::PlacedRange>> placed_ranges(const std::string& exercise = "");
  /// The name of team `team_id`, or not_found.
  Expected<std::string> team_name(std::int64_t team_id);

  /// Stores the latest progress of one host of a team range.
  Status record_progress(const std::string& exercise, const ProgressRow& row);
  /// Writes one line of the audit log: `actor_user_id` did `action` to `object`, with
  /// `detail_json` (a JSON object).
  Status audit(std::int64_t actor_user_id, const std::string& action, const std::string& object,
               const std::string& detail_json);
  /// As audit(), for an actor without a user id (the operator on the command line): `actor`
  /// goes into the detail as "actor".
  Status audit_by(const std::string& actor, const std::string& action, const std::string& object,
                  const std::string& detail_json);
  /// Progress rows of an exercise updated after `after_version`, oldest update first.
  Expected<std::vector<ProgressRow>> progress_since(const std::string& exercise,
                                                    std::int64_t after_version);

  /// Starts recording a terminal session; returns its id.
  Expected<std::int64_t> open_terminal(const std::string& exercise, const std::string& team,
                                       const std::string& host, std::optional<std::int64_t> user_id,
                                       int width, int height);
  /// Appends chunks with sequence numbers first_seq, first_seq+1, ... in one transaction.
  Status append_terminal_chunks(std::int64_t session, int first_seq,
                                const std::vector<TerminalChunk>& chunks);
  /// Marks the session ended.
  Status close_terminal(std::int64_t session);
  /// Every terminal session of an exercise (chunks left empty), oldest first.
  Expected<std::vector<TerminalRecording>> terminal_sessions(const std::string& exercise);
  /// The session with all its chunks in order, or not_found.
  Expected<TerminalRecording> terminal_recording(std::int64_t session);
  /// The sessions of an exercise, of one team or (team empty) every team, oldest first,
  /// with their user, length, size and truncation.
  Expected<std::vector<TerminalSessionRow>> terminal_session_rows(const std::string& exercise,
                                                                  const std::string& team);
  /// One session's row, or not_found.
  Expected<TerminalSessionRow> terminal_session_row(std::int64_t session);
  /// The chunks of `session` from sequence `from_seq` on, at most `max_bytes` of data but at
  /// least one chunk; without `include_input` the trainee's keystrokes ('i') are left out.
  Expected<TerminalChunkPage> terminal_chunks(std::int64_t session, int from_seq,
                                              std::size_t max_bytes, bool include_input);

 private:
  Status append_audit(std::optional<std::int64_t> actor_user_id, const std::string& actor,
                      const std::string& action, const std::string& object,
                      const std::string& detail_json);

  struct Impl;
  explicit RangeRegistry(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// RangeSpec as JSON text (stored in exercise_ranges.spec).
std::string spec_to_json(const range::RangeSpec& spec);
/// Parses spec_to_json() output; invalid_argument naming what is wrong.
Expected<range::RangeSpec> spec_from_json(const std::string& text);

}  // namespace cyrange::exercise
