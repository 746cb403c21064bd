#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace cyrange::range {

/// Service names a scenario host may declare. Each one is started by the image
/// profiles that list it below (their init maps roles and `cyrange.services` words
/// to daemons), and has a readiness check (service_check_command in team_range.h);
/// header-only so the scenario validator can use it without linking the hypervisor code.
inline const std::vector<std::string>& known_services() {
  static const std::vector<std::string> names{"dns", "http", "imap", "mail", "proxy",
                                              "smb", "smtp", "ssh",  "web"};
  return names;
}

/// True when `service` is in known_services().
inline bool is_known_service(std::string_view service) {
  const auto& names = known_services();
  return std::find(names.begin(), names.end(), service) != names.end();
}

/// True when hosts of image profile `profile` start `service`: the tiny (busybox) image
/// imitates the web, proxy and SMTP services only; standard (Debian) runs the real daemons
/// of every known service (dnsmasq, dovecot, Samba, sshd, ...).
inline bool profile_starts_service(std::string_view profile, std::string_view service) {
  if (profile == "standard") return is_known_service(service);
  for (std::string_view tiny : {"http", "web", "proxy", "smtp", "mail"})
    if (service == tiny) return true;
  return false;
}

/// Image profiles a scenario host may name: the recipe folders shipped under
/// scenarios/images that the engine knows how to boot (image_profile() in image_builder.h).
inline const std::vector<std::string>& known_image_profiles() {
  static const std::vector<std::string> names{"standard", "tiny"};
  return names;
}

/// True when `profile` is in known_image_profiles().
inline bool is_known_image_profile(std::string_view profile) {
  const auto& names = known_image_profiles();
  return std::find(names.begin(), names.end(), profile) != names.end();
}

}  // namespace cyrange::range
