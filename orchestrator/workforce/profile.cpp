#include <orchestrator/workforce/profile.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <yaml-cpp/yaml.h>

namespace cyrange::workforce {
namespace {

/// "HH:MM" -> minutes after midnight; throws on malformed text (caught at the edge).
int parse_clock(const std::string& text) {
  int h = 0, m = 0;
  char colon = 0;
  std::istringstream in(text);
  if (!(in >> h >> colon >> m) || colon != ':' || h < 0 || h > 23 || m < 0 || m > 59) {
    throw std::runtime_error("'" + text + "' is not a clock time HH:MM");
  }
  return h * 60 + m;
}

template <class T>
void read(const YAML::Node& node, const char* key, T& into) {
  if (node[key]) into = node[key].as<T>();
}

std::vector<std::string> strings(const YAML::Node& node) {
  std::vector<std::string> out;
  if (node)
    for (const auto& n : node) out.push_back(n.as<std::string>());
  return out;
}

void read_day(const YAML::Node& d, DayShape& day) {
  if (!d) return;
  if (d["desk_intensity"]) {
    const auto v = d["desk_intensity"].as<std::vector<double>>();
    if (v.size() != 24)
      throw std::runtime_error("day.desk_intensity needs 24 values (one per hour)");
    for (std::size_t i = 0; i < 24; ++i) day.desk_intensity[i] = v[i];
  }
  for (const auto& s : d["shift_starts"]) {
    day.shift_starts.push_back(
        {parse_clock(s["time"].as<std::string>()), s["weight"].as<double>(1.0)});
  }
  read(d, "shift_minutes", day.shift_minutes);
  read(d, "arrival_spread_minutes", day.arrival_spread_minutes);
  read(d, "departure_spread_minutes", day.departure_spread_minutes);
  if (d["lunch_start"]) day.lunch_start_minute = parse_clock(d["lunch_start"].as<std::string>());
  read(d, "lunch_minutes", day.lunch_minutes);
  read(d, "lunch_factor", day.lunch_factor);
  read(d, "overtime_probability", day.overtime_probability);
  read(d, "overtime_mean_minutes", day.overtime_mean_minutes);
  read(d, "absence_probability", day.absence_probability);
}

void read_rates(const YAML::Node& r, Rates& rates) {
  if (!r) return;
  read(r, "page_views_per_hour", rates.page_views_per_hour);
  read(r, "mails_sent_per_day", rates.mails_sent_per_day);
  read(r, "internal_mail_share", rates.internal_mail_share);
  read(r, "external_mails_received_per_day", rates.external_mails_received_per_day);
  read(r, "file_operations_per_hour", rates.file_operations_per_hour);
  read(r, "failed_logon_probability", rates.failed_logon_probability);
  read(r, "dns_cache_seconds", rates.dns_cache_seconds);
}

ActivityProfile from_yaml(const YAML::Node& root) {
  ActivityProfile p;
  read(root, "utc_offset_minutes", p.utc_offset_minutes);
  p.workstation_zones = strings(root["workstation_zones"]);
  read(root, "simulated_internet_zone", p.simulated_internet_zone);
  read(root, "workstation_prefix", p.workstation_prefix);
  read(root, "first_workstation_number", p.first_workstation_number);
  read_day(root["day"], p.day);
  read_rates(root["rates"], p.rates);
  for (const auto& d : root["departments"]) {
    p.departments.push_back({d["id"].as<std::string>(), d["ja"].as<std::string>(""),
                             d["en"].as<std::string>(""), d["weight"].as<double>(1.0)});
  }
  for (const auto& h : root["habits"]) {
    Habit habit;
    habit.name = h["name"].as<std::string>();
    read(h, "probability", habit.probability);
    read(h, "arrival_shift_minutes", habit.arrival_shift_minutes);
    read(h, "overtime_minutes", habit.overtime_minutes);
    read(h, "web_factor", habit.web_factor);
    read(h, "lunch_web_factor", habit.lunch_web_factor);
    read(h, "mail_factor", habit.mail_factor);
    read(h, "external_mail_factor", habit.external_mail_factor);
    read(h, "file_factor", habit.file_factor);
    read(h, "favourite_category", habit.favourite_category);
    p.habits.push_back(std::move(habit));
  }
  for (const auto& s : root["sites"]) {
    Site site;
    site.domain = s["domain"].as<std::string>();
    read(s, "category", site.category);
    read(s, "weight", site.weight);
    read(s, "https", site.https);
    read(s, "type", site.content_type);
    site.paths = strings(s["paths"]);
    if (site.paths.empty()) site.paths.push_back("/");
    read(s, "min_bytes", site.min_bytes);
    read(s, "max_bytes", site.max_bytes);
    read(s, "objects", site.objects);
    if (site.max_bytes < site.min_bytes)
      throw std::runtime_error("site " + site.domain + " has max_bytes < min_bytes");
    p.sites.push_back(std::move(site));
  }
  if (const auto a = root["assets"]) {
    read(a, "domain", p.asset_domain);
    p.asset_paths = strings(a["paths"]);
    p.asset_types = strings(a["types"]);
    if (p.asset_types.size() != p.asset_paths.size())
      throw std::runtime_error("assets.types must pair with assets.paths");
  }
  p.correspondent_locals = strings(root["correspondents"]["locals"]);
  p.correspondent_domains = strings(root["correspondents"]["domains"]);
  p.documents = strings(root["documents"]);
  p.family_names = strings(root["family_names"]);
  p.given_names = strings(root["given_names"]);

  if (p.sites.empty()) throw std::runtime_error("the profile lists no sites");
  if (p.family_names.empty() || p.given_names.empty())
    throw std::runtime_error("the profile needs family_names and given_names");
  if (p.correspondent_locals.empty() || p.correspondent_domains.empty())
    throw std::runtime_error("the profile needs correspondents");
  if (p.documents.empty()) throw std::runtime_error("the profile lists no documents");
  if (p.day.shift_starts.empty()) p.day.shift_starts.push_back({510, 1});
  return p;
}

}  // namespace

const Habit* ActivityProfile::habit(const std::string& name) const {
  for (const auto& h : habits) {
    if (h.name == name) return &h;
  }
  return nullptr;
}

Expected<ActivityProfile> parse_activity_profile(const std::string& yaml,
                                                 const std::string& origin) {
  try {
    return from_yaml(YAML::Load(yaml));
  } catch (const std::exception& e) {
    return make_error(
        ErrorCode::invalid_argument,
        "The workforce activity profile " + origin + " is not usable: " + e.what() +
            "; compare it with orchestrator/workforce/data/activity.yaml and fix it.");
  }
}

Expected<ActivityProfile> load_activity_profile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return make_error(ErrorCode::not_found, "Cannot read the workforce profile " + path +
                                                "; check the path and permissions.");
  }
  std::stringstream text;
  text << in.rdbuf();
  return parse_activity_profile(text.str(), path);
}

const ActivityProfile& default_activity_profile() {
  static const ActivityProfile profile = [] {
    auto parsed = parse_activity_profile(embedded_activity_yaml(), "(built-in data/activity.yaml)");
    if (!parsed)
      throw std::logic_error(parsed.error().message);  // a build defect, caught by unit tests
    return std::move(*parsed);
  }();
  return profile;
}

}  // namespace cyrange::workforce
