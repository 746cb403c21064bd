#include <orchestrator/range/service_catalog.h>
#include <orchestrator/scenario/net.h>
#include <orchestrator/scenario/validate_checks.h>

#include <map>

namespace cyrange::scenario::detail {
namespace {

/// Reports every name seen before in the same namespace.
class DuplicateFinder {
 public:
  DuplicateFinder(std::string kind, Findings& f) : kind_(std::move(kind)), f_(f) {}
  void see(const std::string& name, const SourceLocation& loc) {
    if (name.empty()) return;
    auto [it, fresh] = first_.emplace(name, loc);
    if (!fresh) {
      f_.error(loc,
               "duplicate " + kind_ + " '" + name + "' (first defined at line " +
                   std::to_string(it->second.line) + ")",
               "give each " + kind_ + " a unique name");
    }
  }

 private:
  std::string kind_;
  Findings& f_;
  std::map<std::string, SourceLocation> first_;
};

bool is_reference(const std::string& text) { return text.find("${") != std::string::npos; }

std::map<std::string, Ipv4Network> segment_networks(const Scenario& s) {
  std::map<std::string, Ipv4Network> out;
  for (const auto& seg : s.topology.segments) {
    if (auto net = parse_cidr(seg.cidr)) out.emplace(seg.name, *net);
  }
  return out;
}

/// Calls `visit(owner, interface)` for every interface of hosts and routers.
template <class Visit>
void for_each_interface(const Scenario& s, Visit visit) {
  for (const auto& r : s.topology.routers) {
    for (const auto& i : r.interfaces) visit(r.name, i);
  }
  for (const auto& h : s.topology.hosts) {
    for (const auto& i : h.interfaces) visit(h.name, i);
  }
}

}  // namespace

void check_duplicate_names(const Scenario& s, const NameIndex&, Findings& f) {
  DuplicateFinder segments("segment", f), guests("host or router", f), steps("step", f),
      objectives("objective", f), messages("message", f), variables("variable", f),
      departments("department", f), personas("persona", f);
  for (const auto& x : s.topology.segments) segments.see(x.name, x.loc);
  for (const auto& x : s.topology.routers) guests.see(x.name, x.loc);
  for (const auto& x : s.topology.hosts) guests.see(x.name, x.loc);
  for (const auto& x : s.timeline) steps.see(x.id, x.loc);
  for_each_objective(s.objectives, [&](const Objective& o) { objectives.see(o.id, o.loc); });
  for (const auto& x : s.messages) messages.see(x.id, x.loc);
  for (const auto& x : s.variables) variables.see(x.name, x.loc);
  for (const auto& x : s.workforce.departments) departments.see(x.id, x.loc);
  for (const auto& x : s.workforce.personas) personas.see(x.id, x.loc);
}

void check_segments(const Scenario& s, const NameIndex&, Findings& f) {
  std::vector<std::pair<const Segment*, Ipv4Network>> parsed;
  for (const auto& seg : s.topology.segments) {
    bool aligned = true;
    const auto net = parse_cidr(seg.cidr, &aligned);
    if (!net) {
      f.error(seg.loc, "segment '" + seg.name + "' has malformed CIDR '" + seg.cidr + "'",
              "write it as an IPv4 network such as 10.10.1.0/24");
      continue;
    }
    if (!aligned) {
      f.error(
          seg.loc, "segment '" + seg.name + "' CIDR '" + seg.cidr + "' has host bits set",
          "use the network address " + format_ipv4(net->base) + "/" + std::to_string(net->prefix));
    }
    if (net->prefix > 30) {
      f.error(seg.loc, "segment '" + seg.name + "' is too small for hosts",
              "use a prefix of /30 or shorter");
    }
    for (const auto& [other, other_net] : parsed) {
      if (net->contains(other_net.base) || other_net.contains(net->base)) {
        f.error(seg.loc, "segment '" + seg.name + "' overlaps segment '" + other->name + "'",
                "give every segment its own address range");
      }
    }
    parsed.emplace_back(&seg, *net);
  }
}

void check_interface_segments(const Scenario& s, const NameIndex& names, Findings& f) {
  for_each_interface(s, [&](const std::string& owner, const Interface& i) {
    if (!i.segment.empty() && !names.segments.count(i.segment)) {
      f.error(i.loc, "'" + owner + "' is attached to undefined segment '" + i.segment + "'",
              "name one of the segments under topology.segments");
    }
  });
  for (const auto& h : s.topology.hosts) {
    if (h.interfaces.empty()) {
      f.error(h.loc, "host '" + h.name + "' has no network interface",
              "add at least one entry under `interfaces:`");
    }
  }
}

void check_addresses(const Scenario& s, const NameIndex&, Findings& f) {
  const auto networks = segment_networks(s);
  std::map<std::uint32_t, std::string> used;
  auto check_one = [&](const std::string& owner, const Interface& i, const std::string& value,
                       const char* field, bool unique) {
    if (value.empty() || is_reference(value)) return;
    const auto address = parse_ipv4(value);
    if (!address) {
      f.error(i.loc, "'" + owner + "' has malformed " + field + " '" + value + "'",
              "write a plain IPv4 address such as 10.10.1.20 (no prefix)");
      return;
    }
    auto net = networks.find(i.segment);
    if (net == networks.end()) return;  // reported by the segment checks
    const std::string cidr =
        format_ipv4(net->second.base) + "/" + std::to_string(net->second.prefix);
    if (!net->second.contains(*address)) {
      f.error(i.loc,
              std::string(field) + " " + value + " of '" + owner + "' is outside segment '" +
                  i.segment + "' (" + cidr + ")",
              "choose an address inside " + cidr + " or attach it to the right segment");
    } else if (*address == net->second.base || *address == net->second.broadcast()) {
      f.error(i.loc,
              std::string(field) + " " + value + " of '" + owner +
                  "' is the network or broadcast address of " + cidr,
              "choose a host address inside " + cidr);
    }
    if (!unique) return;
    auto [it, fresh] = used.emplace(*address, owner);
    if (!fresh) {
      f.error(i.loc,
              "address " + value + " of '" + owner + "' is already used by '" + it->second + "'",
              "give every interface its own address");
    }
  };
  for_each_interface(s, [&](const std::string& owner, const Interface& i) {
    check_one(owner, i, i.address, "address", true);
    check_one(owner, i, i.gateway, "gateway", false);
  });
}

void check_services(const Scenario& s, const NameIndex&, Findings& f) {
  std::string known;
  for (const auto& name : range::known_services()) known += (known.empty() ? "" : ", ") + name;
  for (const auto& h : s.topology.hosts) {
    for (const auto& service : h.services) {
      if (!range::is_known_service(service)) {
        f.error(h.loc,
                "host '" + h.name + "' declares service '" + service +
                    "', which no image profile starts or checks",
                "use one of: " + known + "; or remove it from `services:`");
      } else if (range::is_known_image_profile(h.image_profile) &&
                 !range::profile_starts_service(h.image_profile, service)) {
        // The host would wait for a daemon its image does not have until the ready timeout.
        f.error(h.loc,
                "host '" + h.name + "' declares service '" + service + "', which the " +
                    h.image_profile + " image does not start / ホスト '" + h.name +
                    "' のサービス '" + service + "' は " + h.image_profile +
                    " イメージにありません",
                "set `image_profile: standard` on '" + h.name +
                    "', or remove the service / `image_profile: standard` を指定するか、"
                    "サービスを削除してください");
      }
    }
  }
}

void check_images(const Scenario& s, const NameIndex&, Findings& f) {
  auto check_guest = [&](const std::string& name, const std::string& profile, int memory, int vcpus,
                         const SourceLocation& loc) {
    if (profile.empty()) {
      f.error(loc, "host '" + name + "' has no image profile",
              "add `image_profile: tiny` (busybox) or `image_profile: standard` (Debian)");
    } else if (!range::is_known_image_profile(profile)) {
      // An error, not a warning: the profile names the recipe folder whose build.sh the
      // range host runs. ja after en, as the operator's and designer's guides are.
      std::string known;
      for (const auto& p : range::known_image_profiles()) known += (known.empty() ? "" : ", ") + p;
      f.error(loc,
              "host '" + name + "' uses unknown image profile '" + profile + "' / ホスト '" + name +
                  "' のイメージプロファイル '" + profile + "' は不明です",
              "use one of: " + known + " / 次のいずれかを指定してください: " + known);
    }
    if (memory < 64) {
      f.error(loc, "host '" + name + "' has less than 64 MiB of memory",
              "set `memory_mib:` to 64 or more (128 for the tiny profile)");
    }
    if (vcpus < 1) {
      f.error(loc, "host '" + name + "' has no virtual CPU", "set `vcpus:` to 1 or more");
    }
  };
  for (const auto& h : s.topology.hosts) {
    check_guest(h.name, h.image_profile, h.memory_mib, h.vcpus, h.loc);
  }
  for (const auto& r : s.topology.routers) {
    check_guest(r.name, r.image_profile, r.memory_mib, r.vcpus, r.loc);
  }
}

void check_firewall_rules(const Scenario& s, const NameIndex& names, Findings& f) {
  for (const auto& r : s.topology.routers) {
    if (r.kind != "router" && r.kind != "firewall") {
      f.error(r.loc, "'" + r.name + "' has unknown kind '" + r.kind + "'",
              "use `kind: router` or `kind: firewall`");
    }
    if (r.interfaces.size() < 2) {
      f.warning(r.loc, "router '" + r.name + "' joins fewer than two segments",
                "attach it to every segment it routes between");
    }
    for (const auto& rule : r.rules) {
      if (rule.action != "allow" && rule.action != "deny") {
        f.error(rule.loc, "rule action '" + rule.action + "' is unknown",
                "use `action: allow` or `action: deny`");
      }
      for (const auto* end : {&rule.from, &rule.to}) {
        if (*end != "any" && !names.segments.count(*end)) {
          f.error(rule.loc, "rule of '" + r.name + "' names undefined segment '" + *end + "'",
                  "use a segment name or `any`");
        }
      }
      for (int port : rule.ports) {
        if (port < 1 || port > 65535) {
          f.error(rule.loc, "port " + std::to_string(port) + " is out of range",
                  "use ports between 1 and 65535");
        }
      }
    }
  }
}

}  // namespace cyrange::scenario::detail
