#pragma once

#include <memory>
#include <string>

#include <orchestrator/report/report.h>

namespace cyrange::report {

/// Reports in PostgreSQL (table reports, migration 0010): every save one row, never an
/// update. Thread-safe; reconnects once after a lost connection (store::PgSession).
class PgReportStore : public ReportStore {
 public:
  /// Connects to `uri`; failed_precondition naming `cyrange db migrate` when not migrated.
  static Expected<std::unique_ptr<PgReportStore>> open(const std::string& uri);
  ~PgReportStore() override;

  /// See ReportStore. Saves of one team are serialised by a transaction lock.
  Expected<ReportVersion> append(const ReportSave& save) override;
  Expected<Report> get(const std::string& exercise, const std::string& team, int version) override;
  Expected<std::vector<ReportVersion>> versions(const std::string& exercise,
                                                const std::string& team) override;
  Expected<std::optional<std::string>> team_name(std::int64_t team_id) override;
  Expected<bool> plays_in(const std::string& exercise, const std::string& team) override;

 private:
  struct Impl;
  explicit PgReportStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cyrange::report
