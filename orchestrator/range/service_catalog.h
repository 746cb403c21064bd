#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace cyrange::range {

/// Service names a scenario host may declare. Each one is started by every image
/// profile's init for the roles that need it, and has a readiness check
/// (service_check_command in team_range.h); header-only so the scenario validator
/// can use it without linking the hypervisor code.
inline const std::vector<std::string>& known_services() {
  static const std::vector<std::string> names{"dns", "http", "mail", "proxy", "smtp", "ssh", "web"};
  return names;
}

/// True when `service` is in known_services().
inline bool is_known_service(std::string_view service) {
  const auto& names = known_services();
  return std::find(names.begin(), names.end(), service) != names.end();
}

}  // namespace cyrange::range
