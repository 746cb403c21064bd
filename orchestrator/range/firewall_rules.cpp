#include <orchestrator/range/firewall_rules.h>

#include <sstream>

namespace cyrange::range {
namespace {

bool looks_like_address(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789./") == std::string::npos &&
         s.find('.') != std::string::npos;
}

}  // namespace

Expected<std::vector<ForwardRule>> router_rules(const RangeSpec& spec, const HostSpec& host) {
  std::vector<ForwardRule> rules;
  auto it = host.config.find("router.rules");
  if (it == host.config.end()) return rules;
  std::istringstream lines(it->second);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    std::istringstream words(line);
    std::vector<std::string> w;
    for (std::string word; words >> word;) w.push_back(word);
    if (w.empty()) continue;
    auto bad = [&](const std::string& why) -> Error {
      return make_error(ErrorCode::invalid_argument,
                        "Rule " + std::to_string(number) + " of router '" + host.name + "' (\"" +
                            line + "\") " + why +
                            " Write it as: allow|deny tcp|udp|icmp|any from SEGMENT|any "
                            "to SEGMENT|any [ports 25,80].");
    };
    if (w.size() < 6 || w[2] != "from" || w[4] != "to") return bad("is not understood.");
    ForwardRule r;
    if (w[0] != "allow" && w[0] != "deny") return bad("has an action other than allow or deny.");
    r.allow = w[0] == "allow";
    r.protocol = w[1];
    if (r.protocol != "tcp" && r.protocol != "udp" && r.protocol != "icmp" && r.protocol != "any")
      return bad("names an unknown protocol.");
    auto resolve = [&](const std::string& name, std::string& out) -> bool {
      if (name == "any") {
        out = "0.0.0.0/0";
        return true;
      }
      for (const auto& net : spec.networks)
        if (net.name == name) {
          out = net.cidr;
          return true;
        }
      if (!looks_like_address(name)) return false;
      out = name;
      return true;
    };
    if (!resolve(w[3], r.from)) return bad("comes from an unknown segment '" + w[3] + "'.");
    if (!resolve(w[5], r.to)) return bad("goes to an unknown segment '" + w[5] + "'.");
    if (w.size() > 6) {
      if (w.size() != 8 || w[6] != "ports") return bad("has extra words after the destination.");
      if (r.protocol != "tcp" && r.protocol != "udp")
        return bad("has ports but is not tcp or udp.");
      std::istringstream list(w[7]);
      for (std::string p; std::getline(list, p, ',');) {
        try {
          int port = std::stoi(p);
          if (port < 1 || port > 65535 || std::to_string(port) != p)
            return bad("has a bad port '" + p + "'.");
          r.ports.push_back(port);
        } catch (const std::exception&) {
          return bad("has a bad port '" + p + "'.");
        }
      }
    }
    rules.push_back(std::move(r));
  }
  return rules;
}

std::string firewall_kernel_arg(const std::vector<ForwardRule>& rules) {
  std::ostringstream out;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const auto& r = rules[i];
    out << (i ? ";" : "") << (r.allow ? "allow" : "deny") << ',' << r.protocol << ',' << r.from
        << ',' << r.to << ',';
    for (std::size_t p = 0; p < r.ports.size(); ++p) out << (p ? "+" : "") << r.ports[p];
  }
  return out.str();
}

}  // namespace cyrange::range
