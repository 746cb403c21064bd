#include <orchestrator/common/loopback.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>
#include <string>

namespace cyrange {
namespace {

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) ==
                  std::tolower(static_cast<unsigned char>(b));
         });
}

// The host part of "host:port", "[v6]:port", "[v6]", a bare IPv6 address or a bare host.
std::string_view host_part(std::string_view address) {
  if (!address.empty() && address.front() == '[') {
    auto close = address.find(']');
    return close == std::string_view::npos ? std::string_view{} : address.substr(1, close - 1);
  }
  auto colon = address.find(':');
  if (colon == std::string_view::npos) return address;
  // More than one colon without brackets: an IPv6 address with no port.
  if (address.find(':', colon + 1) != std::string_view::npos) return address;
  return address.substr(0, colon);
}

bool is_loopback_host(std::string_view host) {
  if (host.empty()) return false;
  if (host.back() == '.') host.remove_suffix(1);  // "localhost." is the same name
  if (host.size() == 9 && starts_with_nocase(host, "localhost")) return true;
  const std::string text(host);
  in_addr v4{};
  if (::inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (::inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
  }
  return false;
}

// Every address of a comma-separated list is loopback.
bool every_address_loopback(std::string_view list) {
  if (list.empty()) return false;
  while (true) {
    auto comma = list.find(',');
    if (!is_loopback_host(host_part(list.substr(0, comma)))) return false;
    if (comma == std::string_view::npos) return true;
    list.remove_prefix(comma + 1);
  }
}

}  // namespace

bool is_loopback_target(std::string_view target) {
  if (starts_with_nocase(target, "unix:") || starts_with_nocase(target, "unix-abstract:")) {
    return true;
  }
  if (starts_with_nocase(target, "ipv4:") || starts_with_nocase(target, "ipv6:")) {
    return every_address_loopback(target.substr(5));
  }
  if (starts_with_nocase(target, "dns:")) {
    target.remove_prefix(4);
    // dns://authority/host:port names a DNS server first; only host:port matters here.
    if (target.substr(0, 2) == "//") {
      auto slash = target.find('/', 2);
      if (slash == std::string_view::npos) return false;
      target.remove_prefix(slash + 1);
    }
  }
  return is_loopback_host(host_part(target));
}

}  // namespace cyrange
