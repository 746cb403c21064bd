#include <orchestrator/scenario/personas.h>

#include <algorithm>

namespace cyrange::scenario {
namespace {

bool offers(const Host& host, const std::string& service) {
  return std::find(host.services.begin(), host.services.end(), service) != host.services.end();
}

}  // namespace

const Persona* find_persona(const Scenario& s, const std::string& id) {
  for (const auto& p : s.workforce.personas)
    if (p.id == id) return &p;
  return nullptr;
}

const Host* proxy_host(const Scenario& s) {
  for (const auto& h : s.topology.hosts)
    if (h.role == "proxy") return &h;
  for (const auto& h : s.topology.hosts)
    if (offers(h, "proxy")) return &h;
  return nullptr;
}

const Host* mail_host(const Scenario& s) {
  for (const auto& h : s.topology.hosts)
    if (h.role == "mail") return &h;
  // The attacker's own SMTP server is no place for staff mail.
  for (const auto& h : s.topology.hosts)
    if (h.role.rfind("attacker", 0) != 0 && (offers(h, "mail") || offers(h, "smtp"))) return &h;
  return nullptr;
}

std::string url_host(const std::string& url) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) return "";
  std::string rest = url.substr(scheme.size());
  rest = rest.substr(0, rest.find_first_of("/?#"));
  rest = rest.substr(0, rest.find(':'));
  return rest;
}

std::string persona_user(const Scenario& s, const Persona& p) {
  for (const auto& h : s.topology.hosts)
    if (h.name == p.workstation)
      if (auto user = h.config.find("user"); user != h.config.end() && !user->second.empty())
        return user->second;
  return p.mailbox.substr(0, p.mailbox.find('@'));
}

}  // namespace cyrange::scenario
