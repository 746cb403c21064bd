#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <client-core/call.h>
#include <client-core/connection.h>
#include <client-core/localized_text.h>
#include <client-core/subscription.h>
#include <orchestrator/common/expected.h>

namespace cyrange::client {

/// A course a trainee may take alone.
struct CourseInfo {
  std::string id, scenario_id, title_ja, title_en;
  double clock_speed = 1;  ///< exercise seconds per second
  int expires_after_days = 14;
  std::vector<std::string> organisations;  ///< staff only; empty: open to everyone
  bool withdrawn = false;                  ///< staff only
};

/// Where a run is in its life.
enum class RunState { unknown, queued, starting, running, paused, finished, expired, failed };

/// One trainee's run of a course.
struct CourseRunInfo {
  std::int64_t id = 0;
  std::string course_id, user;
  RunState state = RunState::unknown;
  std::string exercise_id, team;  ///< empty until placed
  std::string detail;             ///< why it failed
  int queue_position = 0;         ///< 1-based while queued
  std::int64_t created_at_unix_ms = 0, started_at_unix_ms = 0, paused_at_unix_ms = 0,
               ended_at_unix_ms = 0, expires_at_unix_ms = 0;  ///< 0: not reached
  int score = 0;                                              ///< points so far, penalties included
  int objectives_solved = 0;                                  ///< objectives solved in full
  int hints_taken = 0;
};

/// A started or resumed run and the token for its exercise (empty while queued or paused).
struct RunTicketInfo {
  CourseRunInfo run;
  std::string token;
};

/// A rubric item of a run that waits for an instructor's review (graded with
/// ScoringClient's rubric grading on the run's exercise and team).
struct PendingReviewInfo {
  std::int64_t run_id = 0;
  std::string exercise_id, team, objective, item;
  LocalizedText objective_title, text;
  int points = 0;
};

/// A course's join code for one organisation (shown once; only its hash is kept).
struct CourseJoinCodeInfo {
  std::string course_id, organisation, code;
  std::int64_t expires_at_unix_ms = 0;
};

/// The review items waiting in the runs the caller may list.
struct ReviewQueue {
  std::vector<PendingReviewInfo> reviews;
  std::vector<std::int64_t> unavailable_runs;  ///< runs whose scores the server has not loaded
};

/// CourseService, Qt-free: asynchronous calls (call.h) and blocking forms built on them.
/// The run's own token (RunTicketInfo::token) is what the client uses for the run's
/// tasks, inbox, terminals and report.
class CourseClient {
 public:
  /// Uses (and shares) `connection`.
  explicit CourseClient(Connection connection);

  /// Courses the caller may start.
  Call<std::vector<CourseInfo>> courses_async() const;
  /// Starts the caller's run of `course`, or resumes their open one.
  Call<RunTicketInfo> start_async(const std::string& course) const;
  /// The caller's runs, newest first (staff: everyone's).
  Call<std::vector<CourseRunInfo>> runs_async() const;
  /// Saves the run's guests to disk and stops its clock.
  Call<CourseRunInfo> pause_async(std::int64_t run) const;
  /// Restores a paused run (queued again when the pool is full).
  Call<RunTicketInfo> resume_async(std::int64_t run) const;
  /// Ends the run; its results stay.
  Call<CourseRunInfo> end_async(std::int64_t run) const;
  /// Tells the server the trainee is active (the idle pause waits again).
  Call<CourseRunInfo> keep_alive_async(std::int64_t run) const;
  /// The caller's runs as runs() lists them, then each run again whenever its state, its place
  /// in the queue or its results change (and every new one): live, nothing is polled. Replace
  /// a run by its id; after a lost link the stream resumes with a fresh list.
  Subscription watch_runs(std::function<void(const CourseRunInfo&)> on_run,
                          std::function<void(const StreamEnd&)> on_end = {}) const;
  /// Review items still waiting in run `run`, or in every run the caller may list (0);
  /// instructors and admins only.
  Call<ReviewQueue> reviews_async(std::int64_t run = 0) const;

  /// A join code of `course` for the trainees of `organisation`, valid `ttl` (0: 7 days);
  /// admins for any organisation, instructors for their own.
  Call<CourseJoinCodeInfo> create_join_code_async(const std::string& course,
                                                  const std::string& organisation,
                                                  std::chrono::seconds ttl) const;

  /// Blocking forms of the calls above.
  Expected<std::vector<CourseInfo>> courses() const;
  Expected<RunTicketInfo> start(const std::string& course) const;
  Expected<std::vector<CourseRunInfo>> runs() const;
  Expected<CourseRunInfo> pause(std::int64_t run) const;
  Expected<RunTicketInfo> resume(std::int64_t run) const;
  Expected<CourseRunInfo> end(std::int64_t run) const;

 private:
  Connection connection_;
};

}  // namespace cyrange::client
