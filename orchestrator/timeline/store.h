#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/timeline/clock.h>
#include <orchestrator/timeline/model.h>

namespace cyrange::timeline {

/// A compare-and-set on one execution: applied only when its current state is one
/// of `from`. Claiming (due -> firing) is such a change, so two engines (or an
/// engine before and after a crash) can never both fire one execution.
struct ExecutionChange {
  std::int64_t id = 0;
  std::vector<ExecState> from;
  ExecState to = ExecState::pending;
  std::optional<double> due_at;
  std::optional<double> fired_at;
  std::optional<double> finished_at;
  std::optional<std::string> choice;
  std::optional<double> chosen_at;
  std::optional<std::string> detail;
  bool count_attempt = false;  ///< attempts += 1 (claims)
};

/// A change of execution `id` from one of `from` to `to`, nothing else set yet.
ExecutionChange make_change(std::int64_t id, std::vector<ExecState> from, ExecState to);

/// Applies `change` to `execution` (whose state the caller checked).
void apply(Execution& execution, const ExecutionChange& change);

/// Where executions and exercise clocks live. The PostgreSQL implementation is the
/// system of record; the in-memory one serves unit tests. Implementations are
/// thread-safe.
class TimelineStore {
 public:
  virtual ~TimelineStore() = default;
  /// Creates the pending executions of `items` for one team; items that already
  /// have an execution are left untouched, so arming twice changes nothing.
  virtual Status add_executions(const std::string& exercise, const std::string& team,
                                const std::vector<TimelineItem>& items) = 0;
  /// Every execution of `exercise`, ordered by team then item seq.
  virtual Expected<std::vector<Execution>> load(const std::string& exercise) = 0;
  /// The ids of every exercise that has executions or a clock.
  virtual Expected<std::vector<std::string>> exercises() = 0;
  /// Performs `change`; false (and nothing changed) when the state did not match.
  virtual Expected<bool> change(const ExecutionChange& change) = 0;
  /// The persisted clock of `exercise`, if any.
  virtual Expected<std::optional<ClockState>> load_clock(const std::string& exercise) = 0;
  /// Persists the clock of `exercise`.
  virtual Status save_clock(const std::string& exercise, const ClockState& state) = 0;
  /// The name of the team with identity id `team_id`, if it exists.
  virtual Expected<std::optional<std::string>> team_name(std::int64_t team_id) = 0;
};

/// In-memory TimelineStore for unit tests; same semantics as the PostgreSQL one.
class MemoryTimelineStore : public TimelineStore {
 public:
  Status add_executions(const std::string& exercise, const std::string& team,
                        const std::vector<TimelineItem>& items) override;
  Expected<std::vector<Execution>> load(const std::string& exercise) override;
  Expected<std::vector<std::string>> exercises() override;
  Expected<bool> change(const ExecutionChange& change) override;
  Expected<std::optional<ClockState>> load_clock(const std::string& exercise) override;
  Status save_clock(const std::string& exercise, const ClockState& state) override;
  Expected<std::optional<std::string>> team_name(std::int64_t team_id) override;
  /// Declares team `name` with identity id `team_id`.
  void add_team(std::int64_t team_id, const std::string& name);
  /// Overwrites one execution as if a crash had left it so (tests only).
  void force_state(std::int64_t id, ExecState state);

 private:
  mutable std::mutex mutex_;
  std::int64_t next_id_ = 1;
  std::map<std::int64_t, Execution> executions_;
  std::map<std::string, ClockState> clocks_;
  std::map<std::int64_t, std::string> teams_;
};

}  // namespace cyrange::timeline
