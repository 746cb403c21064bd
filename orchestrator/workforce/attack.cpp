#include <orchestrator/workforce/attack.h>

#include <algorithm>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include <orchestrator/scenario/net.h>
#include <orchestrator/scenario/variables.h>
#include <orchestrator/workforce/rng.h>

namespace cyrange::workforce {
namespace {

namespace sc = cyrange::scenario;

constexpr std::uint64_t kAttackBit = 1ULL << 62;

/// Exercise-time seconds of every step that a clock can place (at, or after-chains).
std::map<std::string, long long> step_times(const sc::Scenario& s) {
  std::map<std::string, long long> times;
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto& step : s.timeline) {
      if (times.count(step.id)) continue;
      if (step.trigger.kind == sc::Trigger::Kind::at) {
        times[step.id] = step.trigger.at_seconds;
        changed = true;
      } else if (step.trigger.kind == sc::Trigger::Kind::after && times.count(step.trigger.after)) {
        times[step.id] = times[step.trigger.after] + step.trigger.delay_seconds;
        changed = true;
      }
    }
  }
  return times;
}

std::string param(const sc::Step& step, const std::string& key,
                  const std::map<std::string, std::string>& vars,
                  const std::string& fallback = "") {
  const auto it = step.params.find(key);
  return it == step.params.end() ? fallback : sc::substitute(it->second, vars);
}

/// Address and user of a topology host, as the population sees it.
struct Actor {
  std::uint32_t address = 0;
  std::string user = "-";
  std::string name;
};

Actor actor(const sc::Scenario& s, const Population& pop, const std::string& host) {
  Actor a;
  a.name = host;
  for (const auto& h : s.topology.hosts) {
    if (h.name != host) continue;
    if (!h.interfaces.empty())
      a.address =
          sc::parse_ipv4(sc::substitute(h.interfaces.front().address, pop.variables)).value_or(0);
    if (h.config.count("user")) a.user = sc::substitute(h.config.at("user"), pop.variables);
  }
  for (const auto& m : pop.staff) {
    if (m.workstation == host) {
      a.user = m.user;
      if (!a.address) a.address = m.address;
    }
  }
  return a;
}

Event file_event(std::int64_t t, const Actor& who, const std::string& share, const std::string& op,
                 const std::string& path, std::uint64_t serial) {
  Event e;
  e.time_ms = t;
  e.client = who.address;
  e.user = who.user;
  e.serial = serial | kAttackBit;
  e.attack = true;
  e.detail = FileAccess{share, op, "r", path, who.name};
  return e;
}

}  // namespace

std::vector<Event> beacon_events(const std::string& url, std::uint32_t client,
                                 const std::string& user, std::uint32_t server,
                                 std::int64_t start_ms, std::int64_t end_ms, int interval_s,
                                 double jitter, std::uint64_t seed) {
  std::vector<Event> out;
  if (interval_s <= 0) return out;
  Rng rng(seed, stable_hash(url), client);
  std::uint64_t n = 0;
  for (std::int64_t t = start_ms; t < end_ms; ++n) {
    Event e;
    e.time_ms = t;
    e.client = client;
    e.user = user;
    e.serial = kAttackBit | (stable_hash(url) & 0xFFFF'0000'0000ULL) | n;
    e.attack = true;
    e.detail = WebRequest{"GET",
                          url,
                          200,
                          rng.between(180, 420),
                          static_cast<int>(rng.between(30, 160)),
                          "TCP_MISS",
                          "text/html",
                          server};
    out.push_back(std::move(e));
    const double gap = interval_s * 1000.0 * (1.0 + jitter * (2.0 * rng.uniform() - 1.0));
    t += std::max<std::int64_t>(1, static_cast<std::int64_t>(gap));
  }
  return out;
}

Event inbound_mail_event(std::int64_t time_ms, const std::string& from,
                         const std::vector<std::string>& to, const std::string& sender_host,
                         std::uint32_t sender_address, long long size, const std::string& subject,
                         const std::string& attachment, std::uint64_t serial) {
  Event e;
  e.time_ms = time_ms;
  e.client = sender_address;
  e.user.assign(1, '-');  // not = "-": GCC 12 warns falsely (-Wrestrict, PR 105329)
  e.serial = serial | kAttackBit;
  e.attack = true;
  MailMessage m;
  m.from = from;
  m.to = to;
  m.size = size;
  m.client_name = sender_host;
  m.client_address = sender_address;
  const std::uint64_t h = mix64(serial ^ stable_hash(from));
  m.message_id = fmt::format("{:016X}.{:04X}@{}", h, serial & 0xFFFF, sender_host);
  m.subject = subject;
  m.attachment = attachment;
  e.detail = std::move(m);
  return e;
}

std::vector<Event> timeline_events(const sc::Scenario& s, const Population& pop,
                                   std::int64_t start_ms, std::int64_t day_end_ms,
                                   std::uint64_t seed) {
  const auto& vars = pop.variables;
  const auto times = step_times(s);
  Actor attacker;
  for (const auto& h : s.topology.hosts) {
    if (h.role.find("attacker") != std::string::npos) attacker = actor(s, pop, h.name);
  }
  std::vector<Event> out;
  std::uint64_t serial = stable_hash(s.metadata.id) & 0xFFFF'FFFF'0000ULL;
  for (const auto& step : s.timeline) {
    const auto when = times.find(step.id);
    if (when == times.end()) continue;
    const std::int64_t t = start_ms + when->second * 1000;
    Rng rng(seed, stable_hash(step.id));
    const Actor target = actor(s, pop, sc::substitute(step.target, vars));
    if (step.type == "send_mail") {
      const std::string from = param(step, "from", vars);
      std::vector<std::string> to;
      std::stringstream list(param(step, "to", vars));
      for (std::string rcpt; std::getline(list, rcpt, ',');) {
        rcpt.erase(0, rcpt.find_first_not_of(' '));
        if (!rcpt.empty()) to.push_back(rcpt);
      }
      const std::string attachment = param(step, "attachment", vars);
      const long long size =
          attachment.empty() ? rng.between(2500, 6000) : rng.between(150'000, 420'000);
      const std::string domain = from.substr(from.find('@') + 1);
      out.push_back(inbound_mail_event(t, from, to, "mail." + domain, attacker.address, size,
                                       param(step, "subject", vars), attachment, ++serial));
    } else if (step.type == "beacon") {
      const std::string url = param(step, "url", vars);
      int interval = 60;
      try {
        interval = std::stoi(param(step, "interval_seconds", vars, "60"));
      } catch (const std::exception&) {
      }
      for (auto& e : beacon_events(url, target.address, target.user, attacker.address, t,
                                   day_end_ms, interval, 0.1, seed)) {
        out.push_back(std::move(e));
      }
    } else if (step.type == "run_commands") {
      const std::string share = param(step, "share", vars, "share");
      out.push_back(file_event(t, target, share, "connect", "", ++serial));
      out.push_back(file_event(t + 1200, target, share, "openat", ".", ++serial));
    } else if (step.type == "smb_copy") {
      const Actor source = actor(s, pop, param(step, "source", vars, target.name));
      const std::string share = param(step, "share", vars, "share");
      int files = 40;
      try {
        files = std::stoi(param(step, "files", vars, "40"));
      } catch (const std::exception&) {
      }
      out.push_back(file_event(t, source, share, "connect", "", ++serial));
      std::int64_t at = t + 2000;
      for (int k = 1; k <= files; ++k, at += rng.between(800, 4000)) {
        out.push_back(
            file_event(at, source, share, "openat", fmt::format("export/{:03}.csv", k), ++serial));
      }
    } else if (step.type == "upload") {
      const std::string url = param(step, "destination", vars);
      double mb = 1;
      try {
        mb = std::stod(param(step, "size_mb", vars, "1"));
      } catch (const std::exception&) {
      }
      const auto bytes = static_cast<long long>(mb * 1048576);
      const auto ip = sc::parse_ipv4(sc::target_host(url));
      Event e;
      e.client = target.address;
      e.user = target.user;
      e.serial = ++serial | kAttackBit;
      e.attack = true;
      const int elapsed = static_cast<int>(bytes / 2000);  // about 2 MB/s through the proxy
      e.time_ms = t + elapsed;
      e.detail = WebRequest{"POST",  url,        200,         412,
                            elapsed, "TCP_MISS", "text/html", ip.value_or(attacker.address)};
      out.push_back(std::move(e));
    }
  }
  return out;
}

}  // namespace cyrange::workforce
