#pragma once

#include <string_view>

namespace cyrange {

/// True when the gRPC address `target` reaches this machine only, so that traffic without
/// TLS never leaves it: a unix socket ("unix:/run/cyrange.sock", "unix-abstract:name"), a
/// 127.0.0.0/8 or ::1 address (IPv4-mapped too), or "localhost", written as host:port,
/// [v6]:port or an "ipv4:"/"ipv6:"/"dns:" URI (every address of a list). An empty or
/// wildcard host ("0.0.0.0:50051", "[::]:50051", ":50051") is not loopback.
bool is_loopback_target(std::string_view target);

}  // namespace cyrange
