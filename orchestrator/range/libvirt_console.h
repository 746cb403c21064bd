#pragma once

#include <memory>
#include <string>

#include <orchestrator/common/expected.h>
#include <orchestrator/range/hypervisor.h>

namespace cyrange::range {

/// Registers libvirt's default event loop and runs it on a thread; idempotent.
/// Must run before the first connection is opened, so console streams get events.
void start_libvirt_event_loop();

/// The message of libvirt's last error on this thread ("no detail from libvirt" when none).
std::string libvirt_last_error();

/// Opens a domain's console on `conn` (a virConnectPtr) as a non-blocking stream driven by
/// libvirt's event loop; output arrives through on_output on the event thread.
Expected<std::unique_ptr<ConsoleStream>> open_libvirt_console(void* conn, const std::string& domain,
                                                              ConsoleOutput on_output,
                                                              ConsoleClosed on_closed);

}  // namespace cyrange::range
