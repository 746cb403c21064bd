#pragma once

#include <orchestrator/inject/step_kit.h>

namespace cyrange::inject::testing {

/// The five tiny guests the inject unit tests run their steps against.
inline HostDirectory sample_hosts() {
  HostDirectory d;
  d.add({"mail", "mail", "tiny", {"172.16.10.25"}});
  d.add({"ws01", "workstation", "tiny", {"10.30.0.101"}});
  d.add({"files", "file_server", "tiny", {"10.40.0.20"}});
  d.add({"portal", "web", "tiny", {"198.51.100.80"}});
  d.add({"attacker", "attacker_c2", "tiny", {"198.51.100.23"}});
  return d;
}

}  // namespace cyrange::inject::testing
