#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/privacy/audit.h>

namespace cyrange::privacy {

/// What a trainee's organisation is called in an export when it is not known.
inline constexpr const char* kUnknown = "unknown";
/// What a fully generalised attribute is called in an export.
inline constexpr const char* kAnyValue = "*";
/// Generalisation levels of every attribute: 0 exact, 1 coarse, 2 "*".
inline constexpr int kMaxLevel = 2;

/// The facts about a trainee's organisation a research export may show, exact.
struct OrganisationAttributes {
  std::string type = kUnknown;          ///< "municipality", ...
  std::string size_band = kUnknown;     ///< "1000-4999", ...
  std::string region = kUnknown;        ///< prefecture code, "tokyo"
  std::string region_block = kUnknown;  ///< regional block of the prefecture, "kanto"
};

/// Valid organisation types, most specific; level 1 groups them into government,
/// business and other_sector.
const std::vector<std::string>& organisation_types();

/// Valid staff size bands; level 1 groups them into 1-299 and 300+.
const std::vector<std::string>& size_bands();

/// `type` at generalisation `level` (0..kMaxLevel).
std::string generalise_type(const std::string& type, int level);

/// `band` at generalisation `level` (0..kMaxLevel).
std::string generalise_size(const std::string& band, int level);

/// The region of `attributes` at `level`: prefecture, regional block, "*".
std::string generalise_region(const OrganisationAttributes& attributes, int level);

/// An organisation trainees come from, with the retention of their recordings.
struct Organisation {
  std::int64_t id = 0;
  std::string name;
  std::string type;
  std::string size_band;
  std::string region;  ///< prefecture code (table regions)
  int retention_days = 365;
};

}  // namespace cyrange::privacy

namespace cyrange::store {
class PgSession;
}  // namespace cyrange::store

namespace cyrange::privacy {

/// Organisations and which user belongs to which (migration 0008). Thread-safe.
class PgOrganisationStore {
 public:
  /// Connects to `uri`; failed_precondition when the schema is not migrated.
  static Expected<std::unique_ptr<PgOrganisationStore>> open(const std::string& uri);

  ~PgOrganisationStore();
  PgOrganisationStore(const PgOrganisationStore&) = delete;
  PgOrganisationStore& operator=(const PgOrganisationStore&) = delete;

  /// Adds an organisation, or updates the one of that name; returns its id.
  /// invalid_argument names the bad type, size band, region or retention. Audited.
  Expected<std::int64_t> put(const Organisation& organisation, const Actor& actor);

  /// Makes user `user_name` a member of organisation `organisation_name`. Audited.
  Status assign(const std::string& user_name, const std::string& organisation_name,
                const Actor& actor);

  /// Every organisation, by name.
  Expected<std::vector<Organisation>> list();

 private:
  explicit PgOrganisationStore(std::unique_ptr<store::PgSession> session);
  std::unique_ptr<store::PgSession> session_;
};

}  // namespace cyrange::privacy
