#include <orchestrator/workforce/population.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_set>

#include <orchestrator/common/log.h>
#include <orchestrator/scenario/net.h>
#include <orchestrator/scenario/variables.h>
#include <orchestrator/workforce/live_schedule.h>
#include <orchestrator/workforce/rng.h>

namespace cyrange::workforce {
namespace {

namespace sc = cyrange::scenario;

/// Splits `total` over `weights` by largest remainder (deterministic, sums exactly).
std::vector<int> apportion(int total, const std::vector<double>& weights) {
  std::vector<int> out(weights.size(), 0);
  double sum = 0;
  for (double w : weights) sum += w;
  if (weights.empty() || sum <= 0 || total <= 0) return out;
  std::vector<std::pair<double, std::size_t>> rest;
  int given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double exact = total * weights[i] / sum;
    out[i] = static_cast<int>(std::floor(exact));
    given += out[i];
    rest.push_back({exact - out[i], i});
  }
  std::stable_sort(rest.begin(), rest.end(), [](auto& a, auto& b) { return a.first > b.first; });
  for (std::size_t k = 0; given < total; ++k, ++given) ++out[rest[k % rest.size()].second];
  return out;
}

void apply_habits(StaffMember& m, const ActivityProfile& profile) {
  for (const auto& name : m.habits) {
    const Habit* h = profile.habit(name);
    if (!h) continue;  // a scenario habit the profile does not model: kept as a label
    m.arrival_shift_minutes += h->arrival_shift_minutes;
    m.overtime_minutes += h->overtime_minutes;
    m.web_factor *= h->web_factor;
    m.lunch_web_factor *= h->lunch_web_factor;
    m.mail_factor *= h->mail_factor;
    m.external_mail_factor *= h->external_mail_factor;
    m.file_factor *= h->file_factor;
    if (!h->favourite_category.empty()) m.favourite_category = h->favourite_category;
  }
}

/// The topology's addresses (after ${vars}) so staff never get a server's address.
std::set<std::uint32_t> taken_addresses(const sc::Scenario& s,
                                        const std::map<std::string, std::string>& vars) {
  std::set<std::uint32_t> taken;
  auto add = [&](const std::string& text) {
    if (auto a = sc::parse_ipv4(sc::substitute(text, vars))) taken.insert(*a);
  };
  for (const auto& h : s.topology.hosts)
    for (const auto& i : h.interfaces) add(i.address);
  for (const auto& r : s.topology.routers)
    for (const auto& i : r.interfaces) add(i.address);
  for (const auto& [name, value] : vars) add(value);
  return taken;
}

// The first host with `role`, or with `service` among its services (DNS often runs
// beside another role, e.g. on the mail host), else `fallback`.
Server server_with_role(const sc::Scenario& s, const std::map<std::string, std::string>& vars,
                        const std::string& role, const std::string& fallback,
                        const std::string& service = "") {
  for (const auto& h : s.topology.hosts) {
    const bool serves = !service.empty() && std::find(h.services.begin(), h.services.end(),
                                                      service) != h.services.end();
    if ((h.role != role && !serves) || h.interfaces.empty()) continue;
    return {h.name, sc::parse_ipv4(sc::substitute(h.interfaces.front().address, vars)).value_or(0)};
  }
  return {fallback, 0};
}

/// Free addresses of the segments in `zones` (host index >= 10 keeps room for infrastructure).
std::vector<std::uint32_t> address_pool(const sc::Scenario& s,
                                        const std::vector<std::string>& zones,
                                        const std::set<std::uint32_t>& taken) {
  std::vector<std::uint32_t> pool;
  for (const auto& seg : s.topology.segments) {
    if (std::find(zones.begin(), zones.end(), seg.zone) == zones.end()) continue;
    const auto net = sc::parse_cidr(seg.cidr);
    if (!net) continue;
    for (std::uint32_t a = net->base + 10; a < net->broadcast(); ++a) {
      if (!taken.count(a)) pool.push_back(a);
    }
  }
  return pool;
}

}  // namespace

int Population::find(const std::string& who) const {
  for (std::size_t i = 0; i < staff.size(); ++i) {
    if (staff[i].user == who || staff[i].id == who || staff[i].mailbox == who)
      return static_cast<int>(i);
  }
  return -1;
}

std::uint64_t stream_root(std::uint64_t seed, const std::string& team) {
  return mix64(seed) ^ stable_hash(team);
}

Expected<Population> build_population(const sc::Scenario& s, const ActivityProfile& profile,
                                      const PopulationOptions& options) {
  Population pop;
  pop.variables = sc::resolve_variables(s, options.seed, options.team);
  const auto& vars = pop.variables;
  const std::uint64_t root = stream_root(options.seed, options.team);

  const auto& wf = s.workforce;
  int scenario_staff = 0;
  for (const auto& d : wf.departments) scenario_staff += d.staff;
  const int total = options.population > 0 ? options.population
                    : wf.population > 0    ? wf.population
                                           : scenario_staff;
  if (total < static_cast<int>(wf.personas.size()) || total <= 0) {
    return make_error(ErrorCode::invalid_argument,
                      "A population of " + std::to_string(total) + " cannot hold the " +
                          std::to_string(wf.personas.size()) + " named personas of " + s.file +
                          "; give --population at least that many.");
  }

  // Servers the logs name.
  pop.proxy = server_with_role(s, vars, "proxy", "proxy");
  pop.mail = server_with_role(s, vars, "mail", "mail");
  pop.files = server_with_role(s, vars, "file_server", "files");
  pop.dns = server_with_role(s, vars, "dns", pop.proxy.name, "dns");
  for (const auto& h : s.topology.hosts) {
    if (h.role == "mail" && h.config.count("domain"))
      pop.mail_domain = sc::substitute(h.config.at("domain"), vars);
  }
  for (const auto& p : wf.personas) {
    const std::string mb = sc::substitute(p.mailbox, vars);
    if (pop.mail_domain.empty() && mb.find('@') != std::string::npos)
      pop.mail_domain = mb.substr(mb.find('@') + 1);
  }
  if (pop.mail_domain.empty()) {
    return make_error(ErrorCode::invalid_argument,
                      s.file +
                          " names no mail domain: give the mail host `config: {domain: ...}` "
                          "or a persona a mailbox.");
  }

  // Addresses: staff workstations in the workstation zones, sites in the simulated Internet.
  const auto taken = taken_addresses(s, vars);
  const auto pool = address_pool(s, profile.workstation_zones, taken);
  if (pool.empty()) {
    return make_error(ErrorCode::invalid_argument,
                      s.file +
                          " has no segment in the workstation zones of the workforce profile; "
                          "add a segment with one of those zones or change workstation_zones.");
  }
  auto internet = address_pool(s, {profile.simulated_internet_zone}, taken);
  if (internet.empty()) internet.push_back(0xC6336414);  // 198.51.100.20, documentation range
  auto site_address = [&](const std::string& domain) {
    return internet[stable_hash(domain) % internet.size()];
  };
  for (const auto& site : profile.sites) pop.site_addresses.push_back(site_address(site.domain));
  pop.asset_address = site_address(profile.asset_domain);
  for (const auto& d : profile.correspondent_domains)
    pop.correspondent_addresses.push_back(site_address("mx." + d));
  pop.dns_upstream = site_address("dns-resolver");

  // Departments: the scenario's keep their counts; the profile's fill the rest.
  std::vector<double> weights;
  for (const auto& d : wf.departments) {
    pop.departments.push_back({d.id, d.name.ja, d.name.en, 0});
    weights.push_back(d.staff);
  }
  std::vector<int> counts;
  if (total <= scenario_staff) {
    counts = apportion(total, weights);
  } else {
    counts.assign(weights.begin(), weights.end());
    std::vector<double> extra;
    for (const auto& d : profile.departments) {
      if (std::any_of(wf.departments.begin(), wf.departments.end(),
                      [&](auto& x) { return x.id == d.id; }))
        continue;
      pop.departments.push_back({d.id, d.ja, d.en, 0});
      extra.push_back(d.weight);
    }
    for (int c : apportion(total - scenario_staff, extra)) counts.push_back(c);
    if (extra.empty() && !counts.empty()) counts.back() += total - scenario_staff;
  }
  // Named personas are part of the total: a department never gets fewer seats than
  // its personas, and the seats they need come from the departments with most room.
  std::map<std::string, int> persona_count;
  for (const auto& p : wf.personas) ++persona_count[p.department];
  for (std::size_t i = 0; i < counts.size(); ++i) {
    int deficit = persona_count[pop.departments[i].id] - counts[i];
    while (deficit-- > 0) {
      std::size_t donor = counts.size();
      int room = 0;
      for (std::size_t j = 0; j < counts.size(); ++j) {
        const int r = counts[j] - persona_count[pop.departments[j].id];
        if (r > room) {
          room = r;
          donor = j;
        }
      }
      if (donor == counts.size()) break;
      --counts[donor];
      ++counts[i];
    }
  }
  for (std::size_t i = 0; i < counts.size(); ++i) pop.departments[i].staff = counts[i];

  std::unordered_set<std::string> users;
  std::set<std::string> host_names;
  for (const auto& h : s.topology.hosts) host_names.insert(h.name);
  std::size_t next_address = 0;
  int next_ws = profile.first_workstation_number;
  auto new_workstation = [&](StaffMember& m) {
    do m.workstation = profile.workstation_prefix + std::to_string(next_ws++);
    while (host_names.count(m.workstation));
    // More staff than addresses: addresses are shared, as behind a virtual-desktop pool.
    m.address = pool[next_address++ % pool.size()];
  };
  if (static_cast<std::size_t>(total) > pool.size()) {
    log::get("workforce")
        ->info("{} staff share {} workstation addresses of {}", total, pool.size(), s.file);
  }

  // Named personas first, exactly as written.
  std::map<std::string, int> placed;
  for (const auto& p : wf.personas) {
    StaffMember m;
    m.id = p.id;
    m.named = true;
    m.mailbox = sc::substitute(p.mailbox, vars);
    m.user = m.mailbox.substr(0, m.mailbox.find('@'));
    m.department = p.department;
    m.habits = p.habits;
    if (!parse_working_hours(p.hours, m.start_minute, m.end_minute)) {
      m.start_minute = 510;
      m.end_minute = 1035;
    }
    bool found = false;
    for (const auto& h : s.topology.hosts) {
      if (h.name == p.workstation && !h.interfaces.empty()) {
        m.workstation = h.name;
        m.address = sc::parse_ipv4(sc::substitute(h.interfaces.front().address, vars)).value_or(0);
        found = true;
      }
    }
    if (!found) new_workstation(m);
    users.insert(m.user);
    ++placed[m.department];
    pop.staff.push_back(std::move(m));
  }

  // Generated staff: department by department so the distribution matches exactly.
  int serial = 0;
  for (const auto& dept : pop.departments) {
    for (int k = placed[dept.id]; k < dept.staff; ++k, ++serial) {
      Rng rng(root, stable_hash("staff"), static_cast<std::uint64_t>(serial));
      StaffMember m;
      char id[32];
      std::snprintf(id, sizeof id, "staff-%05d", serial + 1);
      m.id = id;
      m.department = dept.id;
      const std::string& family = profile.family_names[rng.next() % profile.family_names.size()];
      const std::string& given = profile.given_names[rng.next() % profile.given_names.size()];
      std::string user = given.substr(0, 1) + "." + family;  // t.suzuki, the common municipal style
      if (users.count(user)) user = given + "." + family;
      for (int n = 2; users.count(user); ++n) user = given + "." + family + std::to_string(n);
      users.insert(user);
      m.user = user;
      m.mailbox = user + "@" + pop.mail_domain;
      double pick = rng.uniform(), sum = 0, all = 0;
      for (const auto& sh : profile.day.shift_starts) all += sh.weight;
      m.start_minute = profile.day.shift_starts.back().minute;
      for (const auto& sh : profile.day.shift_starts) {
        sum += sh.weight / all;
        if (pick < sum) {
          m.start_minute = sh.minute;
          break;
        }
      }
      m.end_minute = m.start_minute + profile.day.shift_minutes;
      for (const auto& h : profile.habits) {
        if (h.probability > 0 && rng.chance(h.probability)) m.habits.push_back(h.name);
      }
      new_workstation(m);
      pop.staff.push_back(std::move(m));
    }
  }
  for (std::size_t i = 0; i < pop.staff.size(); ++i) {
    pop.staff[i].uid = 10000 + static_cast<std::uint32_t>(i);
    apply_habits(pop.staff[i], profile);
  }
  return pop;
}

}  // namespace cyrange::workforce
