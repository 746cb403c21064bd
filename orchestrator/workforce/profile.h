#pragma once

#include <array>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>

namespace cyrange::workforce {

// The activity policy (names, sites, habits, day shape) lives in a YAML data file,
// data/activity.yaml, compiled into the binary; the engine only follows it.

/// A habit some staff have: how it bends their day.
struct Habit {
  std::string name;
  double probability = 0;  ///< share of generated staff who have it
  int arrival_shift_minutes = 0;
  int overtime_minutes = 0;
  double web_factor = 1, lunch_web_factor = 1, mail_factor = 1, external_mail_factor = 1,
         file_factor = 1;
  std::string favourite_category;  ///< site category visited three times as often
};

/// One site of the simulated Internet.
struct Site {
  std::string domain;
  std::string category;
  double weight = 1;
  bool https = false;
  std::string content_type;
  std::vector<std::string> paths;
  long long min_bytes = 1000, max_bytes = 10000;
  int objects = 0;  ///< page objects fetched from the asset host after an http page
};

/// A department that fills the population beyond the scenario's own departments.
struct ExtraDepartment {
  std::string id, ja, en;
  double weight = 1;
};

/// A shift start time and how common it is.
struct ShiftStart {
  int minute = 0;
  double weight = 1;
};

/// The shape of a working day.
struct DayShape {
  std::array<double, 24> desk_intensity{};
  std::vector<ShiftStart> shift_starts;
  int shift_minutes = 525;
  int arrival_spread_minutes = 12, departure_spread_minutes = 10;
  int lunch_start_minute = 720, lunch_minutes = 60;
  double lunch_factor = 0.12;
  double overtime_probability = 0.3, overtime_mean_minutes = 75;
  double absence_probability = 0.04;
};

/// Mean activity of an average member of staff.
struct Rates {
  double page_views_per_hour = 7, mails_sent_per_day = 9, internal_mail_share = 0.75;
  double external_mails_received_per_day = 5, file_operations_per_hour = 5;
  double failed_logon_probability = 0.04;
  int dns_cache_seconds = 300;
};

/// The whole activity policy.
struct ActivityProfile {
  int utc_offset_minutes = 540;
  std::vector<std::string> workstation_zones;
  std::string simulated_internet_zone;
  std::string workstation_prefix = "ws";
  int first_workstation_number = 1001;
  DayShape day;
  Rates rates;
  std::vector<ExtraDepartment> departments;
  std::vector<Habit> habits;
  std::vector<Site> sites;
  std::string asset_domain;
  std::vector<std::string> asset_paths, asset_types;
  std::vector<std::string> correspondent_locals, correspondent_domains;
  std::vector<std::string> documents;
  std::vector<std::string> family_names, given_names;

  /// The habit called `name`, or nullptr.
  const Habit* habit(const std::string& name) const;
};

/// Parses profile YAML; `origin` names the source in error messages.
Expected<ActivityProfile> parse_activity_profile(const std::string& yaml,
                                                 const std::string& origin);

/// Reads a profile file (for `--profile`).
Expected<ActivityProfile> load_activity_profile(const std::string& path);

/// The built-in profile (data/activity.yaml as compiled in).
const ActivityProfile& default_activity_profile();

/// The text of the built-in profile, generated at build time.
const std::string& embedded_activity_yaml();

}  // namespace cyrange::workforce
