#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace cyrange::scenario {

/// An IPv4 network: base address and prefix length.
struct Ipv4Network {
  std::uint32_t base = 0;
  int prefix = 0;
  /// The netmask as a number.
  std::uint32_t mask() const { return prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix); }
  /// The broadcast address (last address of the network).
  std::uint32_t broadcast() const { return base | ~mask(); }
  /// True when `address` lies inside the network.
  bool contains(std::uint32_t address) const { return (address & mask()) == base; }
};

/// Parses a dotted-quad address ("10.1.2.3"); nullopt when malformed.
std::optional<std::uint32_t> parse_ipv4(const std::string& text);

/// Parses "10.1.2.0/24"; nullopt when malformed. Host bits need not be zero:
/// `aligned` tells whether they are.
std::optional<Ipv4Network> parse_cidr(const std::string& text, bool* aligned = nullptr);

/// Dotted-quad text of an address.
std::string format_ipv4(std::uint32_t address);

/// The host part of a URL or proxy target: "h" of "http://h:8080/p", "h:443" or "h/p".
std::string target_host(const std::string& url);

}  // namespace cyrange::scenario
