#include <orchestrator/common/log.h>

#include <mutex>

#include <spdlog/sinks/stdout_color_sinks.h>

namespace cyrange::log {
namespace {

std::mutex& registry_mutex() {
  static std::mutex m;
  return m;
}

const char* kTextPattern = "%Y-%m-%dT%H:%M:%S.%e %^%l%$ [%n] %v";
const char* kJsonPattern =
    R"({"time":"%Y-%m-%dT%H:%M:%S.%f%z","level":"%l","subsystem":"%n","message":"%v"})";

}  // namespace

std::shared_ptr<spdlog::logger> get(const std::string& subsystem) {
  std::lock_guard lock(registry_mutex());
  if (auto existing = spdlog::get(subsystem)) return existing;
  // Logs go to stderr so that command output on stdout stays machine-readable.
  auto logger = spdlog::stderr_color_mt(subsystem);
  logger->set_pattern(kTextPattern);
  logger->set_level(spdlog::get_level());
  return logger;
}

void set_level(const std::string& level) {
  spdlog::set_level(spdlog::level::from_str(level));
}

void use_json_format(bool enabled) {
  spdlog::set_pattern(enabled ? kJsonPattern : kTextPattern);
}

}  // namespace cyrange::log
