#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/recorder/event.h>

namespace cyrange::recorder {

/// Column order of recorder_events as written by COPY (received_at is defaulted).
inline constexpr std::array<const char*, 9> kEventColumns = {"exercise_id",  "client_id", "seq",
                                                             "team_id",      "trainee",   "kind",
                                                             "monotonic_ns", "wall_at",   "data"};

/// One recorder_events row in COPY text form, in kEventColumns order.
using EventRow = std::array<std::string, 9>;

/// Builds the row of `event` with sequence `seq`; `trainee` is the pseudonym.
EventRow to_row(const Submission& submission, const Event& event, std::uint64_t seq,
                const std::string& trainee);

/// "2024-05-01 09:30:00.123456+00": microseconds since the epoch as timestamptz text.
std::string format_wall_time(std::int64_t unix_us);

/// Writes event submissions to PostgreSQL exactly once. One connection; not
/// thread-safe (each writer thread owns one store). Reconnects once when the
/// connection broke, e.g. after a PostgreSQL restart.
class PgEventStore {
 public:
  /// Connects to `uri`; ErrorCode::unavailable when PostgreSQL cannot be reached.
  static Expected<std::unique_ptr<PgEventStore>> open(const std::string& uri);

  ~PgEventStore();
  PgEventStore(const PgEventStore&) = delete;
  PgEventStore& operator=(const PgEventStore&) = delete;

  /// Commits every submission in ONE transaction (group commit) and returns, per
  /// submission, its client's highest committed sequence or why it was refused:
  /// permission_denied when the exercise does not include the trainee's team or
  /// the client id belongs to another user; failed_precondition (missing_consent)
  /// when the trainee has no active scoring consent for an event's exercise;
  /// unavailable/internal when the
  /// database failed (then nothing of the group was committed).
  std::vector<Expected<std::uint64_t>> commit(const std::vector<const Submission*>& group);

  /// The pseudonym of `user_id`, created on first use.
  Expected<std::string> pseudonym_of(std::int64_t user_id);

 private:
  struct Impl;
  explicit PgEventStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cyrange::recorder
