#pragma once

#include <memory>
#include <string>

#include <orchestrator/course/course.h>

namespace cyrange::course {

/// Courses and runs in PostgreSQL (tables of migration 0011). Thread-safe; reconnects
/// once after a lost connection (store::PgSession).
class PgCourseStore : public CourseStore {
 public:
  /// Connects to `uri`; failed_precondition naming `cyrange db migrate` when not migrated.
  static Expected<std::unique_ptr<PgCourseStore>> open(const std::string& uri);
  ~PgCourseStore() override;

  Status publish(const Course& course) override;
  Status withdraw(const std::string& id, const std::string& by) override;
  Expected<std::vector<Course>> courses() override;
  Expected<Course> course(const std::string& id) override;
  Expected<std::vector<std::string>> organisations_of(std::int64_t user_id) override;
  Expected<std::optional<std::string>> joined_course(std::int64_t user_id) override;
  Expected<std::optional<Run>> open_run(const std::string& course, std::int64_t user_id) override;
  Expected<Run> add_run(const std::string& course, std::int64_t user_id,
                        TimePoint expires_at) override;
  Expected<Run> run(std::int64_t id) override;
  Expected<std::optional<std::int64_t>> run_owner(const std::string& exercise) override;
  Expected<std::vector<Run>> runs(std::int64_t user_id) override;
  Status update(const Run& run) override;
  Expected<Load> load(std::int64_t user_id) override;
  Expected<std::string> issue_run_token(std::int64_t user_id, const std::string& exercise,
                                        const std::string& team, std::chrono::seconds ttl) override;
  Status audit(std::optional<std::int64_t> actor, const std::string& action,
               const std::string& object) override;

 private:
  struct Impl;
  explicit PgCourseStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cyrange::course
