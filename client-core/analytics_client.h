#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <client-core/call.h>
#include <client-core/connection.h>
#include <orchestrator/common/expected.h>

namespace cyrange::client {

/// When a team solved an objective and how many commands it took.
struct ObjectiveTimingView {
  std::string objective;
  double solved_after_s = 0;
  std::int64_t commands = 0;
};

/// The analytics of one team (trainee empty) or one trainee (by pseudonym).
struct ActorAnalyticsView {
  std::string team;
  std::string trainee;
  std::optional<double> first_action_s;
  std::vector<ObjectiveTimingView> objectives;
  std::int64_t commands = 0;
  std::int64_t hints = 0;
  double idle_s = 0;
};

/// The analytics of an exercise as AnalyticsService.GetAnalytics answers them.
struct ExerciseAnalyticsView {
  std::string exercise;
  std::int64_t start_unix_us = 0;
  std::vector<ActorAnalyticsView> teams;
  std::vector<ActorAnalyticsView> trainees;
};

/// AnalyticsService.GetAnalytics of `exercise` (one `team`, or empty: every team the
/// caller may see); blocking.
Call<ExerciseAnalyticsView> get_analytics_async(const Connection& connection,
                                                const std::string& exercise,
                                                const std::string& team = {});
/// Blocking form of get_analytics_async.
Expected<ExerciseAnalyticsView> get_analytics(const Connection& connection,
                                              const std::string& exercise,
                                              const std::string& team = {});

/// One step of a team's activity (AnalyticsService.ListActivity).
struct ActivityEntryView {
  double at_s = 0;      ///< wall-clock seconds since the exercise started
  std::string trainee;  ///< pseudonym; empty for ledger entries
  /// command, answer, hint, report_edit, idle; "ledger:solve", "ledger:hint", ...
  std::string kind;
  std::string host;  ///< commands only
  std::string text;
  bool redacted = false;  ///< a command line never stored (a password prompt)
  std::int64_t points = 0;
  bool from_ledger() const { return kind.rfind("ledger:", 0) == 0; }
};

/// A team's latest steps, oldest first.
struct TeamActivityView {
  std::int64_t start_unix_us = 0;
  std::vector<ActivityEntryView> entries;
  bool truncated = false;  ///< older steps were left out
};

/// The latest `limit` steps (0: the server's 500) of `team` in `exercise`.
Call<TeamActivityView> list_activity_async(const Connection& connection,
                                           const std::string& exercise, const std::string& team,
                                           std::uint32_t limit = 0);

}  // namespace cyrange::client
