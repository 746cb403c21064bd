#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <client-core/call.h>
#include <client-core/connection.h>
#include <orchestrator/common/expected.h>

namespace cyrange::client {

/// The texts of a team's incident report; each section at most 64 KiB.
struct ReportSections {
  std::string timeline;
  std::string scope;
  std::string cause;
  std::string measures;
  std::string recommendations;
  std::string free_text;
  bool operator==(const ReportSections&) const = default;
};

/// One saved version of a report, without its texts.
struct ReportVersionInfo {
  std::string exercise_id;
  std::string team;
  int version = 0;  ///< 1, 2, ... in the order of saving
  bool submitted = false;
  std::string saved_by;  ///< login name
  std::int64_t saved_at_unix_ms = 0;
};

/// A version with its texts.
struct ReportDocument {
  ReportVersionInfo version;
  ReportSections sections;
};

/// ReportService, Qt-free: asynchronous calls (call.h) and blocking forms built on them.
/// Trainees save and read their own team's report (the server takes the team from the
/// token); instructors read every team's.
class ReportClient {
 public:
  /// Uses (and shares) `connection`.
  explicit ReportClient(Connection connection);

  /// Saves a new version edited from `base_version` (0 for the first save); `submit` hands
  /// it in, after which the team cannot change it. Errors: aborted when someone saved a
  /// newer version in between (the message names it and who saved it), failed_precondition
  /// once submitted, invalid_argument for a section over 64 KiB.
  Call<ReportVersionInfo> save_async(const std::string& exercise, const ReportSections& sections,
                                     int base_version, bool submit = false) const;
  /// Version `version` (0: the latest) of a team's report; `team` empty: the caller's own.
  Call<ReportDocument> get_async(const std::string& exercise, const std::string& team = {},
                                 int version = 0) const;
  /// Every version of a team's report, oldest first; `team` empty: the caller's own.
  Call<std::vector<ReportVersionInfo>> versions_async(const std::string& exercise,
                                                      const std::string& team = {}) const;

  /// Blocking forms of the calls above.
  Expected<ReportVersionInfo> save(const std::string& exercise, const ReportSections& sections,
                                   int base_version, bool submit = false) const;
  Expected<ReportDocument> get(const std::string& exercise, const std::string& team = {},
                               int version = 0) const;
  Expected<std::vector<ReportVersionInfo>> versions(const std::string& exercise,
                                                    const std::string& team = {}) const;

 private:
  Connection connection_;
};

}  // namespace cyrange::client
