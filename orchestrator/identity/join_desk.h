#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/identity/identity_store.h>
#include <orchestrator/identity/join_code.h>

namespace cyrange::identity {

/// One team's join code as created; the plain code exists only here (the store keeps
/// its SHA-256).
struct JoinCode {
  std::string team;
  std::string code;  ///< "ABCD-EFGH"
  std::chrono::system_clock::time_point expires_at;
};

/// A course's join code for one organisation as created (the plain code exists only here).
struct CourseJoinCode {
  std::string course, organisation;
  std::string code;  ///< "ABCD-EFGH"
  std::chrono::system_clock::time_point expires_at;
};

/// What redeeming a join code gives a trainee: a new user of the team and its token,
/// valid only in the exercise; or, for a course code, a new pseudonymous trainee of the
/// code's organisation with a token for that course (exercise_id empty, course set).
struct JoinGrant {
  std::string token;
  std::string exercise_id;
  std::string course;  ///< the course of a course code; empty for a training day
  std::string team;
  std::string user_name;
  std::chrono::system_clock::time_point expires_at;
};

/// Join codes in PostgreSQL (table join_codes, migration 0010) and their redemption.
/// Instructors create one code per team of an exercise; a trainee redeems a code without
/// a token and gets a trainee user "<team>-<random hex>" (no personal data) with a token
/// bound to the exercise. A course code (create_course_code) makes a trainee
/// "<organisation>-<random hex>" of its own team of that name, a member of the code's
/// organisation who may take that course only, with a token valid as long as the course
/// keeps a run (its expires_after_days, at most 30 days). Both kinds share one throttle of
/// wrong codes per peer address. Creation and redemption are written to audit_log.
/// Thread-safe.
class JoinDesk {
 public:
  /// How long a redeemed token is valid: one training day.
  static constexpr std::chrono::hours kTokenLifetime{24};

  /// Connects to `uri` (schema migrated, as PgIdentityStore::open); users and tokens are
  /// created through `identities`.
  static Expected<std::unique_ptr<JoinDesk>> open(const std::string& uri,
                                                  std::shared_ptr<PgIdentityStore> identities);
  ~JoinDesk();
  JoinDesk(const JoinDesk&) = delete;
  JoinDesk& operator=(const JoinDesk&) = delete;

  /// New codes for every team of `exercise`, valid for `ttl` (> 0); the exercise's older
  /// codes are revoked. `actor_user_id` is who asked (for the audit log; none for the host's
  /// operator). not_found for an unknown exercise, failed_precondition for an ended one.
  Expected<std::vector<JoinCode>> create_codes(const std::string& exercise,
                                               std::chrono::seconds ttl,
                                               std::optional<std::int64_t> actor_user_id);

  /// A new join code of `course` for the trainees of `organisation`, valid for `ttl` (> 0);
  /// the older code of that course and organisation is revoked. not_found for an unknown
  /// course or organisation, failed_precondition for a withdrawn course or one not open to
  /// the organisation. Audited with `actor_user_id`.
  Expected<CourseJoinCode> create_course_code(const std::string& course,
                                              const std::string& organisation,
                                              std::chrono::seconds ttl,
                                              std::optional<std::int64_t> actor_user_id);

  /// Redeems `typed_code` for a caller at `peer` (an address without port). Errors, each in
  /// English and Japanese: resource_exhausted saying how long to wait after too many wrong
  /// codes; not_found for an unknown code, another for a replaced one; failed_precondition
  /// for an expired code or an ended exercise.
  Expected<JoinGrant> join(std::string_view typed_code, const std::string& peer);

 private:
  struct Impl;
  explicit JoinDesk(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cyrange::identity
