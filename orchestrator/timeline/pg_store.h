#pragma once

#include <memory>
#include <string>

#include <orchestrator/timeline/store.h>

namespace cyrange::timeline {

/// The TimelineStore in PostgreSQL (tables of migration 0004_timeline). One
/// connection behind a mutex, reopened once when it broke (PostgreSQL restart).
class PgTimelineStore : public TimelineStore {
 public:
  /// Connects to `uri` and checks the schema is migrated.
  static Expected<std::unique_ptr<PgTimelineStore>> open(const std::string& uri);
  ~PgTimelineStore() override;
  PgTimelineStore(const PgTimelineStore&) = delete;
  PgTimelineStore& operator=(const PgTimelineStore&) = delete;

  Status add_executions(const std::string& exercise, const std::string& team,
                        const std::vector<TimelineItem>& items) override;
  Expected<std::vector<Execution>> load(const std::string& exercise) override;
  Expected<std::vector<std::string>> exercises() override;
  Expected<bool> change(const ExecutionChange& change) override;
  Expected<std::optional<ClockState>> load_clock(const std::string& exercise) override;
  Status save_clock(const std::string& exercise, const ClockState& state) override;
  Expected<std::optional<std::string>> team_name(std::int64_t team_id) override;

 private:
  struct Impl;
  explicit PgTimelineStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cyrange::timeline
