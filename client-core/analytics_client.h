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

}  // namespace cyrange::client
