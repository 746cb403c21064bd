#include <orchestrator/workforce/generator.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <tuple>
#include <unordered_map>

#include <fmt/format.h>

#include <orchestrator/scenario/net.h>
#include <orchestrator/workforce/rng.h>

namespace cyrange::workforce {
namespace {

constexpr std::int64_t kMinute = 60'000, kHour = 3'600'000;

std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

/// A UUID-shaped message id, as desktop mail clients write them.
std::string message_id(std::uint64_t serial, const std::string& domain) {
  const std::uint64_t a = mix64(serial ^ 0x1d), b = mix64(serial ^ 0x2e);
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}@{}", a >> 32, (a >> 16) & 0xffff,
                     a & 0xffff, b >> 48, b & 0xffffffffffffULL, domain);
}

std::size_t weighted_pick(const std::vector<double>& cumulative, double u) {
  const double x = u * cumulative.back();
  const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), x);
  return std::min<std::size_t>(static_cast<std::size_t>(it - cumulative.begin()),
                               cumulative.size() - 1);
}

}  // namespace

Expected<std::int64_t> local_midnight_ms(const std::string& date, int utc_offset_minutes) {
  int y = 0, m = 0, d = 0;
  char tail = 0;
  if (std::sscanf(date.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 ||
      d < 1 || d > 31) {
    return make_error(
        ErrorCode::invalid_argument,
        "The date '" + date + "' is not a valid date YYYY-MM-DD; give e.g. --date 2025-04-14.");
  }
  return days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)) * 86'400'000LL -
         utc_offset_minutes * kMinute;
}

DayGenerator::DayGenerator(const Population& population, const ActivityProfile& profile,
                           DayOptions options)
    : population_(population), profile_(profile), options_(options) {
  double sum = 0;
  for (const auto& s : profile_.sites) site_weights_.push_back(sum += s.weight);
  std::unordered_map<std::string, std::uint32_t> dept_index;
  for (std::size_t d = 0; d < population_.departments.size(); ++d)
    dept_index[population_.departments[d].id] = static_cast<std::uint32_t>(d);
  department_members_.resize(population_.departments.size() + 1);
  for (std::size_t i = 0; i < population_.staff.size(); ++i) {
    const auto it = dept_index.find(population_.staff[i].department);
    const std::uint32_t d = it == dept_index.end()
                                ? static_cast<std::uint32_t>(population_.departments.size())
                                : it->second;
    department_of_.push_back(d);
    department_members_[d].push_back(static_cast<std::uint32_t>(i));
  }
  plan_day();
}

void DayGenerator::plan_day() {
  const auto& day = profile_.day;
  for (std::size_t i = 0; i < population_.staff.size(); ++i) {
    const auto& m = population_.staff[i];
    Rng rng(options_.root, stable_hash("plan"), i);
    Plan p;
    // Named personas always come in: the scenario relies on them.
    p.present = m.named || !rng.chance(day.absence_probability);
    const double arrival =
        m.start_minute + m.arrival_shift_minutes + rng.normal(-6, day.arrival_spread_minutes);
    double departure =
        m.end_minute + std::abs(rng.normal(4, day.departure_spread_minutes)) + m.overtime_minutes;
    if (rng.chance(day.overtime_probability))
      departure += rng.exponential(day.overtime_mean_minutes);
    departure = std::min(departure, 23.5 * 60);
    p.arrival_ms = options_.day_start_ms + static_cast<std::int64_t>(arrival * kMinute);
    p.departure_ms = options_.day_start_ms + static_cast<std::int64_t>(departure * kMinute);
    p.failed_logon = rng.chance(profile_.rates.failed_logon_probability);
    p.logon_pid = 1200 + static_cast<int>(rng.next() % 30000);
    plans_.push_back(p);
  }
}

void DayGenerator::generate_window(std::size_t i, int window, std::int64_t w0, std::int64_t w1,
                                   std::vector<Event>& out) const {
  const Plan& plan = plans_[i];
  if (!plan.present || plan.departure_ms <= w0 || plan.arrival_ms >= w1) return;
  const StaffMember& m = population_.staff[i];
  const Rates& rates = profile_.rates;
  const DayShape& day = profile_.day;
  Rng rng(options_.root, i, static_cast<std::uint64_t>(window) + 1);
  std::uint64_t counter = 0;
  auto add = [&](std::int64_t t, auto detail, std::uint32_t client,
                 const std::string& user) -> Event& {
    Event& e = out.emplace_back();
    e.time_ms = t;
    e.client = client;
    e.user = user;
    e.serial = (static_cast<std::uint64_t>(i) << 32) | (static_cast<std::uint64_t>(window) << 24) |
               counter++;
    e.detail = std::move(detail);
    return e;
  };
  const std::string files_name = population_.files.name + "." + population_.mail_domain;
  const std::string share = m.department;
  auto local_dns = [&](std::int64_t t, const std::string& name, std::uint32_t answer) {
    add(t, DnsQuery{name, "A", scenario::format_ipv4(answer), true}, m.address, m.user);
  };

  // Logon at arrival (sometimes after a mistyped password), mapped share, logoff at departure.
  if (plan.arrival_ms >= w0 && plan.arrival_ms < w1) {
    if (plan.failed_logon)
      add(std::max(w0, plan.arrival_ms - 9000),
          Logon{Logon::Kind::failure, m.workstation, plan.logon_pid, m.uid}, m.address, m.user);
    add(plan.arrival_ms, Logon{Logon::Kind::success, m.workstation, plan.logon_pid, m.uid},
        m.address, m.user);
    local_dns(plan.arrival_ms + 2100, files_name, population_.files.address);
    add(plan.arrival_ms + 2300, FileAccess{share, "connect", "", "", m.workstation}, m.address,
        m.user);
    local_dns(plan.arrival_ms + 41000, population_.mail.name + "." + population_.mail_domain,
              population_.mail.address);
  }
  if (plan.departure_ms >= w0 && plan.departure_ms < w1) {
    add(std::max(w0, plan.departure_ms - 1500),
        FileAccess{share, "disconnect", "", "", m.workstation}, m.address, m.user);
    add(plan.departure_ms, Logon{Logon::Kind::logoff, m.workstation, plan.logon_pid, m.uid},
        m.address, m.user);
  }

  const std::int64_t begin = std::max(w0, plan.arrival_ms + 60'000),
                     end = std::min(w1, plan.departure_ms - 60'000);
  if (begin >= end) return;
  const int hour = static_cast<int>(((w0 - options_.day_start_ms) / kHour) % 24);
  const double intensity = day.desk_intensity[static_cast<std::size_t>(hour)];
  const std::int64_t lunch0 = options_.day_start_ms + day.lunch_start_minute * kMinute;
  const std::int64_t lunch1 = lunch0 + day.lunch_minutes * kMinute;
  const double work_hours =
      std::max(1.0, (m.end_minute - m.start_minute - day.lunch_minutes) / 60.0);

  // Each activity is a Poisson process; thinning applies the lunch dip inside the hour.
  auto process = [&](double per_hour, double lunch_multiplier, auto&& emit) {
    const double peak = per_hour * intensity * std::max(1.0, lunch_multiplier);
    if (peak <= 0) return;
    double t = static_cast<double>(begin);
    for (;;) {
      t += rng.exponential(kHour / peak);
      if (t >= static_cast<double>(end)) break;
      const auto ms = static_cast<std::int64_t>(t);
      const double factor = (ms >= lunch0 && ms < lunch1) ? lunch_multiplier : 1.0;
      if (rng.uniform() * std::max(1.0, lunch_multiplier) < factor) emit(ms);
    }
  };

  process(rates.page_views_per_hour * m.web_factor, day.lunch_factor * m.lunch_web_factor,
          [&](std::int64_t t) {
            std::size_t s = weighted_pick(site_weights_, rng.uniform());
            if (!m.favourite_category.empty() &&
                profile_.sites[s].category != m.favourite_category && rng.chance(0.5)) {
              s = weighted_pick(site_weights_,
                                rng.uniform());  // a second draw makes favourites more likely
            }
            const Site& site = profile_.sites[s];
            const long long bytes = rng.between(site.min_bytes, site.max_bytes);
            const std::uint32_t server = population_.site_addresses[s];
            if (site.https) {
              const int elapsed = static_cast<int>(rng.between(800, 90'000));
              add(t + elapsed,
                  WebRequest{"CONNECT", site.domain + ":443", 200, bytes, elapsed, "TCP_TUNNEL",
                             "-", server},
                  m.address, m.user);
              return;
            }
            const std::string& path = site.paths[rng.next() % site.paths.size()];
            const int elapsed = static_cast<int>(rng.between(40, 900));
            add(t + elapsed,
                WebRequest{"GET", "http://" + site.domain + path, 200, bytes, elapsed, "TCP_MISS",
                           site.content_type, server},
                m.address, m.user);
            if (profile_.asset_paths.empty()) return;
            for (int k = 0; k < site.objects; ++k) {
              const std::size_t a = rng.next() % profile_.asset_paths.size();
              const bool hit = rng.chance(0.4);
              const int el = hit ? static_cast<int>(rng.between(0, 3))
                                 : static_cast<int>(rng.between(20, 400));
              add(t + elapsed + rng.between(50, 2500),
                  WebRequest{"GET", "http://" + profile_.asset_domain + profile_.asset_paths[a],
                             200, rng.between(900, 160'000), el, hit ? "TCP_MEM_HIT" : "TCP_MISS",
                             profile_.asset_types[a], hit ? 0u : population_.asset_address},
                  m.address, m.user);
            }
          });

  const std::string client_name = m.workstation + "." + population_.mail_domain;
  process(
      rates.mails_sent_per_day * m.mail_factor / work_hours, day.lunch_factor, [&](std::int64_t t) {
        MailMessage mail;
        mail.from = m.mailbox;
        mail.client_name = client_name;
        mail.client_address = m.address;
        mail.size = rng.between(1800, 9000) + (rng.chance(0.2) ? rng.between(20'000, 900'000) : 0);
        if (rng.chance(rates.internal_mail_share)) {
          const auto& mates = department_members_[department_of_[i]];
          const int n = rng.chance(0.7) ? 1 : static_cast<int>(rng.between(2, 4));
          for (int k = 0; k < n; ++k) {
            const bool same = rng.chance(0.7) && mates.size() > 1;
            const std::uint32_t j =
                same ? mates[rng.next() % mates.size()]
                     : static_cast<std::uint32_t>(rng.next() % population_.staff.size());
            const auto& rcpt = population_.staff[j].mailbox;
            if (j != i && std::find(mail.to.begin(), mail.to.end(), rcpt) == mail.to.end())
              mail.to.push_back(rcpt);
          }
          if (mail.to.empty()) return;
        } else {
          const std::size_t d = rng.next() % profile_.correspondent_domains.size();
          const auto& domain = profile_.correspondent_domains[d];
          mail.to.push_back(
              profile_.correspondent_locals[rng.next() % profile_.correspondent_locals.size()] +
              "@" + domain);
          mail.relay_host = "mx." + domain;
          mail.relay_address = population_.correspondent_addresses[d];
        }
        Event& e = add(t, std::move(mail), m.address, m.user);
        std::get<MailMessage>(e.detail).message_id = message_id(e.serial, population_.mail_domain);
      });

  // Mail from outside arrives while the office is open, whoever is reading.
  process(rates.external_mails_received_per_day * m.external_mail_factor / work_hours, 1.0,
          [&](std::int64_t t) {
            const std::size_t d = rng.next() % profile_.correspondent_domains.size();
            const auto& domain = profile_.correspondent_domains[d];
            MailMessage mail;
            mail.from =
                profile_.correspondent_locals[rng.next() % profile_.correspondent_locals.size()] +
                "@" + domain;
            mail.to.push_back(m.mailbox);
            mail.client_name = "smtp." + domain;
            const std::uint32_t sender = population_.correspondent_addresses[d];
            mail.client_address = sender;
            mail.size =
                rng.between(2500, 12'000) + (rng.chance(0.25) ? rng.between(30'000, 1'500'000) : 0);
            Event& e = add(t, std::move(mail), sender, "-");
            std::get<MailMessage>(e.detail).message_id = message_id(e.serial, "mail." + domain);
          });

  process(rates.file_operations_per_hour * m.file_factor, day.lunch_factor, [&](std::int64_t t) {
    const auto& doc = profile_.documents[rng.next() % profile_.documents.size()];
    const std::string path =
        fmt::format("{}/{:02}_{}", 2023 + rng.between(0, 2), rng.between(1, 40), doc);
    const double u = rng.uniform();
    FileAccess f{share, u < 0.03 ? "unlinkat" : "openat", u < 0.72 ? "r" : "w", path,
                 m.workstation};
    add(t, std::move(f), m.address, m.user);
  });
}

void DayGenerator::run(std::vector<Event> injected,
                       const std::function<void(const Event&)>& sink) const {
  std::sort(injected.begin(), injected.end(), earlier);
  std::size_t next_injected = 0;
  std::unordered_map<std::string, std::int64_t> resolved;  // proxy's DNS cache: domain -> expiry
  const std::int64_t cache_ms = profile_.rates.dns_cache_seconds * 1000LL;
  std::vector<Event> carry;
  const int first = options_.from_minute / 60, last = (options_.to_minute + 59) / 60;
  using Key = std::tuple<std::int64_t, std::uint64_t, std::uint32_t>;
  for (int window = first; window < last; ++window) {
    const std::int64_t w0 =
        options_.day_start_ms + std::max<std::int64_t>(window * 60, options_.from_minute) * kMinute;
    const bool final_window = window + 1 == last;
    const std::int64_t w1 = options_.day_start_ms +
                            std::min<std::int64_t>((window + 1) * 60, options_.to_minute) * kMinute;
    std::vector<Event> events = std::move(carry);
    carry.clear();
    for (std::size_t i = 0; i < population_.staff.size(); ++i)
      generate_window(i, window, w0, w1, events);
    while (next_injected < injected.size() &&
           (final_window || injected[next_injected].time_ms < w1)) {
      events.push_back(std::move(injected[next_injected++]));
    }
    // Sort keys, not events: moving events with strings costs far more than 24-byte keys.
    std::vector<Key> keys;
    keys.reserve(events.size() * 5 / 4);
    for (std::size_t k = 0; k < events.size(); ++k)
      keys.emplace_back(events[k].time_ms, events[k].serial, k);
    std::sort(keys.begin(), keys.end());
    // The proxy resolves each domain when its cached answer has expired.
    const std::size_t before = events.size();
    events.reserve(before * 2);  // at most one lookup per request: references below stay valid
    for (std::size_t k = 0; k < before; ++k) {
      const Event& e = events[std::get<2>(keys[k])];
      const auto* w = std::get_if<WebRequest>(&e.detail);
      if (!w || (!final_window && e.time_ms >= w1) || w->server == 0) continue;
      const std::string host = scenario::target_host(w->url);
      if (scenario::parse_ipv4(host)) continue;
      auto& expiry = resolved[host];
      const std::int64_t t = std::max(w0, e.time_ms - w->elapsed_ms - 3);
      if (t < expiry) continue;
      expiry = t + cache_ms;
      Event& dns = events.emplace_back();
      dns.time_ms = t;
      dns.client = population_.proxy.address;
      dns.user = "-";
      dns.serial = e.serial ^ (1ULL << 63);
      dns.attack = e.attack;
      dns.detail = DnsQuery{host, "A", scenario::format_ipv4(w->server), false};
      keys.emplace_back(dns.time_ms, dns.serial, events.size() - 1);
    }
    if (events.size() != before) std::sort(keys.begin(), keys.end());
    for (const auto& key : keys) {
      Event& e = events[std::get<2>(key)];
      if (!final_window && e.time_ms >= w1)
        carry.push_back(std::move(e));
      else
        sink(e);
    }
  }
}

std::vector<Event> DayGenerator::collect(std::vector<Event> injected) const {
  std::vector<Event> all;
  run(std::move(injected), [&](const Event& e) { all.push_back(e); });
  return all;
}

}  // namespace cyrange::workforce
