#pragma once

#include <string>

#include <orchestrator/rpc/system_handler.h>

namespace cyrange::daemon {

/// Health probe of the system of record: PostgreSQL answers and the schema is current.
class PostgresProbe : public rpc::HealthProbe {
 public:
  /// Probes the database at `uri` on every check.
  explicit PostgresProbe(std::string uri) : uri_(std::move(uri)) {}
  std::string component() const override { return "postgresql"; }
  Status check() const override;

 private:
  std::string uri_;
};

}  // namespace cyrange::daemon
