#include <orchestrator/privacy/research_export.h>

#include <algorithm>
#include <map>

#include <orchestrator/common/log.h>
#include <orchestrator/common/private_file.h>
#include <orchestrator/privacy/pg_sql.h>

namespace cyrange::privacy {
namespace {

namespace fs = std::filesystem;

// A trainee with research consent and recorded events in the exercise.
struct Candidate {
  std::string pseudonym;
  std::int64_t team_id = 0;
  OrganisationAttributes organisation;
  std::int64_t events = 0;
};

constexpr std::int64_t kFetchRows = 5000;

Status check_options(const ResearchExportOptions& o) {
  if (o.exercise.empty()) {
    return make_error(ErrorCode::invalid_argument,
                      "No exercise was named; pass --exercise with the exercise id. "
                      "演習 ID を指定してください。");
  }
  if (o.k < 2) {
    return make_error(ErrorCode::invalid_argument,
                      "k must be at least 2, not " + std::to_string(o.k) +
                          "; with k = 1 the organisation attributes would identify people. "
                          "k は 2 以上にしてください。");
  }
  if (o.max_suppressed_percent < 0 || o.max_suppressed_percent > 100) {
    return make_error(ErrorCode::invalid_argument,
                      "The suppression limit must be a percentage from 0 to 100, not " +
                          std::to_string(o.max_suppressed_percent) + ".");
  }
  if (o.out_dir.empty()) {
    return make_error(ErrorCode::invalid_argument,
                      "No output directory was named; pass --out DIR. 出力先を指定してください。");
  }
  return Status::success();
}

// Creates the output directory, or accepts an existing empty one.
Expected<bool> prepare_directory(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec) || !fs::is_empty(dir, ec)) {
      return make_error(ErrorCode::already_exists,
                        "The output directory '" + dir.string() +
                            "' exists and is not an empty directory; choose a new or empty one "
                            "so that no earlier export is mixed in. 空のディレクトリを指定して"
                            "ください。");
    }
    return false;
  }
  if (!fs::create_directories(dir, ec)) {
    return make_error(ErrorCode::failed_precondition, "Cannot create the output directory '" +
                                                          dir.string() + "': " + ec.message() +
                                                          ". 出力先を作成できません。");
  }
  return true;
}

std::vector<Candidate> read_candidates(pqxx::work& tx, const std::string& exercise) {
  std::vector<Candidate> out;
  auto rows = tx.exec_params(
      "SELECT p.pseudonym, u.team_id, coalesce(o.type, 'unknown'), "
      "       coalesce(o.size_band, 'unknown'), coalesce(o.region, 'unknown'), "
      "       coalesce(r.block, 'unknown'), "
      "       (SELECT count(*) FROM recorder_events e "
      "        WHERE e.exercise_id = c.exercise_id AND e.trainee = p.pseudonym) "
      "FROM consents c JOIN users u ON u.id = c.user_id "
      "JOIN trainee_pseudonyms p ON p.user_id = u.id AND p.exercise_id = c.exercise_id "
      "LEFT JOIN organisation_members m ON m.user_id = u.id "
      "LEFT JOIN organisations o ON o.id = m.organisation_id "
      "LEFT JOIN regions r ON r.code = o.region "
      "WHERE c.exercise_id = $1 AND c.purpose = 'research' AND c.withdrawn_at IS NULL",
      exercise);
  for (const auto& r : rows) {
    Candidate c;
    c.pseudonym = r[0].as<std::string>();
    c.team_id = r[1].is_null() ? 0 : r[1].as<std::int64_t>();
    c.organisation = {r[2].as<std::string>(), r[3].as<std::string>(), r[4].as<std::string>(),
                      r[5].as<std::string>()};
    c.events = r[6].as<std::int64_t>();
    if (c.events > 0) out.push_back(std::move(c));
  }
  return out;
}

Status write_events(pqxx::work& tx, const ResearchExportOptions& options, const Rekeyer& rekeyer,
                    const fs::path& path, std::int64_t& rows) {
  auto table =
      TableWriter::create(path, options.format, {"trainee", "team", "kind", "t_ms", "data"});
  if (!table) return table.error();
  const std::string exercise = tx.quote(options.exercise);
  // The exercise start: its clock's start, else the first event released here.
  tx.exec0(
      "DECLARE export_events NO SCROLL CURSOR FOR "
      "SELECT x.rekeyed, e.team_id, e.kind, "
      "  round(extract(epoch FROM e.wall_at - coalesce("
      "    (SELECT started_at FROM timeline_clocks WHERE exercise_id = " +
      exercise +
      "), "
      "    min(e.wall_at) OVER ())) * 1000)::bigint, e.data::text "
      "FROM recorder_events e JOIN export_trainees x ON x.pseudonym = e.trainee "
      "WHERE e.exercise_id = " +
      exercise + " ORDER BY e.wall_at, e.client_id, e.seq");
  for (;;) {
    auto batch = tx.exec("FETCH " + std::to_string(kFetchRows) + " FROM export_events");
    for (const auto& r : batch) {
      table->write({r[0].as<std::string>(), rekeyer.team(r[1].as<std::int64_t>()),
                    r[2].as<std::string>(), r[3].as<std::int64_t>(),
                    nlohmann::json::parse(r[4].as<std::string>(), nullptr, false)});
    }
    if (batch.size() < static_cast<std::size_t>(kFetchRows)) break;
  }
  tx.exec0("CLOSE export_events");
  rows = table->rows();
  return table->close();
}

// Research data: readable by the exporting operator only, never through a planted link.
Status write_text(const fs::path& path, const std::string& text) {
  return write_private_file(path, text);
}

nlohmann::json manifest(const ResearchExportOptions& o, const ResearchExportReport& r) {
  nlohmann::json files = nlohmann::json::array();
  for (const auto& f : r.files) files.push_back(f.filename().string());
  files.push_back(kManifestFile);
  return {{"exercise", o.exercise},
          {"format", std::string(to_string(o.format))},
          {"k", o.k},
          {"generalisation",
           {{"organisation_type", r.levels.type},
            {"organisation_size", r.levels.size},
            {"organisation_region", r.levels.region}}},
          {"trainees_consenting", r.trainees_consenting},
          {"trainees_exported", r.trainees_exported},
          {"trainees_suppressed", r.trainees_suppressed},
          {"suppression_within_limit", r.within_budget},
          {"events", r.events},
          {"audit_id", r.audit_id},
          {"files", files}};
}

void remove_files(const std::vector<fs::path>& files, const fs::path& dir, bool created_dir) {
  std::error_code ec;
  for (const auto& f : files) fs::remove(f, ec);
  if (created_dir) fs::remove(dir, ec);
}

}  // namespace

Expected<ResearchExportReport> export_research(const std::string& uri,
                                               const ResearchExportOptions& options) {
  if (Status valid = check_options(options); !valid) return valid.error();
  auto session = store::PgSession::open(uri, "privacy");
  if (!session) return session.error();
  auto rekeyer = Rekeyer::create();
  if (!rekeyer) return rekeyer.error();
  auto created_dir = prepare_directory(options.out_dir);
  if (!created_dir) return created_dir.error();

  const fs::path dir = options.out_dir;
  const std::string ext(to_string(options.format));
  const fs::path events_path = dir / (std::string(kEventsStem) + "." + ext);
  const fs::path trainees_path = dir / (std::string(kTraineesStem) + "." + ext);
  const fs::path dictionary_path = dir / kDictionaryFile;
  const fs::path manifest_path = dir / kManifestFile;
  const std::vector<fs::path> all_files = {events_path, trainees_path, dictionary_path,
                                           manifest_path};

  ResearchExportReport report;
  report.out_dir = dir;
  Status st = (*session)->run(
      "exporting exercise '" + options.exercise + "' for research", [&](pqxx::work& tx) -> Status {
        remove_files(all_files, dir, false);  // what a retried attempt had written
        report = ResearchExportReport{};
        report.out_dir = dir;
        // One snapshot for consents and events: a consent withdrawn meanwhile is
        // either fully in or fully out.
        tx.exec0("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
        if (tx.exec_params("SELECT 1 FROM exercises WHERE id = $1", options.exercise).empty()) {
          return make_error(ErrorCode::not_found,
                            "Exercise '" + options.exercise +
                                "' does not exist; list exercises to find its id. "
                                "演習が存在しません。");
        }
        std::vector<Candidate> candidates = read_candidates(tx, options.exercise);
        std::vector<OrganisationAttributes> people;
        for (const auto& c : candidates) people.push_back(c.organisation);
        const AnonymityPlan plan = plan_k_anonymity(
            people, options.k,
            people.size() * static_cast<std::size_t>(options.max_suppressed_percent) / 100);
        report.trainees_consenting = candidates.size();
        report.trainees_suppressed = plan.suppressed;
        report.levels = plan.levels;
        report.within_budget = plan.within_budget;

        tx.exec0(
            "CREATE TEMP TABLE export_trainees (pseudonym text PRIMARY KEY, rekeyed text) "
            "ON COMMIT DROP");
        // Released in order of the new ids, so row order says nothing about the old ones.
        std::map<std::string, std::size_t> released;
        for (std::size_t i = 0; i < candidates.size(); ++i) {
          if (!plan.kept[i]) continue;
          const std::string id = rekeyer->trainee(candidates[i].pseudonym);
          released[id] = i;
          tx.exec_params0("INSERT INTO export_trainees VALUES ($1, $2)", candidates[i].pseudonym,
                          id);
        }
        report.trainees_exported = released.size();

        auto trainees = TableWriter::create(trainees_path, options.format,
                                            {"trainee", "team", "organisation_type",
                                             "organisation_size", "organisation_region", "events"});
        if (!trainees) return trainees.error();
        report.files.push_back(trainees_path);
        for (const auto& [id, i] : released) {
          const AttributeKey& key = plan.released[i];
          trainees->write({id, rekeyer->team(candidates[i].team_id), key[0], key[1], key[2],
                           candidates[i].events});
        }
        if (Status closed = trainees->close(); !closed) return closed;

        report.files.push_back(events_path);
        if (Status ev = write_events(tx, options, *rekeyer, events_path, report.events); !ev) {
          return ev;
        }
        report.files.push_back(dictionary_path);
        if (Status dd = write_text(dictionary_path, data_dictionary(options, report)); !dd) {
          return dd;
        }
        report.audit_id = internal::insert_audit(
            tx, {options.actor,
                 "research.export",
                 "exercise:" + options.exercise,
                 {{"format", ext},
                  {"k", options.k},
                  {"out", fs::absolute(dir).string()},
                  {"trainees", report.trainees_exported},
                  {"trainees_suppressed", report.trainees_suppressed},
                  {"rows", report.events + static_cast<std::int64_t>(report.trainees_exported)},
                  {"events", report.events}}});
        if (Status mf = write_text(manifest_path, manifest(options, report).dump(2) + "\n"); !mf) {
          return mf;
        }
        report.files.push_back(manifest_path);
        return Status::success();
      });
  if (!st) {
    remove_files(all_files, dir, *created_dir);
    return st.error();
  }
  log::get("privacy")->info(
      "{} exported exercise {} for research: {} trainees ({} suppressed), {} events, audit {}",
      options.actor.label, options.exercise, report.trainees_exported, report.trainees_suppressed,
      report.events, report.audit_id);
  return report;
}

}  // namespace cyrange::privacy
