#include <orchestrator/scenario/parse_sections.h>

namespace cyrange::scenario::detail {

std::vector<Interface> parse_interfaces(YamlReader& r, const YAML::Node& owner) {
  std::vector<Interface> out;
  r.for_each(owner, "interfaces", [&](const YAML::Node& node) {
    Interface i;
    i.loc = r.loc(node);
    if (!r.object(node, "interface", "an interface", i.value_locs)) return;
    i.segment = r.str(node, "segment");
    i.address = r.str(node, "address");
    i.gateway = r.str(node, "gateway");
    out.push_back(std::move(i));
  });
  return out;
}

std::vector<FirewallRule> parse_rules(YamlReader& r, const YAML::Node& router) {
  std::vector<FirewallRule> out;
  r.for_each(router, "rules", [&](const YAML::Node& node) {
    FirewallRule rule;
    rule.loc = r.loc(node);
    if (!r.object(node, "rule", "a firewall rule", rule.value_locs)) return;
    rule.action = r.str(node, "action");
    rule.from = r.str(node, "from", "any");
    rule.to = r.str(node, "to", "any");
    rule.protocol = r.str(node, "protocol", "any");
    r.for_each(node, "ports", [&](const YAML::Node& port) {
      const std::string text = r.scalar(port, "a port");
      const bool digits = !text.empty() &&
                          text.find_first_not_of("0123456789") == std::string::npos &&
                          text.size() <= 5;
      if (digits && std::stoi(text) >= 1 && std::stoi(text) <= 65535) {
        rule.ports.push_back(std::stoi(text));
      } else if (port.IsScalar()) {
        r.error(r.loc(port),
                both("port '" + text + "' is not a number between 1 and 65535",
                     "ポート '" + text + "' は 1〜65535 の数ではありません"),
                both("write ports as numbers between 1 and 65535",
                     "ポートは 1〜65535 の数で書いてください"));
      }
    });
    out.push_back(std::move(rule));
  });
  return out;
}

Topology parse_topology(YamlReader& r, const YAML::Node& node) {
  Topology t;
  t.loc = r.loc(node);
  if (!node.IsDefined() || !r.object(node, "topology", "topology", t.value_locs)) return t;
  r.for_each(node, "segments", [&](const YAML::Node& item) {
    Segment s;
    s.loc = r.loc(item);
    if (!r.object(item, "segment", "a segment", s.value_locs)) return;
    s.name = r.str(item, "name");
    s.cidr = r.str(item, "cidr");
    s.zone = r.str(item, "zone");
    s.description = r.text(item, "description");
    t.segments.push_back(std::move(s));
  });
  r.for_each(node, "routers", [&](const YAML::Node& item) {
    Router router;
    router.loc = r.loc(item);
    if (!r.object(item, "router", "a router", router.value_locs)) return;
    router.name = r.str(item, "name");
    router.kind = r.str(item, "kind", "router");
    router.image_profile = r.str(item, "image_profile", "tiny");
    router.interfaces = parse_interfaces(r, item);
    router.rules = parse_rules(r, item);
    router.memory_mib = static_cast<int>(r.integer(item, "memory_mib", 128));
    router.vcpus = static_cast<int>(r.integer(item, "vcpus", 1));
    t.routers.push_back(std::move(router));
  });
  r.for_each(node, "hosts", [&](const YAML::Node& item) {
    Host h;
    h.loc = r.loc(item);
    if (!r.object(item, "host", "a host", h.value_locs)) return;
    h.name = r.str(item, "name");
    h.image_profile = r.str(item, "image_profile");
    h.role = r.str(item, "role");
    h.services = r.str_list(item, "services");
    h.interfaces = parse_interfaces(r, item);
    h.memory_mib = static_cast<int>(r.integer(item, "memory_mib", 128));
    h.vcpus = static_cast<int>(r.integer(item, "vcpus", 1));
    h.trainee_terminal = r.boolean(item, "trainee_terminal", false);
    h.config = r.str_map(item, "config");
    h.description = r.text(item, "description");
    t.hosts.push_back(std::move(h));
  });
  return t;
}

}  // namespace cyrange::scenario::detail
