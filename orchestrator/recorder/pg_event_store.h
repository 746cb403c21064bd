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

/// One recorder_events row as separate fields, in kEventColumns order (the ingest
/// bench loads these with libpqxx's own COPY for its baseline).
using EventRow = std::array<std::string, 9>;

/// Writes event submissions to PostgreSQL exactly once, with binary COPY on one
/// libpq connection (see libpq_connection.h); not thread-safe (each writer thread
/// owns one store). Reconnects once when the connection broke, e.g. after a
/// PostgreSQL restart.
class PgEventStore {
 public:
  /// What stores learn once and keep (which teams play an exercise, pseudonyms,
  /// partition names): facts that do not change while an exercise runs.
  struct KnownFacts;

  /// Empty facts, to hand to every store of one pipeline so that only the first
  /// writer that meets an exercise or trainee asks PostgreSQL.
  static std::shared_ptr<KnownFacts> share_facts();

  /// Connects to `uri`; ErrorCode::unavailable when PostgreSQL cannot be reached.
  /// Without `facts` the store keeps its own.
  static Expected<std::unique_ptr<PgEventStore>> open(const std::string& uri,
                                                      std::shared_ptr<KnownFacts> facts = nullptr);

  ~PgEventStore();
  PgEventStore(const PgEventStore&) = delete;
  PgEventStore& operator=(const PgEventStore&) = delete;

  /// Commits every submission in ONE transaction (group commit) and returns, per
  /// submission, its client's highest committed sequence or why it was refused:
  /// permission_denied when the exercise does not include the trainee's team or
  /// the client id belongs to another user; failed_precondition (missing_consent)
  /// when the trainee has no active scoring consent for an event's exercise;
  /// invalid_argument when the client id is not a UUID; unavailable/internal when
  /// the database failed (then nothing of the group was committed).
  std::vector<Expected<std::uint64_t>> commit(const std::vector<const Submission*>& group);

  /// The pseudonym of `user_id` in `exercise` (a new one in every exercise), created on
  /// first use.
  Expected<std::string> pseudonym_of(std::int64_t user_id, const std::string& exercise);

 private:
  struct Impl;
  explicit PgEventStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cyrange::recorder
