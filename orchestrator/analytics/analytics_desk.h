#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <orchestrator/analytics/analytics.h>
#include <orchestrator/common/expected.h>
#include <orchestrator/identity/identity.h>
#include <orchestrator/privacy/audit.h>

namespace cyrange::store {
class SessionPool;
}

namespace cyrange::analytics {

/// Where the inputs of analytics come from (recorder_events, the ledger, the clock).
class AnalyticsSource {
 public:
  virtual ~AnalyticsSource() = default;
  /// The inputs of `exercise`, of one team or (team empty) of all; not_found for an
  /// unknown exercise.
  virtual Expected<AnalyticsInput> load(const std::string& exercise, const std::string& team) = 0;
  /// The name of team `team_id` (a trainee's own team).
  virtual Expected<std::string> team_name(std::int64_t team_id) = 0;
  /// The latest `limit` steps of `team` in `exercise`, oldest first; with `only_trainee`, of
  /// the recorded actions only those of that pseudonym (the ledger's entries all).
  virtual Expected<TeamActivity> activity(const std::string& exercise, const std::string& team,
                                          std::size_t limit,
                                          const std::optional<std::string>& only_trainee) = 0;
  /// The pseudonym of `user_id` in `exercise`; empty when nothing of them was recorded there.
  virtual Expected<std::string> pseudonym_of(std::int64_t user_id, const std::string& exercise) = 0;
};

/// Analytics from PostgreSQL: recorder_events (command, answer, hint, report_edit,
/// idle), ledger_entries (solve, hint) and timeline_clocks.started_at as the start
/// (the first action or ledger entry when the clock never started). Calls share two
/// connections (store::SessionPool), opened on first need and kept. Thread-safe.
class PgAnalyticsSource final : public AnalyticsSource {
 public:
  /// Remembers `uri`; connects on the first call.
  explicit PgAnalyticsSource(std::string uri);
  ~PgAnalyticsSource() override;
  /// See AnalyticsSource.
  Expected<AnalyticsInput> load(const std::string& exercise, const std::string& team) override;
  /// See AnalyticsSource.
  Expected<std::string> team_name(std::int64_t team_id) override;
  /// See AnalyticsSource.
  Expected<TeamActivity> activity(const std::string& exercise, const std::string& team,
                                  std::size_t limit,
                                  const std::optional<std::string>& only_trainee) override;
  /// See AnalyticsSource.
  Expected<std::string> pseudonym_of(std::int64_t user_id, const std::string& exercise) override;

 private:
  // Runs `body(tx) -> Expected<T>` on a pooled session.
  template <class T, class Body>
  Expected<T> read(const std::string& doing, Body&& body);

  std::unique_ptr<store::SessionPool> pool_;
};

/// Decides who sees which analytics, transport-free (rpc/analytics_service adapts
/// it): instructors and admins any team of any exercise with every trainee's row, a
/// trainee only their own team's row and their own (team empty means theirs; teammates'
/// numbers and recorded actions are per-person data the consent text keeps for staff),
/// designers none. Every report is a view of recordings and goes to the audit log
/// ("analytics.view") when one is given.
class AnalyticsDesk {
 public:
  /// `source` must not be null; `audit` may be (tests without an audit log).
  AnalyticsDesk(std::shared_ptr<AnalyticsSource> source,
                std::shared_ptr<privacy::PgAuditLog> audit);

  /// The analytics of `exercise` (and `team`, empty: every team the caller may see).
  Expected<ExerciseAnalytics> report(const identity::Identity& caller, const std::string& exercise,
                                     const std::string& team);
  /// One team's activity (a trainee: their own, `team` may be empty), the latest `limit`
  /// steps (0: 500; at most 5000), audited as "analytics.activity".
  Expected<TeamActivity> activity(const identity::Identity& caller, const std::string& exercise,
                                  const std::string& team, std::size_t limit);

 private:
  // The team `caller` may see of `exercise` (empty: every team, for staff).
  Expected<std::string> scope_of(const identity::Identity& caller, const std::string& exercise,
                                 const std::string& team);

  std::shared_ptr<AnalyticsSource> source_;
  std::shared_ptr<privacy::PgAuditLog> audit_;
};

}  // namespace cyrange::analytics
