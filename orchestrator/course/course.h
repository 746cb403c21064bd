#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/identity/identity.h>

namespace cyrange::course {

using TimePoint = std::chrono::system_clock::time_point;

/// A scenario published for self-paced study.
struct Course {
  std::string id;  ///< [a-z0-9_], 1-32 characters
  std::string scenario_id, title_ja, title_en;
  std::string scenario_file, scenario_yaml;  ///< the text as published
  int expires_after_days = 14;  ///< a run's range is removed this long after it was created
  double clock_speed = 1;       ///< exercise seconds per wall second
  /// Exercise time a run may take (the scenario's self_paced.time_limit); none: no limit.
  std::optional<std::chrono::seconds> time_limit;
  std::vector<std::string> organisations;  ///< open to these; empty: to every trainee
  std::string published_by;
  bool withdrawn = false;
};

/// Where a run is in its life.
enum class RunState { queued, starting, running, paused, finished, expired, failed };
/// "queued", "starting", ...
std::string_view to_string(RunState state);
/// Parses to_string() output; internal error otherwise.
Expected<RunState> parse_run_state(std::string_view text);
/// True while a run holds (or waits for) a range: queued, starting, running, paused.
bool is_open(RunState state);

/// One trainee's run of a course on a personal exercise.
struct Run {
  std::int64_t id = 0;
  std::string course;
  std::int64_t user_id = 0;
  std::string user;  ///< login name
  RunState state = RunState::queued;
  std::string exercise, team;  ///< empty until placed
  std::string detail;          ///< why it failed, when it did
  TimePoint created_at{}, last_active_at{}, expires_at{};
  std::optional<TimePoint> started_at, paused_at, ended_at;
  int queue_position = 0;  ///< 1-based while queued, else 0
  /// The run's results so far, from the scoring ledger (read only: update() ignores them).
  struct Results {
    int score = 0;              ///< points, penalties included
    int objectives_solved = 0;  ///< objectives solved in full
    int hints_taken = 0;
  } results;
};

/// Courses and runs in PostgreSQL (migration 0011).
class CourseStore {
 public:
  virtual ~CourseStore() = default;
  /// Publishes (or republishes: replaces text, organisations, expiry; clears withdrawal).
  virtual Status publish(const Course& course) = 0;
  /// Marks a course withdrawn (no new runs); not_found for an unknown course.
  virtual Status withdraw(const std::string& id, const std::string& by) = 0;
  /// Every course, withdrawn ones too.
  virtual Expected<std::vector<Course>> courses() = 0;
  /// One course; not_found otherwise.
  virtual Expected<Course> course(const std::string& id) = 0;
  /// The organisation names `user_id` belongs to (none or one today).
  virtual Expected<std::vector<std::string>> organisations_of(std::int64_t user_id) = 0;
  /// The course a user joined with a course code, if they did (they may take that one only).
  virtual Expected<std::optional<std::string>> joined_course(std::int64_t user_id) = 0;
  /// The open run of a user on a course, if any.
  virtual Expected<std::optional<Run>> open_run(const std::string& course,
                                                std::int64_t user_id) = 0;
  /// Adds a queued run expiring `expires_at`.
  virtual Expected<Run> add_run(const std::string& course, std::int64_t user_id,
                                TimePoint expires_at) = 0;
  /// One run; not_found otherwise.
  virtual Expected<Run> run(std::int64_t id) = 0;
  /// The user whose run has `exercise` as its personal exercise, if one has.
  virtual Expected<std::optional<std::int64_t>> run_owner(const std::string& exercise) = 0;
  /// Runs of one user (user_id > 0) or of everyone (0), newest first.
  virtual Expected<std::vector<Run>> runs(std::int64_t user_id) = 0;
  /// Writes a run's state, exercise, team, detail and time stamps as given.
  virtual Status update(const Run& run) = 0;
  /// Runs that hold a range now (starting or running), in total and of the user's
  /// organisation (0 when the user has none), and that organisation's quota.
  struct Load {
    int running = 0;
    int organisation_running = 0;
    std::optional<int> organisation_quota;
  };
  virtual Expected<Load> load(std::int64_t user_id) = 0;
  /// A token for `user_id` acting as `team` in `exercise` only, valid `ttl`.
  virtual Expected<std::string> issue_run_token(std::int64_t user_id, const std::string& exercise,
                                                const std::string& team,
                                                std::chrono::seconds ttl) = 0;
  /// Appends an audit row.
  virtual Status audit(std::optional<std::int64_t> actor, const std::string& action,
                       const std::string& object) = 0;
};

/// What runs need from the exercise machinery (ExerciseEngine in production).
class RunEngine {
 public:
  virtual ~RunEngine() = default;
  /// Creates exercise `exercise` with the one team `team` from the course's scenario.
  virtual Status create(const Course& course, const std::string& exercise,
                        const std::string& team) = 0;
  /// The exercise's state: provisioning, ready, failed, suspended or ended; with why.
  virtual Expected<std::pair<std::string, std::string>> state(const std::string& exercise) = 0;
  /// Starts the exercise clock at `speed` (exercise seconds per second).
  virtual Status start_clock(const std::string& exercise, double speed) = 0;
  /// Exercise time elapsed on the clock (paused time does not count).
  virtual Expected<std::chrono::seconds> clock(const std::string& exercise) = 0;
  /// Takes the default option of every presented decision nobody chose (nobody else will in
  /// a run); returns "team/decision:option" of each choice made.
  virtual Expected<std::vector<std::string>> decide_defaults(const std::string& exercise) = 0;
  /// Saves every guest to disk and pauses the clock.
  virtual Status suspend(const std::string& exercise) = 0;
  /// Restores every guest and continues the clock.
  virtual Status resume(const std::string& exercise) = 0;
  /// Removes every range object; the results stay.
  virtual Status end(const std::string& exercise) = 0;
  /// Loads the results of a paused or ended run's exercise (scores, review items) without
  /// touching its range; nothing when they are loaded.
  virtual Status load_results(const std::string& exercise) = 0;
};

/// Settings of the self-paced service, from the daemon's configuration.
struct RunLimits {
  int capacity = 4;  ///< runs holding a range at once on this daemon's host pool
  std::chrono::seconds token_ttl{std::chrono::hours(12)};
  std::chrono::seconds idle_pause{std::chrono::minutes(15)};
};

/// A started or resumed run with the token its client uses for the run's exercise.
struct RunTicket {
  Run run;
  std::string token;  ///< empty while the run is queued
};

/// The rules and life of self-paced runs. Trainees list the courses open to them,
/// start (or resume) their own run, pause, resume and end it, and list their runs; admins
/// list every run, instructors the runs of their organisation's trainees. A run is queued when the
/// pool or the trainee's organisation is full and starts by itself (tick()) when room frees. tick()
/// also starts the clock of a run whose range is ready, takes the default option of every
/// decision a running run presented (the scenario's `default_option`), pauses runs idle for longer
/// than RunLimits::idle_pause, and removes the ranges of expired runs (results stay). Refusals are
/// permission_denied or not_found in English and Japanese. Thread-safe.
class RunDesk {
 public:
  /// Neither may be null.
  RunDesk(std::shared_ptr<CourseStore> store, std::shared_ptr<RunEngine> engine, RunLimits limits);

  /// Courses the caller may start (trainees: published, not withdrawn, open to their
  /// organisation); staff see every course.
  Expected<std::vector<Course>> courses(const identity::Identity& caller);
  /// Starts the caller's run of `course`, or resumes the open one. Trainees only, with a
  /// token not bound to an exercise.
  Expected<RunTicket> start(const identity::Identity& caller, const std::string& course);
  /// Pauses the caller's running run to disk.
  Expected<Run> pause(const identity::Identity& caller, std::int64_t run);
  /// Resumes the caller's paused run (queued again when there is no room).
  Expected<RunTicket> resume(const identity::Identity& caller, std::int64_t run);
  /// Ends the caller's open run: its range is removed, its results stay.
  Expected<Run> end(const identity::Identity& caller, std::int64_t run);
  /// The trainee is active in the run: the idle timer starts again.
  Expected<Run> keep_alive(const identity::Identity& caller, std::int64_t run);
  /// The caller's runs (trainees), every run (admins), or the runs of the trainees of the
  /// instructor's organisation (an instructor of none: of trainees of none).
  Expected<std::vector<Run>> runs(const identity::Identity& caller);
  /// At daemon start: loads the results of every paused, finished or expired run, so their
  /// scores and review items are there before anyone resumes them. Returns the first error,
  /// after trying every run.
  Status reopen();
  /// Whether `caller` may hand out join codes for `organisation`: admins for any, instructors
  /// for their own; permission_denied in English and Japanese otherwise.
  Status may_hand_out_codes(const identity::Identity& caller, const std::string& organisation);
  /// Whether an instructor or admin may oversee (see, grade) `exercise`: always, unless it is a
  /// run's exercise and the caller an instructor outside the trainee's organisation, who gets
  /// not_found as for an exercise that does not exist. Others: success (their own rules apply).
  Status oversee(const identity::Identity& caller, const std::string& exercise);
  /// Every run, newest first, with no authorisation (for RunFeed; callers pick what a
  /// caller may see).
  Expected<std::vector<Run>> all_runs() { return store_->runs(0); }
  /// Called after every write of a run (a state, a place, a time), outside the desk's lock
  /// or inside it: it must only note the change (RunFeed::changed).
  void on_change(std::function<void()> listener);
  /// One pass of the life cycle (see the class comment); the daemon calls it every few
  /// seconds. Returns the first error, after trying every run.
  Status tick(TimePoint now = std::chrono::system_clock::now());

 private:
  Expected<Run> own_run(const identity::Identity& caller, std::int64_t run);
  Expected<RunTicket> ticket(const identity::Identity& caller, Run run);
  // Places a queued run when there is room; returns the run as it is afterwards.
  Expected<Run> try_place(Run run);
  Status advance(Run run, TimePoint now);
  Status audit(const identity::Identity& caller, const std::string& action, const Run& run);
  // Writes a run and tells the listener.
  Status save(const Run& run);
  void notify();

  std::shared_ptr<CourseStore> store_;
  std::shared_ptr<RunEngine> engine_;
  RunLimits limits_;
  std::mutex mutex_;  // one life-cycle change at a time
  std::mutex listener_mutex_;
  std::function<void()> on_change_;
};

/// Calls RunDesk::tick() every `period` on its own thread until destroyed.
class RunDriver {
 public:
  /// `desk` must not be null.
  RunDriver(std::shared_ptr<RunDesk> desk, std::chrono::milliseconds period);
  /// Returns after the last tick.
  ~RunDriver();
  RunDriver(const RunDriver&) = delete;
  RunDriver& operator=(const RunDriver&) = delete;

 private:
  std::shared_ptr<RunDesk> desk_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace cyrange::course
