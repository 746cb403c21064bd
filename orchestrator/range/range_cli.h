#pragma once

#include <ostream>
#include <string>

#include <orchestrator/common/expected.h>
#include <orchestrator/range/range_spec.h>
#include <orchestrator/range/team_range.h>

namespace cyrange::range {

/// Where and how the CLI brings ranges up; defaults suit a single machine.
struct RangeCliOptions {
  std::string uri = "qemu:///system";
  std::string image_cache = "/var/lib/cyrange/images";
  std::string pool_root = "/var/lib/cyrange/pools";
  int max_parallel = 4;
};

/// Builds (or reuses) the image, brings one team range up with a text progress bar,
/// then prints a table of hosts (name, role, addresses, state, boot seconds).
Status run_range_up(const RangeSpec& spec, std::ostream& out,
                    const RangeCliOptions& options = RangeCliOptions{});

/// Removes every libvirt object (and pool folder) of an exercise, all teams.
Status run_range_down(const std::string& exercise, std::ostream& out,
                      const RangeCliOptions& options = RangeCliOptions{});

/// Lists the exercise's domains, networks and pools with their state.
Status run_range_status(const std::string& exercise, std::ostream& out,
                        const RangeCliOptions& options = RangeCliOptions{});

/// Prints one team's hosts as a table (name, role, addresses, state, boot seconds).
void print_hosts_table(const std::vector<HostStatus>& hosts, std::ostream& out);

/// Text progress bar of a percentage, e.g. "[##########----------]  50%".
std::string progress_bar(int percent, int width = 30);

}  // namespace cyrange::range
