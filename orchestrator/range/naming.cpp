#include <orchestrator/range/naming.h>

#include <orchestrator/range/firewall_rules.h>

#include <cstdint>
#include <cstdio>
#include <set>

namespace cyrange::range {
namespace {

// FNV-1a is enough here: names only need to be stable and spread, not secret.
std::uint64_t fnv1a(const std::string& text) {
  std::uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

bool is_id(const std::string& s, bool allow_dash) {
  if (s.empty() || s.size() > 24) return false;
  for (char c : s) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || (allow_dash && c == '-');
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string exercise_prefix(const std::string& exercise) { return "cyr-" + exercise + "-"; }

std::string object_prefix(const std::string& exercise, const std::string& team) {
  return exercise_prefix(exercise) + team + "-";
}

std::string network_object_name(const RangeSpec& spec, const NetworkSpec& net) {
  return object_prefix(spec.exercise, spec.team) + "net-" + net.name;
}

std::string domain_object_name(const RangeSpec& spec, const HostSpec& host) {
  return object_prefix(spec.exercise, spec.team) + host.name;
}

std::string pool_object_name(const RangeSpec& spec) {
  return object_prefix(spec.exercise, spec.team) + "pool";
}

std::string bridge_name(const std::string& exercise, const std::string& team,
                        const std::string& network) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(fnv1a(exercise + '\0' + team + '\0' + network)));
  return "cyr" + std::string(hex, 12);
}

std::string mac_address(const RangeSpec& spec, const HostSpec& host, std::size_t nic_index) {
  std::uint64_t h =
      fnv1a(spec.exercise + '\0' + spec.team + '\0' + host.name + '\0' + std::to_string(nic_index));
  char mac[18];
  std::snprintf(mac, sizeof mac, "52:54:00:%02x:%02x:%02x", static_cast<unsigned>(h & 0xff),
                static_cast<unsigned>((h >> 8) & 0xff), static_cast<unsigned>((h >> 16) & 0xff));
  return mac;
}

Status validate_spec(const RangeSpec& spec) {
  if (!is_id(spec.exercise, false))
    return make_error(ErrorCode::invalid_argument,
                      "The exercise id '" + spec.exercise +
                          "' is not valid: use 1-24 characters a-z, 0-9 or '_' (no '-').");
  if (!is_id(spec.team, false))
    return make_error(ErrorCode::invalid_argument,
                      "The team name '" + spec.team +
                          "' is not valid: use 1-24 characters a-z, 0-9 or '_' (no '-').");
  std::set<std::string> nets;
  for (const auto& n : spec.networks) {
    if (!is_id(n.name, true) || !nets.insert(n.name).second)
      return make_error(
          ErrorCode::invalid_argument,
          "The network name '" + n.name + "' of team '" + spec.team +
              "' is empty, duplicated or uses characters other than a-z, 0-9, '_', '-'.");
  }
  std::set<std::string> hosts;
  for (const auto& h : spec.hosts) {
    if (!is_id(h.name, true) || h.name == "pool" || !hosts.insert(h.name).second)
      return make_error(
          ErrorCode::invalid_argument,
          "The host name '" + h.name + "' of team '" + spec.team +
              "' is empty, duplicated, reserved or uses characters other than a-z, 0-9, '_', '-'.");
    for (const auto& nic : h.nics) {
      if (!nets.count(nic.network))
        return make_error(ErrorCode::invalid_argument,
                          "Host '" + h.name + "' is attached to network '" + nic.network +
                              "', which the range does not define; add it to the networks.");
    }
    if (auto rules = router_rules(spec, h); !rules) return rules.error();
  }
  return Status::success();
}

}  // namespace cyrange::range
