#pragma once

#include <string>

#include <orchestrator/common/expected.h>
#include <orchestrator/range/range_spec.h>

namespace cyrange::range {

/// "cyr-<exercise>-<team>-": every libvirt object of one team range starts with it.
std::string object_prefix(const std::string& exercise, const std::string& team);

/// "cyr-<exercise>-": every libvirt object of one exercise (all teams) starts with it.
std::string exercise_prefix(const std::string& exercise);

/// libvirt name of a team's segment, e.g. "cyr-ex1-t1-net-dmz".
std::string network_object_name(const RangeSpec& spec, const NetworkSpec& net);

/// libvirt name of a team's guest, e.g. "cyr-ex1-t1-web".
std::string domain_object_name(const RangeSpec& spec, const HostSpec& host);

/// libvirt name of the team's storage pool, e.g. "cyr-ex1-t1-pool".
std::string pool_object_name(const RangeSpec& spec);

/// Linux bridge of a segment: "cyr" + 12 hex digits of a hash (15 chars, the kernel limit).
std::string bridge_name(const std::string& exercise, const std::string& team,
                        const std::string& network);

/// Stable locally administered MAC of one NIC (52:54:00:xx:xx:xx), unique per team range.
std::string mac_address(const RangeSpec& spec, const HostSpec& host, std::size_t nic_index);

/// Checks names (exercise, team: [a-z0-9_], no '-' so prefixes stay unambiguous) and references.
Status validate_spec(const RangeSpec& spec);

}  // namespace cyrange::range
