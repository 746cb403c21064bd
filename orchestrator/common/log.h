#pragma once

#include <memory>
#include <string>

#include <spdlog/spdlog.h>

namespace cyrange::log {

/// The logger of one subsystem ("range", "store", "rpc", ...); created on first use.
/// Operational errors (libvirt down) and exercise events (a trainee broke a guest)
/// go to different subsystems so operators can filter them apart.
std::shared_ptr<spdlog::logger> get(const std::string& subsystem);

/// Sets the level of every logger ("trace" .. "off"); unknown names mean "info".
void set_level(const std::string& level);

/// Switches every logger to one-JSON-object-per-line output for log shippers.
void use_json_format(bool enabled);

}  // namespace cyrange::log
