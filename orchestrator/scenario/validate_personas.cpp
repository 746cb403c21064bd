// Live personas (`workforce.personas[].live`) and steps that act as a persona
// (`params: {persona: ID}`): what they need from the topology to act for real.
#include <orchestrator/scenario/net.h>
#include <orchestrator/scenario/personas.h>
#include <orchestrator/scenario/validate_checks.h>

namespace cyrange::scenario::detail {
namespace {

constexpr int kMinEverySeconds = 60;
constexpr int kMaxEverySeconds = 8 * 3600;

// A literal address must lie in a segment of the range: nothing a persona does leaves it.
bool inside_range(const Scenario& s, const std::string& host) {
  const auto address = parse_ipv4(host);
  if (!address) return true;  // a name (or ${vars.x}): resolved by the range's own DNS
  for (const auto& seg : s.topology.segments)
    if (auto net = parse_cidr(seg.cidr); net && net->contains(*address)) return true;
  return false;
}

void check_browse(const Scenario& s, const Persona& p, Findings& f) {
  const std::string who = "live persona '" + p.id + "'";
  if (!proxy_host(s)) {
    f.error(value_loc(p.live, "browse"), who + " browses, but no host of the topology is a proxy",
            "give a host `role: proxy` or `services: [proxy]`, or remove `browse:`");
  }
  for (std::size_t i = 0; i < p.live.browse.size(); ++i) {
    const std::string& url = p.live.browse[i];
    const SourceLocation& where = value_loc(p.live, "browse." + std::to_string(i));
    const std::string host = url_host(url);
    if (host.empty()) {
      f.error(where, who + " browses '" + url + "', which is not an http:// URL",
              "write URLs such as http://198.51.100.20/news.html (the proxy speaks plain HTTP)");
    } else if (!inside_range(s, host)) {
      f.error(where, who + " browses '" + url + "', outside every segment of the range",
              "use an address of a segment of topology.segments; personas never leave the range");
    }
  }
}

void check_mail(const Scenario& s, const Persona& p, Findings& f) {
  const std::string who = "live persona '" + p.id + "'";
  if (!mail_host(s)) {
    f.error(value_loc(p.live, "mail_to"),
            who + " sends mail, but no host of the topology is a mail server",
            "give a host `role: mail` or `services: [smtp]`, or remove `mail_to:`");
  }
  if (p.mailbox.empty()) {
    f.error(value_loc(p.live, "mail_to"), who + " sends mail but has no mailbox to send from",
            "add `mailbox:` to the persona");
  }
  for (std::size_t i = 0; i < p.live.mail_to.size(); ++i) {
    const std::string& to = p.live.mail_to[i];
    if (to.find('@') == std::string::npos) {
      f.error(value_loc(p.live, "mail_to." + std::to_string(i)),
              who + " mails '" + to + "', which is not a mail address",
              "write addresses such as it-help@example.lg.jp");
    }
  }
}

}  // namespace

void check_live_personas(const Scenario& s, const NameIndex& names, Findings& f) {
  for (const auto& p : s.workforce.personas) {
    if (!p.has_live) continue;
    const std::string who = "live persona '" + p.id + "'";
    if (p.workstation.empty()) {
      f.error(p.live.loc, who + " has no workstation to act from",
              "add `workstation:` naming a host of topology.hosts, or remove `live:`");
    } else if (!names.hosts.count(p.workstation)) {
      f.error(value_loc(p, "workstation"),
              who + " acts from '" + p.workstation + "', which is not a host",
              "name a host of topology.hosts in the persona's `workstation:`");
    }
    if (p.live.every_seconds < kMinEverySeconds || p.live.every_seconds > kMaxEverySeconds) {
      f.error(p.live.every_loc,
              who + " acts every " + std::to_string(p.live.every_seconds) +
                  " s, outside 1m..8h of exercise time",
              "set `every:` between 1m and 8h (a shorter gap would swamp the guests)");
    }
    if (p.live.browse.empty() && p.live.mail_to.empty()) {
      f.error(p.live.loc, who + " has nothing to do",
              "list URLs under `browse:` or recipients under `mail_to:`, or remove `live:`");
    }
    if (!p.live.browse.empty()) check_browse(s, p, f);
    if (!p.live.mail_to.empty()) check_mail(s, p, f);
  }
}

void check_persona_steps(const Scenario& s, const NameIndex& names, Findings& f) {
  for (const auto& step : s.timeline) {
    const auto param = step.params.find("persona");
    if (param == step.params.end()) continue;
    const Persona* p = find_persona(s, param->second);
    if (!p) {
      f.error(value_loc(step, "params.persona"),
              "step '" + step.id + "' acts as undefined persona '" + param->second + "'",
              "name a persona id of workforce.personas in `params.persona`");
      continue;
    }
    if (p->workstation.empty() || !names.hosts.count(p->workstation)) {
      if (step.target.empty())
        f.error(value_loc(step, "id"),
                "step '" + step.id + "' acts as persona '" + p->id +
                    "', who has no workstation, and has no `target:`",
                "give the persona a `workstation:` or the step a `target:`");
    } else if (!step.target.empty() && step.target != p->workstation) {
      f.error(step.target_loc,
              "step '" + step.id + "' acts as persona '" + p->id + "' but targets '" + step.target +
                  "', not the persona's workstation '" + p->workstation + "'",
              "drop `target:` (the persona's workstation is used) or name another persona");
    }
  }
}

}  // namespace cyrange::scenario::detail
