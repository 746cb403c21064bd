#pragma once

#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/range/hypervisor.h>

namespace cyrange::range {

/// Saves every domain's memory to disk and stops its QEMU (libvirt managed save), `at_once`
/// domains at a time (at least 1); reports every failure, not just the first. What pausing a
/// self-paced run does (ExerciseManager::suspend), and what `cyrange bench selfpaced` times.
Status suspend_domains(Hypervisor& hv, const std::vector<std::string>& domains, int at_once = 1);

/// Starts every domain again from its saved state, `at_once` at a time (at least 1); reports
/// every failure. What resuming a self-paced run does (ExerciseManager::resume).
Status resume_domains(Hypervisor& hv, const std::vector<std::string>& domains, int at_once = 1);

}  // namespace cyrange::range
