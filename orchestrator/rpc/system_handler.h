#pragma once

#include <map>
#include <memory>
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

  /// Runs every probe; the call is anonymous, so failure details go to the log only.
  HealthReport health() const;
  /// Versions of server, wire API and schema.
  VersionInfo version(const identity::Identity& caller) const;
  /// The caller as the server authenticated it.
  identity::Identity whoami(const identity::Identity& caller) const;

 private:
  std::vector<std::shared_ptr<const HealthProbe>> probes_;
  unsigned schema_version_;
};

}  // namespace cyrange::rpc
