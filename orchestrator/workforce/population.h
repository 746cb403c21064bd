#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/scenario/scenario.h>
#include <orchestrator/workforce/profile.h>

namespace cyrange::workforce {

/// One simulated member of staff.
struct StaffMember {
  std::string id;             ///< persona id for named staff, "staff-00042" otherwise
  std::string user;           ///< login name and mailbox local part
  std::string mailbox;        ///< user@organisation domain
  std::string department;     ///< department id
  std::string workstation;    ///< host name
  std::uint32_t address = 0;  ///< workstation IPv4 (host order)
  std::uint32_t uid = 0;      ///< numeric id in logon records
  int start_minute = 510, end_minute = 1035;  ///< nominal working hours
  std::vector<std::string> habits;
  bool named = false;  ///< written in the scenario (kept exactly as written)
  // What the habits add up to; computed once so the generator stays policy-free.
  int arrival_shift_minutes = 0, overtime_minutes = 0;
  double web_factor = 1, lunch_web_factor = 1, mail_factor = 1, external_mail_factor = 1,
         file_factor = 1;
  std::string favourite_category;
};

/// A department and how many staff it got in this population.
struct DepartmentInfo {
  std::string id, ja, en;
  int staff = 0;
};

/// A server of the organisation the logs name.
struct Server {
  std::string name;
  std::uint32_t address = 0;
};

/// The simulated staff of one team's organisation plus the places they talk to.
struct Population {
  std::string mail_domain;  ///< e.g. city.kakuu.lg.jp
  Server proxy, mail, files, dns;
  std::vector<DepartmentInfo> departments;
  std::vector<StaffMember> staff;
  std::vector<std::uint32_t> site_addresses;           ///< parallel to the profile's sites
  std::uint32_t asset_address = 0;                     ///< the page-object host
  std::vector<std::uint32_t> correspondent_addresses;  ///< MX of each correspondent domain
  std::uint32_t dns_upstream = 0;                      ///< where the range DNS forwards
  std::map<std::string, std::string> variables;        ///< the team's resolved ${vars.*}

  /// Index of the member with this user, persona id or mailbox; -1 when absent.
  int find(const std::string& who) const;
};

/// How to expand the scenario's workforce.
struct PopulationOptions {
  std::uint64_t seed = 1;
  std::string team = "team-1";
  int population = 0;  ///< 0: the scenario's workforce.population
};

/// Root of every random stream for (seed, team): other teams get other staff and days.
std::uint64_t stream_root(std::uint64_t seed, const std::string& team);

/// Expands the scenario's workforce section into a full population. Named personas
/// stay as written (mailbox after ${vars} substitution, workstation, hours, habits);
/// the rest are drawn deterministically from (seed, team).
Expected<Population> build_population(const scenario::Scenario& scenario,
                                      const ActivityProfile& profile,
                                      const PopulationOptions& options);

}  // namespace cyrange::workforce
