#pragma once

#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/range/range_spec.h>

namespace cyrange::range {

/// One forwarding rule of a router, with segment names resolved to CIDRs.
struct ForwardRule {
  bool allow = false;
  std::string protocol;  ///< tcp, udp, icmp or any
  std::string from;      ///< source CIDR ("0.0.0.0/0" for any)
  std::string to;        ///< destination CIDR
  std::vector<int> ports;
};

/// Parses config["router.rules"] ("allow tcp from dmz to lan ports 25,80", one per line).
/// Segment names resolve through spec.networks; "any" and literal addresses/CIDRs are kept.
Expected<std::vector<ForwardRule>> router_rules(const RangeSpec& spec, const HostSpec& host);

/// The value of the tiny image's cyrange.fw= kernel argument ("" if there are no rules).
std::string firewall_kernel_arg(const std::vector<ForwardRule>& rules);

}  // namespace cyrange::range
