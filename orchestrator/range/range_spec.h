#pragma once

#include <map>
#include <string>
#include <vector>

namespace cyrange::range {

/// One isolated segment of a team range (no forwarding, no host address).
struct NetworkSpec {
  std::string name;  ///< scenario name of the segment, e.g. "internet-zone"
  std::string cidr;  ///< e.g. "10.10.1.0/24"
};

/// One interface of a guest on a segment.
struct NicSpec {
  std::string network;  ///< NetworkSpec::name
  std::string address;  ///< address with prefix, e.g. "10.10.1.20/24"
  std::string gateway;  ///< optional default gateway on this segment
};

/// One guest of a team range.
struct HostSpec {
  std::string name;           ///< hostname inside the range, e.g. "mail"
  std::string image_profile;  ///< "tiny" (busybox, tests) or "standard" (Debian services)
  std::string role;           ///< e.g. "mail", "web", "proxy", "workstation", "router"
  std::vector<std::string> services;  ///< services the role must answer before ready
  std::vector<NicSpec> nics;
  int memory_mib = 128;
  int vcpus = 1;
  bool trainee_terminal = false;  ///< trainees may open a console on this host
  std::map<std::string, std::string> config;  ///< per-host values injected at boot
};

/// Everything needed to build one team's copy of a scenario's organisation.
struct RangeSpec {
  std::string exercise;  ///< exercise id, part of every libvirt object name
  std::string team;      ///< team name, part of every libvirt object name
  std::vector<NetworkSpec> networks;
  std::vector<HostSpec> hosts;
};

}  // namespace cyrange::range
