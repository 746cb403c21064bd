#include <orchestrator/rpc/system_handler.h>

#include <orchestrator/common/log.h>
#include <orchestrator/common/version.h>

namespace cyrange::rpc {

SystemHandler::SystemHandler(std::vector<std::shared_ptr<const HealthProbe>> probes,
                             unsigned schema_version)
    : probes_(std::move(probes)), schema_version_(schema_version) {}

HealthReport SystemHandler::health() const {
  if (health_ttl_.count() <= 0) return probe_all();
  std::lock_guard lock(health_mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (!last_health_ || now - last_health_at_ >= health_ttl_) {
    last_health_ = probe_all();
    last_health_at_ = std::chrono::steady_clock::now();
  }
  return *last_health_;
}

HealthReport SystemHandler::probe_all() const {
  HealthReport report;
  report.serving = true;
  for (const auto& probe : probes_) {
    Status st = probe->check();
    if (st) {
      report.components[probe->component()] = "ok";
    } else {
      report.serving = false;
      report.components[probe->component()] = "unavailable";
      log::get("rpc")->warn("Health: {} is unavailable: {}", probe->component(),
                            st.error().message);
    }
  }
  return report;
}

VersionInfo SystemHandler::version(const identity::Identity& /*caller*/) const {
  return VersionInfo{kVersion, kApiRevision, schema_version_};
}

identity::Identity SystemHandler::whoami(const identity::Identity& caller) const { return caller; }

}  // namespace cyrange::rpc
