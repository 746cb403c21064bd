#include <orchestrator/scenario/to_range.h>

#include <orchestrator/scenario/net.h>
#include <orchestrator/scenario/variables.h>

namespace cyrange::scenario {
namespace {

std::vector<range::NicSpec> to_nics(const std::vector<Interface>& interfaces,
                                    const std::map<std::string, int>& prefixes,
                                    const std::map<std::string, std::string>& vars) {
  std::vector<range::NicSpec> nics;
  for (const auto& i : interfaces) {
    range::NicSpec nic;
    nic.network = i.segment;
    nic.address = substitute(i.address, vars);
    if (auto p = prefixes.find(i.segment); p != prefixes.end() && !nic.address.empty()) {
      nic.address += "/" + std::to_string(p->second);
    }
    nic.gateway = substitute(i.gateway, vars);
    nics.push_back(std::move(nic));
  }
  return nics;
}

std::string describe(const FirewallRule& rule) {
  std::string out = rule.action + " " + rule.protocol + " from " + rule.from + " to " + rule.to;
  if (!rule.ports.empty()) {
    out += " ports ";
    for (std::size_t i = 0; i < rule.ports.size(); ++i) {
      out += (i ? "," : "") + std::to_string(rule.ports[i]);
    }
  }
  return out;
}

}  // namespace

range::RangeSpec to_range_spec(const Scenario& s, const std::map<std::string, std::string>& vars,
                               const std::string& exercise, const std::string& team) {
  range::RangeSpec spec;
  spec.exercise = exercise;
  spec.team = team;
  std::map<std::string, int> prefixes;
  for (const auto& seg : s.topology.segments) {
    spec.networks.push_back({seg.name, seg.cidr});
    if (auto net = parse_cidr(seg.cidr)) prefixes[seg.name] = net->prefix;
  }
  for (const auto& r : s.topology.routers) {
    range::HostSpec host;
    host.name = r.name;
    host.image_profile = r.image_profile;
    host.role = "router";
    host.nics = to_nics(r.interfaces, prefixes, vars);
    host.memory_mib = r.memory_mib;
    host.vcpus = r.vcpus;
    host.config["router.kind"] = r.kind;
    host.config["router.forwarding"] = "1";
    // Rules keep their order: the first match decides, as on real firewalls.
    std::string rules;
    for (const auto& rule : r.rules) rules += describe(rule) + "\n";
    host.config["router.rules"] = rules;
    spec.hosts.push_back(std::move(host));
  }
  for (const auto& h : s.topology.hosts) {
    range::HostSpec host;
    host.name = h.name;
    host.image_profile = h.image_profile;
    host.role = substitute(h.role, vars);
    for (const auto& service : h.services) host.services.push_back(substitute(service, vars));
    host.nics = to_nics(h.interfaces, prefixes, vars);
    host.memory_mib = h.memory_mib;
    host.vcpus = h.vcpus;
    host.trainee_terminal = h.trainee_terminal;
    for (const auto& [key, value] : h.config) host.config[key] = substitute(value, vars);
    spec.hosts.push_back(std::move(host));
  }
  return spec;
}

}  // namespace cyrange::scenario
