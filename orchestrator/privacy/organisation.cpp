#include <orchestrator/privacy/organisation.h>

#include <algorithm>
#include <map>

#include <orchestrator/privacy/pg_sql.h>

namespace cyrange::privacy {
namespace {

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

bool known(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

const std::vector<std::string>& organisation_types() {
  static const std::vector<std::string> types = {"central_government",
                                                 "prefectural_government",
                                                 "municipality",
                                                 "independent_agency",
                                                 "critical_infrastructure",
                                                 "private_company",
                                                 "education",
                                                 "healthcare",
                                                 "other"};
  return types;
}

const std::vector<std::string>& size_bands() {
  static const std::vector<std::string> bands = {"1-99", "100-299", "300-999", "1000-4999",
                                                 "5000+"};
  return bands;
}

std::string generalise_type(const std::string& type, int level) {
  if (level >= kMaxLevel) return kAnyValue;
  if (level == 0 || type == kUnknown) return type;
  static const std::map<std::string, std::string> sector = {
      {"central_government", "government"},
      {"prefectural_government", "government"},
      {"municipality", "government"},
      {"independent_agency", "government"},
      {"critical_infrastructure", "business"},
      {"private_company", "business"},
      {"education", "other_sector"},
      {"healthcare", "other_sector"},
      {"other", "other_sector"}};
  auto it = sector.find(type);
  return it == sector.end() ? std::string("other_sector") : it->second;
}

std::string generalise_size(const std::string& band, int level) {
  if (level >= kMaxLevel) return kAnyValue;
  if (level == 0 || band == kUnknown) return band;
  return band == "1-99" || band == "100-299" ? "1-299" : "300+";
}

std::string generalise_region(const OrganisationAttributes& attributes, int level) {
  if (level >= kMaxLevel) return kAnyValue;
  return level == 0 ? attributes.region : attributes.region_block;
}

PgOrganisationStore::PgOrganisationStore(std::unique_ptr<store::PgSession> session)
    : session_(std::move(session)) {}
PgOrganisationStore::~PgOrganisationStore() = default;

Expected<std::unique_ptr<PgOrganisationStore>> PgOrganisationStore::open(const std::string& uri) {
  auto session = store::PgSession::open(uri, "privacy");
  if (!session) return session.error();
  return std::unique_ptr<PgOrganisationStore>(new PgOrganisationStore(std::move(session).value()));
}

Expected<std::int64_t> PgOrganisationStore::put(const Organisation& org, const Actor& actor) {
  if (org.name.empty()) {
    return make_error(ErrorCode::invalid_argument,
                      "The organisation has no name; give it one. 組織名を指定してください。");
  }
  if (!known(organisation_types(), org.type)) {
    return make_error(ErrorCode::invalid_argument,
                      "Organisation '" + org.name + "' has the unknown type '" + org.type +
                          "'; use one of " + joined(organisation_types()) +
                          ". 組織の種別が不明です。");
  }
  if (!known(size_bands(), org.size_band)) {
    return make_error(ErrorCode::invalid_argument,
                      "Organisation '" + org.name + "' has the unknown size band '" +
                          org.size_band + "'; use one of " + joined(size_bands()) +
                          " (staff head count). 組織の規模区分が不明です。");
  }
  if (org.retention_days <= 0) {
    return make_error(ErrorCode::invalid_argument,
                      "Organisation '" + org.name + "' needs a retention of at least 1 day, not " +
                          std::to_string(org.retention_days) + ". 保存期間は 1 日以上です。");
  }
  std::int64_t id = 0;
  Status st =
      session_->run("saving organisation '" + org.name + "'", [&](pqxx::work& tx) -> Status {
        if (tx.exec_params("SELECT 1 FROM regions WHERE code = $1", org.region).empty()) {
          return make_error(ErrorCode::invalid_argument,
                            "Organisation '" + org.name + "' names the unknown region '" +
                                org.region +
                                "'; use a prefecture code in lower case such as tokyo, osaka or "
                                "hokkaido (table regions). 地域（都道府県）が不明です。");
        }
        id = tx.exec_params1(
                   "INSERT INTO organisations (name, type, size_band, region, retention_days) "
                   "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO UPDATE SET type = $2, "
                   "size_band = $3, region = $4, retention_days = $5 RETURNING id",
                   org.name, org.type, org.size_band, org.region, org.retention_days)[0]
                 .as<std::int64_t>();
        internal::insert_audit(tx, {actor,
                                    "organisation.put",
                                    "organisation:" + org.name,
                                    {{"type", org.type},
                                     {"size_band", org.size_band},
                                     {"region", org.region},
                                     {"retention_days", org.retention_days}}});
        return Status::success();
      });
  if (!st) return st.error();
  return id;
}

Status PgOrganisationStore::assign(const std::string& user_name,
                                   const std::string& organisation_name, const Actor& actor) {
  return session_->run(
      "assigning user '" + user_name + "' to organisation '" + organisation_name + "'",
      [&](pqxx::work& tx) -> Status {
        auto updated = tx.exec_params(
            "INSERT INTO organisation_members (user_id, organisation_id) "
            "SELECT u.id, o.id FROM users u, organisations o WHERE u.name = $1 AND o.name = $2 "
            "ON CONFLICT (user_id) DO UPDATE SET organisation_id = excluded.organisation_id",
            user_name, organisation_name);
        if (updated.affected_rows() == 0) {
          return make_error(ErrorCode::not_found,
                            "Cannot assign user '" + user_name + "' to organisation '" +
                                organisation_name +
                                "': one of them does not exist; add the organisation with "
                                "`cyrange privacy org put` and the user with `cyrange users "
                                "add`. ユーザーまたは組織が存在しません。");
        }
        internal::insert_audit(tx, {actor,
                                    "organisation.assign",
                                    "user:" + user_name,
                                    {{"organisation", organisation_name}}});
        return Status::success();
      });
}

Expected<std::vector<Organisation>> PgOrganisationStore::list() {
  std::vector<Organisation> orgs;
  Status st = session_->run("listing organisations", [&](pqxx::work& tx) {
    for (const auto& r : tx.exec("SELECT id, name, type, size_band, region, retention_days "
                                 "FROM organisations ORDER BY name")) {
      orgs.push_back({r[0].as<std::int64_t>(), r[1].as<std::string>(), r[2].as<std::string>(),
                      r[3].as<std::string>(), r[4].as<std::string>(), r[5].as<int>()});
    }
    return Status::success();
  });
  if (!st) return st.error();
  return orgs;
}

}  // namespace cyrange::privacy
