#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/identity/identity.h>

namespace cyrange::rpc {

/// One dependency whose state Health reports (PostgreSQL, later libvirt).
class HealthProbe {
 public:
  virtual ~HealthProbe() = default;
  /// The name shown in HealthResponse.components, e.g. "postgresql".
  virtual std::string component() const = 0;
  /// Success when the dependency answers; the error is logged, never sent.
  virtual Status check() const = 0;
};

/// The answer of Health in domain terms.
struct HealthReport {
  bool serving = false;                           ///< every component is "ok"
  std::map<std::string, std::string> components;  ///< "ok" or "unavailable"
};

/// The answer of Version in domain terms.
struct VersionInfo {
  std::string server_version;   ///< cyrange::kVersion
  unsigned api_revision = 0;    ///< cyrange::kApiRevision
  unsigned schema_version = 0;  ///< migration verified when the server started
};

/// SystemService logic without any transport: the gRPC adapter maps messages only.
class SystemHandler {
 public:
  /// `schema_version` is what the daemon verified at start.
  SystemHandler(std::vector<std::shared_ptr<const HealthProbe>> probes, unsigned schema_version);

  /// Answers health() from its last report for `ttl` (0: every call probes). Before serving.
  void cache_health(std::chrono::milliseconds ttl) { health_ttl_ = ttl; }

  /// Runs every probe, at most once per cache_health() interval (Health needs no token, so
  /// it must not cost a PostgreSQL connection per call); failure details go to the log only.
  HealthReport health() const;
  /// Versions of server, wire API and schema.
  VersionInfo version(const identity::Identity& caller) const;
  /// The caller as the server authenticated it.
  identity::Identity whoami(const identity::Identity& caller) const;

 private:
  HealthReport probe_all() const;

  std::vector<std::shared_ptr<const HealthProbe>> probes_;
  unsigned schema_version_;
  std::chrono::milliseconds health_ttl_{0};
  // One probe at a time: callers arriving meanwhile wait for its report.
  mutable std::mutex health_mutex_;
  mutable std::optional<HealthReport> last_health_;
  mutable std::chrono::steady_clock::time_point last_health_at_;
};

}  // namespace cyrange::rpc
