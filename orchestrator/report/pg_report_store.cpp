#include <orchestrator/report/pg_report_store.h>

#include <orchestrator/store/pg_session.h>

namespace cyrange::report {
namespace {

// The columns version_from() reads, joined to each query at compile time (building the
// query with std::string + trips GCC 12's -Warray-bounds false positive).
#define CYRANGE_REPORT_VERSION_COLUMNS                \
  "exercise_id, team, version, submitted, saved_by, " \
  "(extract(epoch FROM saved_at) * 1000000)::bigint"

ReportVersion version_from(const pqxx::row& row) {
  ReportVersion v;
  v.exercise = row[0].as<std::string>();
  v.team = row[1].as<std::string>();
  v.version = row[2].as<int>();
  v.submitted = row[3].as<bool>();
  v.saved_by = row[4].as<std::string>();
  v.saved_at = std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::microseconds(row[5].as<std::int64_t>())));
  return v;
}

Error no_report(const std::string& exercise, const std::string& team, int version) {
  if (version == 0) {
    return make_error(
        ErrorCode::not_found,
        "Team '" + team + "' has not saved a report in exercise '" + exercise + "' yet.",
        "チーム '" + team + "' は演習 '" + exercise + "' の報告書をまだ保存していません。");
  }
  const std::string n = std::to_string(version);
  return make_error(ErrorCode::not_found,
                    "The report of team '" + team + "' in exercise '" + exercise +
                        "' has no version " + n + "; list the versions to see which exist.",
                    "チーム '" + team + "' の報告書に版 " + n + " はありません。");
}

}  // namespace

struct PgReportStore::Impl {
  std::unique_ptr<store::PgSession> session;
};

PgReportStore::PgReportStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PgReportStore::~PgReportStore() = default;

Expected<std::unique_ptr<PgReportStore>> PgReportStore::open(const std::string& uri) {
  auto session = store::PgSession::open(uri, "report");
  if (!session) return session.error();
  auto impl = std::make_unique<Impl>();
  impl->session = std::move(session).value();
  return std::unique_ptr<PgReportStore>(new PgReportStore(std::move(impl)));
}

Expected<ReportVersion> PgReportStore::append(const ReportSave& save) {
  ReportVersion saved;
  Status status = impl_->session->run(
      "saving the report of team '" + save.team + "'", [&](pqxx::work& tx) -> Status {
        // One writer per team report at a time: the check of the latest version and the
        // insert of the next one must see the same latest version.
        tx.exec_params1("SELECT pg_advisory_xact_lock(hashtext('report/' || $1 || '/' || $2))",
                        save.exercise, save.team);
        const auto latest = tx.exec_params(
            "SELECT " CYRANGE_REPORT_VERSION_COLUMNS
            " FROM reports WHERE exercise_id = $1 AND team = $2 ORDER BY version DESC LIMIT 1",
            save.exercise, save.team);
        int next = 1;
        if (!latest.empty()) {
          const ReportVersion last = version_from(latest[0]);
          if (last.submitted) {
            return make_error(ErrorCode::failed_precondition,
                              "The report of team '" + save.team + "' was submitted as version " +
                                  std::to_string(last.version) + " by '" + last.saved_by +
                                  "' and can no longer be changed.",
                              "チーム '" + save.team + "' の報告書は版 " +
                                  std::to_string(last.version) + " として '" + last.saved_by +
                                  "' が提出済みのため、変更できません。");
          }
          if (last.version != save.base_version) {
            return make_error(ErrorCode::aborted,
                              "Version " + std::to_string(last.version) +
                                  " of the report was saved by '" + last.saved_by +
                                  "' after the version you edited (" +
                                  std::to_string(save.base_version) +
                                  "). Load the newer version, merge your changes and save again.",
                              "編集元の版（" + std::to_string(save.base_version) + "）の後に、'" +
                                  last.saved_by + "' が版 " + std::to_string(last.version) +
                                  " を保存しました。新しい版を読み込み、変更をまとめてから保存し直"
                                  "してください。");
          }
          next = last.version + 1;
        } else if (save.base_version != 0) {
          return make_error(
              ErrorCode::aborted,
              "The report of team '" + save.team + "' has no version " +
                  std::to_string(save.base_version) + " to build on; save with base version 0.",
              "チーム '" + save.team + "' の報告書に版 " + std::to_string(save.base_version) +
                  " はありません。元の版を 0 として保存してください。");
        }
        const auto& s = save.sections;
        const auto row = tx.exec_params1(
            "INSERT INTO reports (exercise_id, team, version, timeline, scope, cause, measures, "
            "recommendations, free_text, submitted, saved_by) VALUES ($1, $2, $3, $4, $5, $6, $7, "
            "$8, $9, $10, $11) RETURNING " CYRANGE_REPORT_VERSION_COLUMNS,
            save.exercise, save.team, next, s.timeline, s.scope, s.cause, s.measures,
            s.recommendations, s.free_text, save.submit, save.saved_by);
        saved = version_from(row);
        if (save.submit) {
          tx.exec_params0(
              "INSERT INTO audit_log (action, object, detail) VALUES ('report.submit', $1, "
              "jsonb_build_object('version', $2::int, 'by', $3::text))",
              "report:" + save.exercise + "/" + save.team, next, save.saved_by);
        }
        return Status::success();
      });
  if (!status) return status.error();
  return saved;
}

Expected<Report> PgReportStore::get(const std::string& exercise, const std::string& team,
                                    int version) {
  Report report;
  Status status = impl_->session->run(
      "reading the report of team '" + team + "'", [&](pqxx::work& tx) -> Status {
        const auto rows = tx.exec_params(
            "SELECT " CYRANGE_REPORT_VERSION_COLUMNS
            ", timeline, scope, cause, measures, recommendations, free_text FROM reports "
            "WHERE exercise_id = $1 AND team = $2 AND ($3 = 0 OR version = $3) "
            "ORDER BY version DESC LIMIT 1",
            exercise, team, version);
        if (rows.empty()) return no_report(exercise, team, version);
        const auto& row = rows[0];
        report.version = version_from(row);
        report.sections = ReportSections{row[6].as<std::string>(),  row[7].as<std::string>(),
                                         row[8].as<std::string>(),  row[9].as<std::string>(),
                                         row[10].as<std::string>(), row[11].as<std::string>()};
        return Status::success();
      });
  if (!status) return status.error();
  return report;
}

Expected<std::vector<ReportVersion>> PgReportStore::versions(const std::string& exercise,
                                                             const std::string& team) {
  return impl_->session->fetch<std::vector<ReportVersion>>(
      "listing the report versions of team '" + team + "'", [&](pqxx::work& tx) {
        std::vector<ReportVersion> out;
        for (const auto& row :
             tx.exec_params("SELECT " CYRANGE_REPORT_VERSION_COLUMNS
                            " FROM reports WHERE exercise_id = $1 AND team = $2 ORDER BY version",
                            exercise, team)) {
          out.push_back(version_from(row));
        }
        return out;
      });
}

Expected<std::optional<std::string>> PgReportStore::team_name(std::int64_t team_id) {
  return impl_->session->fetch<std::optional<std::string>>(
      "reading team " + std::to_string(team_id), [&](pqxx::work& tx) {
        const auto rows = tx.exec_params("SELECT name FROM teams WHERE id = $1", team_id);
        if (rows.empty()) return std::optional<std::string>();
        return std::optional<std::string>(rows[0][0].as<std::string>());
      });
}

Expected<bool> PgReportStore::plays_in(const std::string& exercise, const std::string& team) {
  return impl_->session->fetch<bool>("checking the teams of exercise '" + exercise + "'",
                                     [&](pqxx::work& tx) {
                                       return !tx.exec_params(
                                                     "SELECT 1 FROM exercise_teams et JOIN teams "
                                                     "t ON t.id = et.team_id WHERE "
                                                     "et.exercise_id = $1 AND t.name = $2",
                                                     exercise, team)
                                                   .empty();
                                     });
}

}  // namespace cyrange::report

#undef CYRANGE_REPORT_VERSION_COLUMNS
