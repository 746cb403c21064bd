#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <client-core/connection.h>
#include <orchestrator/common/expected.h>

namespace cyrange::client {

/// What a trainee did; one value of TraineeEvent::kind.
enum class TraineeEventKind {
  key,
  mouse_move,
  click,
  scroll,
  focus,
  command,
  answer,
  hint,
  report_edit,
  idle
};

/// One trainee action, flat so that every front end (Qt, scripted trainee, load
/// test) fills it without protobuf. Only the fields of `kind` are sent.
struct TraineeEvent {
  TraineeEventKind kind = TraineeEventKind::key;
  std::string exercise_id;
  std::int64_t monotonic_ns = 0;  ///< 0: filled from steady_clock by record()
  std::int64_t wall_unix_us = 0;  ///< 0: filled from system_clock by record()
  /// Typed into a password field or at a no-echo terminal prompt: the text is
  /// removed at the source (see redact()) and never leaves the machine.
  bool secret = false;

  std::string key;              ///< key: key name, e.g. "a", "Enter"
  std::uint32_t modifiers = 0;  ///< key, click: shift 1, ctrl 2, alt 4, meta 8
  std::string text;             ///< key: produced text; command: the line; answer: the answer
  std::int32_t x = 0, y = 0;    ///< mouse_move, click: position; scroll: dx, dy
  std::uint32_t count =
      0;  ///< mouse_move: moves coalesced; click: button; report_edit: chars added
  std::uint32_t removed = 0;      ///< report_edit: chars removed
  std::string target;             ///< focus: window/tab; command: host; answer: question; hint: id;
                                  ///< report_edit: section
  std::uint64_t duration_ms = 0;  ///< idle
};

/// `event` without what a secret field must not reveal: key and command events
/// marked secret keep no text and are flagged redacted on the wire.
TraineeEvent redact(TraineeEvent event);

/// Where and how large the durable client buffer is.
struct BufferOptions {
  std::filesystem::path dir;                  ///< created if missing; one client per directory
  std::size_t max_unacked_bytes = 64u << 20;  ///< refuse new events beyond this
};

/// The durable on-disk buffer of one recording client: an append-only log of
/// serialised events with sequence numbers, the client id and the acknowledged
/// watermark, so that a restarted client resends exactly what the server has not
/// committed. Thread-safe.
class EventBuffer {
 public:
  /// Opens (or creates) the buffer in options.dir; a torn last record from a crash
  /// is cut off. Errors name the directory.
  static Expected<std::unique_ptr<EventBuffer>> open(const BufferOptions& options);
  ~EventBuffer();
  EventBuffer(const EventBuffer&) = delete;
  EventBuffer& operator=(const EventBuffer&) = delete;

  /// The random UUID of this client, kept across restarts.
  const std::string& client_id() const;

  /// Redacts, stamps missing clocks, assigns the next sequence and appends the event.
  /// Records are written in chunks and durable after the next sync(), which the
  /// sender runs before every send cycle (so within about one linger period). When the buffer is
  /// full the event is refused with failed_precondition and a warning: acknowledged-unsent data is
  /// never dropped.
  Expected<std::uint64_t> append(TraineeEvent event);

  /// fsyncs the log: everything appended so far survives a crash.
  Status sync();

  /// The server committed everything up to `seq`: forget it (the log is compacted
  /// once enough of it is acknowledged).
  Status acknowledge(std::uint64_t seq);

  /// Up to `max_events` unacknowledged events after `after_seq`, as the serialised
  /// cyrange.v1.RecorderEvent, with the sequence of the first. Empty when none.
  struct Slice {
    std::uint64_t first_seq = 0;
    std::vector<std::string> events;
  };
  Slice unacked_after(std::uint64_t after_seq, std::size_t max_events) const;

  /// Sequence of the last appended event (0: none yet).
  std::uint64_t last_seq() const;
  /// Highest sequence the server acknowledged.
  std::uint64_t acked_seq() const;
  /// Bytes of unacknowledged events held.
  std::size_t unacked_bytes() const;

 private:
  struct Impl;
  explicit EventBuffer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Tuning of the sender.
struct RecorderOptions {
  std::size_t max_batch_events = 512;           ///< events per RecordBatch
  std::size_t batches_per_sync = 8;             ///< batches sent per fsync of the buffer
  std::chrono::milliseconds linger{5};          ///< wait for more events before a small batch
  std::chrono::milliseconds max_backoff{2000};  ///< between reconnection attempts
};

/// A recording client: record() appends to the durable buffer; a background
/// thread streams it to RecorderService, and on every (re)connect resends all that
/// was not acknowledged. Events the server refuses (e.g. FAILED_PRECONDITION: no
/// consent yet) are never dropped: they stay buffered and are retried with
/// backoff. Thread-safe.
class RecorderClient {
 public:
  /// Starts the sender on `connection` (its token identifies the trainee).
  RecorderClient(Connection connection, std::unique_ptr<EventBuffer> buffer,
                 RecorderOptions options = {});
  /// Stops the sender; unacknowledged events stay in the buffer for the next run.
  ~RecorderClient();
  RecorderClient(const RecorderClient&) = delete;
  RecorderClient& operator=(const RecorderClient&) = delete;

  /// See EventBuffer::append; wakes the sender.
  Expected<std::uint64_t> record(TraineeEvent event);

  /// Blocks until the server acknowledged every recorded event, or `timeout`.
  bool wait_until_acked(std::chrono::milliseconds timeout);

  /// The buffer (for its watermarks).
  const EventBuffer& buffer() const;

  /// The error that ended the last stream (e.g. permission_denied); empty message if none.
  Error last_error() const;

  /// True while the server refuses the buffered events because the trainee has not
  /// agreed to recording (last_error() says how to); they stay in the buffer and are
  /// sent at the next retry after the consent is given.
  bool refused_for_consent() const;

  /// Streams (re)opened so far, for tests and diagnostics.
  std::uint64_t connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cyrange::client
