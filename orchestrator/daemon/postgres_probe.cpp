#include <orchestrator/daemon/postgres_probe.h>

#include <orchestrator/store/migrations.h>

namespace cyrange::daemon {

Status PostgresProbe::check() const {
  auto state = store::verify_schema(uri_);
  if (!state) return state.error();
  return Status::success();
}

}  // namespace cyrange::daemon
