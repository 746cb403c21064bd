#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/identity/identity.h>

namespace cyrange::report {

/// The texts of a team's incident report.
struct ReportSections {
  std::string timeline;
  std::string scope;
  std::string cause;
  std::string measures;
  std::string recommendations;
  std::string free_text;
};

/// The most a section may hold, in bytes of UTF-8.
inline constexpr std::size_t kMaxSectionBytes = 64 * 1024;

/// One saved version of a report, without its texts.
struct ReportVersion {
  std::string exercise;
  std::string team;
  int version = 0;  ///< 1, 2, ... in the order of saving
  bool submitted = false;
  std::string saved_by;  ///< login name
  std::chrono::system_clock::time_point saved_at;
};

/// A version with its texts.
struct Report {
  ReportVersion version;
  ReportSections sections;
};

/// A save to append, as ReportDesk checked it.
struct ReportSave {
  std::string exercise;
  std::string team;
  ReportSections sections;
  int base_version = 0;  ///< the version the text was edited from; 0: none yet
  bool submit = false;
  std::string saved_by;
};

/// Where reports live: PostgreSQL (migration 0010, PgReportStore) or memory (tests).
class ReportStore {
 public:
  virtual ~ReportStore() = default;
  /// Appends `save` as the next version, atomically with these checks: aborted when
  /// base_version is not the latest (naming the newer version and who saved it),
  /// failed_precondition when the latest version was submitted.
  virtual Expected<ReportVersion> append(const ReportSave& save) = 0;
  /// Version `version` (0: the latest) of a team's report; not_found when none.
  virtual Expected<Report> get(const std::string& exercise, const std::string& team,
                               int version) = 0;
  /// Every version of a team's report, oldest first; empty when none was saved.
  virtual Expected<std::vector<ReportVersion>> versions(const std::string& exercise,
                                                        const std::string& team) = 0;
  /// The name of the team with identity id `team_id`, or nothing.
  virtual Expected<std::optional<std::string>> team_name(std::int64_t team_id) = 0;
  /// True when `team` plays in `exercise`.
  virtual Expected<bool> plays_in(const std::string& exercise, const std::string& team) = 0;
};

/// The rules of reports: a trainee writes and reads only its own team's report (the team
/// comes from the identity, never the request) and cannot change it once submitted;
/// instructors and admins read every team's; designers none. Refusals are
/// permission_denied; every message is in English and Japanese.
class ReportDesk {
 public:
  /// `store` must not be null.
  explicit ReportDesk(std::shared_ptr<ReportStore> store);

  /// Saves a new version of the caller's team's report (trainees only).
  Expected<ReportVersion> save(const identity::Identity& caller, const std::string& exercise,
                               const ReportSections& sections, int base_version, bool submit);
  /// Version `version` (0: latest) of `team`'s report (trainees: empty or their own team).
  Expected<Report> get(const identity::Identity& caller, const std::string& exercise,
                       const std::string& team, int version);
  /// Every version of `team`'s report (trainees: empty or their own team).
  Expected<std::vector<ReportVersion>> versions(const identity::Identity& caller,
                                                const std::string& exercise,
                                                const std::string& team);

 private:
  Expected<std::string> own_team(const identity::Identity& caller, const std::string& exercise);
  Expected<std::string> readable_team(const identity::Identity& caller, const std::string& exercise,
                                      const std::string& team);

  std::shared_ptr<ReportStore> store_;
};

}  // namespace cyrange::report
